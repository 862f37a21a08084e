using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests.Analyzers;

/// <summary>The usage rules: a checkpointed graph called without a thread id, and interrupts naming unknown nodes.</summary>
public class UsageAnalyzerTests
{
    [Fact]
    public void Calls_with_no_config_a_null_config_or_a_config_without_ThreadId_are_GG0020()
    {
        var diagnostics = AnalyzerHarness.Verify("""
            using System.Threading.Tasks;
            using GraphGen;
            using GraphGen.Checkpointing;

            public static class Program
            {
                public static async Task Run()
                {
                    var app = Agent.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
                    await app.{|GG0020:InvokeAsync|}(new Flow.Update());
                    await app.InvokeAsync(new Flow.Update(), {|GG0020:null|});
                    await app.GetStateAsync({|GG0020:new GraphConfig { CheckpointNs = "sub" }|});
                    var config = new GraphConfig();
                    await app.UpdateStateAsync({|GG0020:config|}, new Flow.Update());
                }
            }
            """, Sources.AgentGraph);
        Assert.Equal(
            "InvokeAsync on a graph with a checkpointer needs a config with a ThreadId (for example GraphConfig.ForThread(\"user-42\")); without one it throws MissingThreadIdException",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public void Calls_with_a_thread_or_a_config_from_elsewhere_or_without_a_checkpointer_are_not_flagged()
    {
        AnalyzerHarness.Verify("""
            using System.Threading.Tasks;
            using GraphGen;
            using GraphGen.Checkpointing;

            public static class Program
            {
                public static async Task Run(GraphConfig passedIn, CompiledGraph<Flow> fromElsewhere, ICheckpointSaver saver)
                {
                    var app = Agent.Build().Compile(new CompileOptions { Checkpointer = saver });
                    await app.InvokeAsync(new Flow.Update(), GraphConfig.ForThread("t1"));
                    await app.InvokeAsync(new Flow.Update(), new GraphConfig { ThreadId = "t2" });
                    await app.InvokeAsync(new Flow.Update(), passedIn);
                    await app.InvokeAsync(new Flow.Update(), passedIn with { CheckpointId = null });
                    var reassigned = new GraphConfig();
                    reassigned = GraphConfig.ForThread("t3");
                    await app.InvokeAsync(new Flow.Update(), reassigned);
                    await fromElsewhere.InvokeAsync(new Flow.Update());

                    var memoryless = Agent.Build().Compile();
                    await memoryless.InvokeAsync(new Flow.Update());
                }
            }
            """, Sources.AgentGraph);
    }

    [Fact]
    public void Top_level_statements_are_judged_across_the_whole_file()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;
            using GraphGen.Checkpointing;

            var app = Agent.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
            var config = new GraphConfig();
            config = GraphConfig.ForThread(args[0]);
            await app.InvokeAsync(new Flow.Update(), config);
            var fresh = new GraphConfig { CheckpointNs = "sub" };
            await app.GetStateAsync({|GG0020:fresh|});
            """, Sources.AgentGraph);
    }

    [Fact]
    public void An_interrupt_naming_an_unknown_node_is_GG0011()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;
            using GraphGen.Checkpointing;

            public static class Program
            {
                public static CompiledGraph<Flow> Build() =>
                    Agent.Build().Compile(new CompileOptions
                    {
                        Checkpointer = new InMemorySaver(),
                        InterruptBefore = [Agent.Nodes.Plan, {|GG0011:"review"|}],
                        InterruptAfter = ["*"],
                    });
            }
            """, Sources.AgentGraph);
    }
}
