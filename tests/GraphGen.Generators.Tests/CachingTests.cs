using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static GraphGen.Generators.Tests.Infrastructure.IncrementalAssert;
using static Microsoft.CodeAnalysis.IncrementalStepRunReason;

namespace GraphGen.Generators.Tests;

/// <summary>
/// What the generators redo after an edit. Both run in one driver over four files: a state and its graph, twice.
/// Reasons are listed in file order: <see cref="TrackingNames.StateSpec"/> has [Counter, Notes],
/// <see cref="TrackingNames.GraphSpec"/> has [CounterGraph, NotesGraph], <see cref="TrackingNames.SharedTypes"/> has
/// the one merged list of serialized types, and <c>SourceOutput</c> has the state outputs, the shared serializers, then
/// the graph outputs: [Counter, Notes, Shared, CounterGraph, NotesGraph].
/// Both tracked steps are the <c>Where(spec is not null)</c> after the attribute transform. On a new compilation the
/// transform re-runs (Roslyn's <c>result_ForAttributeWithMetadataName</c> step reports <c>Unchanged</c> when the model
/// is equal), and the tracked step downstream of an equal model is <c>Cached</c>; a model that lost value equality
/// would show as <c>Modified</c> there.
/// </summary>
public class CachingTests
{
    private const string SourceOutput = "SourceOutput";

    private const string CounterGraph = """
        using GraphGen;
        using Sample.States;

        namespace Sample.Graphs;

        [Graph<Counter>]
        [Edge(nameof(Increment), Graph.End)]
        public static partial class CounterGraph
        {
            [Node, Entry]
            private static Counter.Update Increment(Counter state) => new() { Count = state.Count + 1 };
        }
        """;

    /// <summary><see cref="CounterGraph"/> with one more node (and its edge).</summary>
    private const string CounterGraphWithNode = """
        using GraphGen;
        using Sample.States;

        namespace Sample.Graphs;

        [Graph<Counter>]
        [Edge(nameof(Increment), nameof(Double))]
        [Edge(nameof(Double), Graph.End)]
        public static partial class CounterGraph
        {
            [Node, Entry]
            private static Counter.Update Increment(Counter state) => new() { Count = state.Count + 1 };

            [Node]
            private static Counter.Update Double(Counter state) => new() { Count = state.Count * 2 };
        }
        """;

    /// <summary><see cref="CounterGraph"/> with a different node body and a comment: the same graph.</summary>
    private const string CounterGraphWithNewBody = """
        using GraphGen;
        using Sample.States;

        namespace Sample.Graphs;

        // Counts by one.
        [Graph<Counter>]
        [Edge(nameof(Increment), Graph.End)]
        public static partial class CounterGraph
        {
            [Node, Entry]
            private static Counter.Update Increment(Counter state) => new() { Count = 1 + state.Count };
        }
        """;

    /// <summary><see cref="Sources.Counter"/> with one more property.</summary>
    private const string CounterWithLabel = """
        using GraphGen;

        namespace Sample.States;

        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }

            public string Label { get; init; } = "";
        }
        """;

    /// <summary><see cref="Sources.Counter"/> with a method and a comment: the same channels.</summary>
    private const string CounterWithMethod = """
        using GraphGen;

        namespace Sample.States;

        /// <summary>Counts.</summary>
        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }

            public int Twice() => Count * 2;
        }
        """;

    private const string Notes = """
        using System.Collections.Immutable;
        using GraphGen;

        namespace Sample.States;

        [GraphState]
        public partial record Notes
        {
            [Reducer(typeof(Append))]
            public ImmutableList<string> Lines { get; init; } = [];
        }
        """;

    private const string NotesGraph = """
        using GraphGen;
        using Sample.States;

        namespace Sample.Graphs;

        [Graph<Notes>]
        [Edge(nameof(Write), Graph.End)]
        public static partial class NotesGraph
        {
            [Node, Entry]
            private static Notes.Update Write(Notes state) => new() { Lines = ["line"] };
        }
        """;

    private const string Unrelated = """
        namespace Sample;

        public static class Unrelated
        {
            public static int Answer => 42;
        }
        """;

    private static CSharpCompilation Project() =>
        GeneratorHarness.CreateCompilation(Sources.Counter, CounterGraph, Notes, NotesGraph);

    private static (GeneratorRun First, GeneratorRun Second) RunTwice(Func<CSharpCompilation, CSharpCompilation>? edit = null)
    {
        var (first, second) = IncrementalAssert.RunTwice(new StateAndGraphGenerators(), Project(), edit);
        first.AssertSuccess();
        second.AssertSuccess();
        return (first, second);
    }

    [Fact]
    public void The_first_run_is_New_everywhere()
    {
        var (first, _) = RunTwice();

        Assert.Equal(
            [SerializerEmitter.SharedHintName, "Sample.Graphs.CounterGraph.Graph.g.cs", "Sample.Graphs.NotesGraph.Graph.g.cs", "Sample.States.Counter.GraphState.g.cs", "Sample.States.Notes.GraphState.g.cs"],
            first.GeneratedSources.Keys);
        AssertStepReasons(first.RunResult, TrackingNames.StateSpec, New, New);
        AssertStepReasons(first.RunResult, TrackingNames.GraphSpec, New, New);
        AssertStepReasons(first.RunResult, TrackingNames.SharedTypes, New);
        AssertStepReasons(first.RunResult, SourceOutput, New, New, New, New, New);
    }

    [Fact]
    public void Running_again_on_the_same_compilation_is_Cached_everywhere()
    {
        var (_, second) = RunTwice(compilation => compilation);

        AssertNothingRegenerated(second);
    }

    [Fact]
    public void Running_again_on_an_identical_compilation_recomputes_equal_models_and_reuses_every_output()
    {
        var (_, second) = RunTwice();

        // The four attribute transforms ran again on the new semantic model and produced equal models.
        AssertStepReasons(second.RunResult, "result_ForAttributeWithMetadataName", Unchanged, Unchanged, Unchanged, Unchanged);
        AssertNothingRegenerated(second);
    }

    [Fact]
    public void Adding_an_unrelated_file_regenerates_nothing()
    {
        var (_, second) = RunTwice(compilation => compilation.WithSourceAdded(Unrelated));

        AssertNothingRegenerated(second);
    }

    [Fact]
    public void Editing_a_state_without_changing_its_channels_regenerates_nothing()
    {
        var (_, second) = RunTwice(compilation => compilation.WithSourceReplaced(0, CounterWithMethod));

        AssertNothingRegenerated(second);
    }

    [Fact]
    public void Editing_a_node_body_regenerates_nothing()
    {
        var (_, second) = RunTwice(compilation => compilation.WithSourceReplaced(1, CounterGraphWithNewBody));

        AssertNothingRegenerated(second);
    }

    [Fact]
    public void Adding_a_property_to_a_state_regenerates_that_state_only()
    {
        var (first, second) = RunTwice(compilation => compilation.WithSourceReplaced(0, CounterWithLabel));

        AssertStepReasons(second.RunResult, TrackingNames.StateSpec, Modified, Cached);
        // The graph over Counter keeps its model: it names the state type, not its channels.
        AssertStepReasons(second.RunResult, TrackingNames.GraphSpec, Cached, Cached);
        // Notes already stores strings: the merged list of types is the same, so its output is reused.
        AssertStepReasons(second.RunResult, TrackingNames.SharedTypes, Unchanged);
        AssertStepReasons(second.RunResult, SourceOutput, Modified, Cached, Cached, Cached, Cached);
        Assert.Contains("public string Label", second.GeneratedSources["Sample.States.Counter.GraphState.g.cs"]);
        Assert.Equal(first.GeneratedSources["Sample.States.Notes.GraphState.g.cs"], second.GeneratedSources["Sample.States.Notes.GraphState.g.cs"]);
    }

    [Fact]
    public void Adding_a_property_of_a_new_type_regenerates_that_state_and_the_shared_serializers()
    {
        var (first, second) = RunTwice(compilation => compilation.WithSourceReplaced(0, CounterWithLabel.Replace("string Label { get; init; } = \"\";", "double Label { get; init; }")));

        AssertStepReasons(second.RunResult, TrackingNames.StateSpec, Modified, Cached);
        AssertStepReasons(second.RunResult, TrackingNames.SharedTypes, Modified);
        AssertStepReasons(second.RunResult, SourceOutput, Modified, Cached, Modified, Cached, Cached);
        Assert.DoesNotContain("Write_double_", first.GeneratedSources[SerializerEmitter.SharedHintName]);
        Assert.Contains("Write_double_", second.GeneratedSources[SerializerEmitter.SharedHintName]);
    }

    [Fact]
    public void Adding_a_node_to_a_graph_regenerates_that_graph_only()
    {
        var (_, second) = RunTwice(compilation => compilation.WithSourceReplaced(1, CounterGraphWithNode));

        AssertStepReasons(second.RunResult, TrackingNames.StateSpec, Cached, Cached);
        AssertStepReasons(second.RunResult, TrackingNames.GraphSpec, Modified, Cached);
        AssertStepReasons(second.RunResult, SourceOutput, Cached, Cached, Cached, Modified, Cached);
        Assert.Contains("graph.AddEdge(Nodes.Increment, Nodes.Double);", second.GeneratedSources["Sample.Graphs.CounterGraph.Graph.g.cs"]);
    }

    [Fact]
    public void Models_hold_no_Roslyn_objects()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Project());

        // Guard against a vacuous walk: every model is there to be walked.
        AssertStepReasons(run.RunResult, TrackingNames.StateSpec, New, New);
        AssertStepReasons(run.RunResult, TrackingNames.GraphSpec, New, New);
        AssertNoSymbols(run.RunResult, TrackingNames.StateSpec, TrackingNames.GraphSpec, TrackingNames.SharedTypes);
    }

    [Fact]
    public void The_chat_and_flow_models_hold_no_Roslyn_objects_either()
    {
        // Richer models: reducers, Trim, nullable types, every parameter kind, routes with and without To.
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), GeneratedStateTests.Chat, GeneratedStateTests.Custom, Sources.FlowGraph);

        AssertStepReasons(run.RunResult, TrackingNames.StateSpec, New, New, New);
        AssertStepReasons(run.RunResult, TrackingNames.GraphSpec, New);
        AssertNoSymbols(run.RunResult, TrackingNames.StateSpec, TrackingNames.GraphSpec, TrackingNames.SharedTypes);
    }

    /// <summary>Every model and all five outputs (two states, the shared serializers, two graphs) came from the cache.</summary>
    private static void AssertNothingRegenerated(GeneratorRun run)
    {
        AssertStepReasons(run.RunResult, TrackingNames.StateSpec, Cached, Cached);
        AssertStepReasons(run.RunResult, TrackingNames.GraphSpec, Cached, Cached);
        AssertStepReasons(run.RunResult, TrackingNames.SharedTypes, Cached);
        AssertStepReasons(run.RunResult, SourceOutput, Cached, Cached, Cached, Cached, Cached);
    }
}
