using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests;

/// <summary>
/// Edge cases that once broke the generators, one repro each. The rule they check is the one every other test relies
/// on: for any input, the generators either emit code that compiles without warnings or emit nothing (and leave the
/// report to the analyzers) — never code that breaks the user's build or fails at run time.
/// </summary>
public class GeneratorEdgeCaseTests
{
    private const string Valid = """
        using GraphGen;

        namespace Sample;

        [GraphState]
        public partial record Valid
        {
            public int Count { get; init; }
        }
        """;

    private static GeneratorRun Run(params string[] sources) => GeneratorHarness.Run(new StateAndGraphGenerators(), sources);

    [Fact]
    public void A_reducer_whose_generic_constraint_the_property_type_does_not_meet_is_skipped()
    {
        var run = Run(Valid, """
            using GraphGen;

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(Sum))]
                public string Name { get; init; } = "";
            }
            """);

        run.AssertSuccess();
        Assert.Equal([SerializerEmitter.SharedHintName, "Sample.Valid.GraphState.g.cs"], run.GeneratedSources.Keys);
    }

    [Fact]
    public void A_graph_class_that_is_not_partial_or_nested_in_a_type_that_is_not_is_skipped()
    {
        var run = Run(Valid, """
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static class NotPartial
            {
                [Node, Entry]
                private static Valid.Update Step(Valid state) => new() { Count = 1 };
            }

            public class Host
            {
                [Graph<Valid>]
                public static partial class Inner
                {
                    [Node, Entry]
                    private static Valid.Update Step(Valid state) => new() { Count = 1 };
                }
            }
            """);

        run.AssertSuccess();
        Assert.Equal([SerializerEmitter.SharedHintName, "Sample.Valid.GraphState.g.cs"], run.GeneratedSources.Keys);
    }

    [Fact]
    public void A_generic_graph_class_compiles_or_is_skipped()
    {
        var run = Run(Valid, """
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static partial class Generic<T>
            {
                [Node, Entry]
                private static Valid.Update Step(Valid state) => new() { Count = 1 };
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void Nullable_annotated_well_known_parameters_are_bound_like_the_plain_ones()
    {
        var run = Run(Valid, """
            using GraphGen;
            using GraphGen.Store;
            using Microsoft.Extensions.Logging;
            using Sample;

            [Graph<Valid>]
            [Edge(nameof(Step), Graph.End)]
            public static partial class Nullables
            {
                [Node, Entry]
                private static Valid.Update Step(Valid? state, ILogger? logger, IStore? store, NodeContext? context, GraphConfig? config) => new() { Count = 1 };
            }
            """);

        run.AssertSuccess();
        var text = run.GeneratedSources["Nullables.Graph.g.cs"];
        Assert.DoesNotContain("GetRequiredService", text);
        Assert.Contains("Step(state, context.Logger, ", text);
        Assert.Contains(", context, context.Config)", text);
    }

    [Fact]
    public void Properties_whose_generated_locals_would_collide_compile()
    {
        var run = Run("""
            [GraphGen.GraphState]
            public partial record Collide
            {
                public int Count { get; init; }

                public int CountJson { get; init; }
            }
            """);

        run.AssertSuccess();
        Assert.Equal(["Collide.GraphState.g.cs", SerializerEmitter.SharedHintName], run.GeneratedSources.Keys);
    }

    [Fact]
    public void A_property_named_like_a_StateUpdate_member_compiles_without_warnings_or_is_skipped()
    {
        var run = Run("""
            [GraphGen.GraphState]
            public partial record Basket
            {
                public bool IsEmpty { get; init; }
            }
            """);

        run.AssertSuccess();
    }

    [Fact]
    public void A_property_named_Update_is_skipped()
    {
        var run = Run(Valid, """
            [GraphGen.GraphState]
            public partial record Clash
            {
                public int Update { get; init; }
            }
            """);

        // Only the generated half collides: without it the input compiles.
        run.AssertSuccess();
        Assert.Equal([SerializerEmitter.SharedHintName, "Sample.Valid.GraphState.g.cs"], run.GeneratedSources.Keys);
    }

    [Fact]
    public void A_state_with_a_required_member_compiles_or_is_skipped()
    {
        var run = Run("""
            [GraphGen.GraphState]
            public partial record Named
            {
                public required string Name { get; init; }
            }
            """);

        run.AssertSuccess();
    }
}
