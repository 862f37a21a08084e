using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests;

/// <summary>
/// Input the analyzers will report: the generators emit nothing for it, report nothing and do not throw (the harness
/// fails a run whose generator threw). Each input also holds a valid type, generated as usual, so an empty result
/// cannot pass for a generator that did not run; and the output must compile, so nothing half-emitted slips through.
/// </summary>
public class GeneratorSkipTests
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

    private const string ValidHint = "Sample.Valid.GraphState.g.cs";

    /// <summary>
    /// Runs both generators on <see cref="Valid"/> and <paramref name="invalid"/>; asserts only the valid outputs came
    /// out, and that the analyzers (sharing the generators' validator) report an error on the invalid input: nothing
    /// is skipped without the user being told why.
    /// </summary>
    private static void AssertSkipped(string invalid, params string[] expectedHints)
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Valid, invalid);

        run.AssertSuccess();
        // The valid state's serializers come out in the shared class either way.
        var expected = (expectedHints.Length == 0 ? [ValidHint] : expectedHints).Append(SerializerEmitter.SharedHintName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, run.GeneratedSources.Keys);
        var errors = AnalyzerHarness.Analyze(run.OutputCompilation).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        Assert.Contains(errors, d => d.Location.SourceTree?.FilePath == "Input1.cs");
        Assert.DoesNotContain(errors, d => d.Location.SourceTree?.FilePath == "Input0.cs");
    }

    [Fact]
    public void A_state_that_is_not_partial()
    {
        AssertSkipped("""
            [GraphGen.GraphState]
            public record NotPartial
            {
                public int Count { get; init; }
            }
            """);
    }

    [Fact]
    public void A_state_nested_in_a_type_that_is_not_partial()
    {
        AssertSkipped("""
            public class Host
            {
                [GraphGen.GraphState]
                public partial record Inner
                {
                    public int Count { get; init; }
                }
            }
            """);
    }

    [Fact]
    public void A_generic_state()
    {
        AssertSkipped("""
            [GraphGen.GraphState]
            public partial record Box<T>
            {
                public T? Value { get; init; }
            }
            """);
    }

    [Fact]
    public void A_state_with_a_property_of_an_unsupported_type()
    {
        AssertSkipped("""
            [GraphGen.GraphState]
            public partial record WithDelegate
            {
                public int Count { get; init; }

                public System.Func<int>? Next { get; init; }
            }
            """);
    }

    [Fact]
    public void A_state_with_a_get_only_property()
    {
        // Every public property with a getter is a channel, and a channel must be writable.
        AssertSkipped("""
            [GraphGen.GraphState]
            public partial record Computed
            {
                public int Count { get; init; }

                public int Twice => Count * 2;
            }
            """);
    }

    [Fact]
    public void A_state_without_properties()
    {
        AssertSkipped("""
            [GraphGen.GraphState]
            public partial record Empty;
            """);
    }

    [Fact]
    public void A_reducer_whose_Reduce_does_not_take_the_property_type()
    {
        // Append reduces lists; Count is an int.
        AssertSkipped("""
            using GraphGen;

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(Append))]
                public int Count { get; init; }
            }
            """);
    }

    [Fact]
    public void A_reducer_whose_Reduce_returns_another_type()
    {
        AssertSkipped("""
            using GraphGen;

            public static class Describe
            {
                public static string Reduce(int current, int update) => $"{current}+{update}";
            }

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(Describe))]
                public int Count { get; init; }
            }
            """);
    }

    [Fact]
    public void A_reducer_class_without_a_static_two_parameter_Reduce()
    {
        AssertSkipped("""
            using GraphGen;

            public sealed class NotAReducer
            {
                public int Reduce(int current, int update) => current + update;

                public static int Reduce(int current) => current;
            }

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(NotAReducer))]
                public int Count { get; init; }
            }
            """);
    }

    [Fact]
    public void Trim_on_a_property_that_is_not_an_immutable_list()
    {
        AssertSkipped("""
            using System.Collections.Generic;
            using GraphGen;

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(Append)), Trim(3)]
                public IReadOnlyList<string> Items { get; init; } = [];
            }
            """);
    }

    [Fact]
    public void A_graph_class_that_is_not_static()
    {
        AssertSkipped("""
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public partial class NotStatic
            {
                [Node, Entry]
                private static Valid.Update Step(Valid state) => new() { Count = 1 };
            }
            """);
    }

    [Fact]
    public void A_graph_with_a_node_returning_int()
    {
        AssertSkipped("""
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static partial class ReturnsInt
            {
                [Node, Entry]
                private static int Step(Valid state) => 1;
            }
            """);
    }

    [Fact]
    public void A_graph_with_a_node_returning_a_Task_without_an_update()
    {
        AssertSkipped("""
            using System.Threading.Tasks;
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static partial class ReturnsTask
            {
                [Node, Entry]
                private static Task Step(Valid state) => Task.CompletedTask;
            }
            """);
    }

    [Fact]
    public void A_graph_with_a_node_returning_another_states_update()
    {
        AssertSkipped("""
            using GraphGen;
            using Sample;

            [GraphState]
            public partial record Other
            {
                public int Count { get; init; }
            }

            [Graph<Valid>]
            public static partial class WrongUpdate
            {
                [Node, Entry]
                private static Other.Update Step(Valid state) => new() { Count = 1 };
            }
            """,
            "Other.GraphState.g.cs", ValidHint);
    }

    [Fact]
    public void A_graph_with_a_ref_parameter_or_a_generic_node()
    {
        AssertSkipped("""
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static partial class RefParameter
            {
                [Node, Entry]
                private static Valid.Update Step(ref Valid state) => new() { Count = 1 };
            }

            [Graph<Valid>]
            public static partial class GenericNode
            {
                [Node, Entry]
                private static Valid.Update Step<T>(Valid state) => new() { Count = 1 };
            }
            """);
    }

    [Fact]
    public void A_graph_with_a_route_that_does_not_take_the_state()
    {
        AssertSkipped("""
            using GraphGen;
            using Sample;

            [Graph<Valid>]
            public static partial class BadRoute
            {
                [Node, Entry]
                private static Valid.Update Step(Valid state) => new() { Count = 1 };

                [Route(From = nameof(Step))]
                private static string After(int count) => Graph.End;
            }
            """);
    }
}
