using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Generators.Tests;

/// <summary>
/// The GraphGenerator's output. Graphs run next to the StateGenerator (their nodes return <c>TState.Update</c>); only
/// the graph's file is snapshotted, so the state snapshots stay in <see cref="StateGeneratorSnapshotTests"/>.
/// </summary>
public class GraphGeneratorSnapshotTests
{
    private const string GraphHint = "Sample.Graphs.FlowGraph.Graph.g.cs";

    [Fact]
    public void Graph_with_every_node_shape_edge_and_route()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Sources.FlowGraph);

        run.AssertSuccess();
        Assert.Equal([SerializerEmitter.SharedHintName, "Sample.Graphs.Flow.GraphState.g.cs", GraphHint], run.GeneratedSources.Keys);
        Snapshot.Match("Graph_FlowGraph", run.GeneratedSources.Where(file => file.Key == GraphHint).ToDictionary());
    }

    [Fact]
    public void Each_parameter_kind_is_bound_to_its_source()
    {
        var text = GeneratorHarness.Run(new StateAndGraphGenerators(), Sources.FlowGraph).GeneratedSources[GraphHint];

        // Parameters are passed in declaration order, whatever it is.
        Assert.Contains("Plan(state, context)", text);
        Assert.Contains(
            "await Greet(state, context.GetRequiredService<global::Sample.Graphs.IGreeter>(), context.Logger, context.CancellationToken).ConfigureAwait(false)",
            text);
        Assert.Contains("await Fetch(context.Config, context.RequireStore(), state).ConfigureAwait(false)", text);
        Assert.Contains("public const string Greet = \"custom-name\";", text);
        Assert.Contains("graph.AddEdge(global::GraphGen.Graph.Start, Nodes.Plan);", text);
        Assert.Contains("graph.AddEdge(Nodes.Finish, global::GraphGen.Graph.End);", text);
        Assert.Contains("graph.AddConditionalEdges(Nodes.Fetch, static state => AfterFetch(state), [Nodes.Check, Nodes.Finish]);", text);
        Assert.Contains("graph.AddConditionalEdges(Nodes.Check, static state => AfterCheck(state), null);", text);
    }

    [Fact]
    public void A_graph_nested_in_a_type_reopens_its_containers()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), """
            using GraphGen;

            [GraphState]
            public partial record Ping
            {
                public int Count { get; init; }
            }

            public partial class Host
            {
                [Graph<Ping>]
                [Edge(nameof(Once), Graph.End)]
                internal static partial class Inner
                {
                    [Node, Entry]
                    private static Ping.Update Once(Ping state) => new() { Count = state.Count + 1 };
                }
            }
            """);

        run.AssertSuccess();
        var text = run.GeneratedSources["Host.Inner.Graph.g.cs"];
        Assert.DoesNotContain("namespace", text);
        Assert.Contains("partial class Host\n{\n    static partial class Inner\n    {\n", text);
        Assert.Contains("global::GraphGen.StateGraph<global::Ping> Build()", text);
    }

    [Fact]
    public void Generated_code_has_no_warnings_when_documentation_is_generated()
    {
        // Projects with GenerateDocumentationFile parse doc comments in Diagnose mode: a bad cref or an undocumented
        // public member in generated code then becomes a warning, and with warnings as errors a broken build.
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var ct = TestContext.Current.CancellationToken;
        const string documented = """
            using System.Collections.Immutable;
            using System.Threading.Tasks;
            using GraphGen;

            namespace Sample.Docs;

            /// <summary>A documented state.</summary>
            [GraphState]
            public partial record Notes
            {
                /// <summary>Appended lines.</summary>
                [Reducer(typeof(Append))]
                public ImmutableList<string> Lines { get; init; } = [];

                /// <summary>A title.</summary>
                public string? Title { get; init; }
            }

            /// <summary>A documented graph.</summary>
            [Graph<Notes>]
            [Edge(nameof(Write), Graph.End)]
            public static partial class NotesGraph
            {
                [Node, Entry]
                private static Task<Notes.Update> Write(Notes state) => Task.FromResult(new Notes.Update { Lines = ["x"] });
            }
            """;
        var compilation = CSharpCompilation.Create(
            "Documented",
            [CSharpSyntaxTree.ParseText(documented, options, "Input0.cs", cancellationToken: ct)],
            GeneratorHarness.References,
            GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new StateAndGraphGenerators().AsSourceGenerator()], parseOptions: options);

        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, ct);

        Assert.Empty(generatorDiagnostics);
        // The input, the state, the shared serializers, [Embedded] and the graph.
        Assert.Equal(5, output.SyntaxTrees.Count());
        var problems = output.GetDiagnostics(ct).Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString());
        Assert.Empty(problems);
    }
}
