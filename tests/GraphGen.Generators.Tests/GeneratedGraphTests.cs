using System.Reflection;
using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests;

/// <summary>
/// The generated <c>Build()</c> at run time: <see cref="Sources.FlowGraph"/> is compiled with both generators' output
/// and a <c>Probe</c> that compiles the graph with an <see cref="GraphGen.Checkpointing.InMemorySaver"/>, a store and a
/// service, and runs it twice on one thread.
/// </summary>
public class GeneratedGraphTests
{
    private const string Probe = """
        using System;
        using System.Linq;
        using System.Threading.Tasks;
        using GraphGen;
        using GraphGen.Checkpointing;
        using GraphGen.Store;

        namespace Sample.Graphs;

        public static class Probe
        {
            private sealed class Greeter : IGreeter
            {
                public string Greet(string name) => $"hello {name}";
            }

            private sealed class Services : IServiceProvider
            {
                public object? GetService(Type serviceType) => serviceType == typeof(IGreeter) ? new Greeter() : null;
            }

            public static async Task<string> Run()
            {
                var graph = FlowGraph.Build().Compile(new CompileOptions
                {
                    Checkpointer = new InMemorySaver(),
                    Store = new InMemoryStore(),
                    Services = new Services(),
                });
                var first = await graph.InvokeAsync(new Flow.Update(), GraphConfig.ForThread("t1"));
                // The second call starts from the checkpoint the first one left: the state is read back from JSON.
                var second = await graph.InvokeAsync(new Flow.Update(), GraphConfig.ForThread("t1"));
                return $"{string.Join(",", first.State.Log)}|{first.State.Count}\n{string.Join(",", second.State.Log.Skip(first.State.Log.Count))}|{second.State.Count}";
            }

            public static string Mermaid() => FlowGraph.Mermaid;
        }
        """;

    [Fact]
    public async Task The_built_graph_runs_every_node_with_its_arguments_and_resumes_from_the_checkpoint()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Sources.FlowGraph, Probe);
        run.AssertSuccess();
        using var loaded = GeneratorHarness.CompileAndLoad(run.OutputCompilation);

        var seen = await loaded.StaticMethod<Func<Task<string>>>("Sample.Graphs.Probe", "Run")();

        Assert.Equal(
            "plan:Plan,hello graph,fetch:t1:first,check:1,check:2,check:3,finish|3\n" +
            "plan:Plan,hello graph,fetch:t1:again,check:4,check:5,check:6,finish|6",
            seen);
    }

    [Fact]
    public void Nodes_constants_and_the_Mermaid_diagram_follow_the_attributes()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Sources.FlowGraph, Probe);
        run.AssertSuccess();
        using var loaded = GeneratorHarness.CompileAndLoad(run.OutputCompilation);

        var nodes = loaded.GetType("Sample.Graphs.FlowGraph+Nodes")
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(field => field.Name, field => (string?)field.GetRawConstantValue());
        var mermaid = loaded.StaticMethod<Func<string>>("Sample.Graphs.Probe", "Mermaid")();

        Assert.Equal(
            new Dictionary<string, string?> { ["Plan"] = "Plan", ["Greet"] = "custom-name", ["Fetch"] = "Fetch", ["Check"] = "Check", ["Finish"] = "Finish" },
            nodes);
        Assert.Equal(
            """
            graph TD
                __start__([start])
                Check[Check]
                Fetch[Fetch]
                Finish[Finish]
                Plan[Plan]
                custom-name[custom-name]
                __end__([end])
                Check -.-> Check
                Check -.-> Fetch
                Check -.-> Finish
                Check -.-> Plan
                Check -.-> custom-name
                Check -.-> __end__
                Fetch -.-> Check
                Fetch -.-> Finish
                Finish --> __end__
                Plan --> custom-name
                __start__ --> Plan
                custom-name --> Fetch

            """.Replace("\r\n", "\n"),
            mermaid);
    }
}
