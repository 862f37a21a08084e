using System.Collections.Concurrent;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>draft → human_review → send, for breakpoints and manual updates.</summary>
[Graph<FanOutState>]
[Edge(nameof(Draft), nameof(HumanReview))]
[Edge(nameof(HumanReview), nameof(Send))]
[Edge(nameof(Send), GraphGen.Graph.End)]
public static partial class ReviewGraph
{
    [Node, Entry]
    private static FanOutState.Update Draft(FanOutState state) => new() { Items = ["draft"] };

    [Node("human_review")]
    private static FanOutState.Update HumanReview(FanOutState state) => new() { Items = ["reviewed:" + state.Topic] };

    [Node]
    private static FanOutState.Update Send(FanOutState state) => new() { Items = ["sent"] };
}

/// <summary>A node that asks a human and uses the answer.</summary>
[Graph<FanOutState>]
public static partial class ApprovalGraph
{
    [Node, Entry]
    private static FanOutState.Update Ask(FanOutState state, NodeContext context) =>
        new() { Items = ["answer:" + context.Interrupt($"Approve '{state.Topic}'?").GetString()] };
}

/// <summary>plan fans out one work task per topic with Send, audits in parallel, and a join waits for both.</summary>
[Graph<FanOutState>]
[Edge(nameof(Plan), nameof(Audit))]
[Edge([nameof(Work), nameof(Audit)], nameof(Combine))]
public static partial class MapReduceGraph
{
    [Node, Entry]
    private static FanOutState.Update Plan(FanOutState state) => new() { Items = ["plan"] };

    [Node]
    private static FanOutState.Update Work(FanOutState state) => new() { Items = ["work:" + state.Topic], Total = state.Topic.Length };

    [Node]
    private static FanOutState.Update Audit(FanOutState state) => new() { Items = ["audit"] };

    [Node]
    private static FanOutState.Update Combine(FanOutState state) => new() { Items = [$"combine:{state.Total}"] };

    [Route(From = nameof(Plan), To = [nameof(Work)])]
    private static IEnumerable<Send<FanOutState>> FanOut(FanOutState state) =>
        new[] { "a", "bb", "ccc" }.Select(topic => new Send<FanOutState>(nameof(Work), state with { Topic = topic }));
}

/// <summary>Three parallel nodes; one asks the injected switch whether to fail.</summary>
[Graph<FanOutState>]
public static partial class FlakyGraph
{
    [Node, Entry]
    private static FanOutState.Update A(FanOutState state, RunCounter runs) => runs.Ran("A", new() { Items = ["a"] });

    [Node, Entry]
    private static async Task<FanOutState.Update> B(FanOutState state, RunCounter runs, CancellationToken ct)
    {
        await Task.Yield();
        return runs.Ran("B", new FanOutState.Update { Items = ["b"] }, failFirstTime: true);
    }

    [Node, Entry]
    private static FanOutState.Update C(FanOutState state, RunCounter runs) => runs.Ran("C", new() { Items = ["c"] });
}

/// <summary>Counts node runs and fails a node the first time, when asked to.</summary>
public sealed class RunCounter : IServiceProvider
{
    public ConcurrentDictionary<string, int> Runs { get; } = new();

    public FanOutState.Update Ran(string node, FanOutState.Update update, bool failFirstTime = false)
    {
        var count = Runs.AddOrUpdate(node, 1, (_, n) => n + 1);
        return failFirstTime && count == 1 ? throw new TimeoutException($"{node} timed out") : update;
    }

    public object? GetService(Type serviceType) => serviceType == typeof(RunCounter) ? this : null;
}

/// <summary>The foundation's seed scenarios, on graphs written as attributed methods and wired by the generator.</summary>
public sealed class GeneratedSeedScenarioTests
{
    [Fact]
    public async Task Interrupt_before_review_update_and_resume()
    {
        var app = ReviewGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = [ReviewGraph.Nodes.HumanReview] });
        var config = GraphConfig.ForThread("review");

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "v1" }, config);
        await app.UpdateStateAsync(config, new FanOutState.Update { Topic = "v2" });
        var done = await app.InvokeAsync(null, config);

        Assert.Equal(["human_review"], stopped.Next);
        Assert.Equal(["draft", "reviewed:v2", "sent"], done.State.Items);
    }

    [Fact]
    public async Task Dynamic_interrupt_and_resume_value()
    {
        var app = ApprovalGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("approve");

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "refund" }, config);
        var done = await app.InvokeAsync(Command.Resume("yes"), config);

        Assert.Equal("Approve 'refund'?", stopped.Interrupts.Single().Value.GetString());
        Assert.Equal(["answer:yes"], done.State.Items);
    }

    [Fact]
    public async Task Send_fan_out_with_a_join()
    {
        var app = MapReduceGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var result = await app.InvokeAsync(new FanOutState.Update(), GraphConfig.ForThread("map-reduce"));

        Assert.Equal(["plan", "audit", "work:a", "work:bb", "work:ccc", "combine:6"], result.State.Items);
        Assert.Contains("Work ==> Combine", MapReduceGraph.Mermaid);
    }

    [Fact]
    public async Task A_failed_parallel_node_is_the_only_one_rerun()
    {
        var runs = new RunCounter();
        var app = FlakyGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Services = runs });
        var config = GraphConfig.ForThread("flaky");

        var error = await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        var result = await app.InvokeAsync(null, config);

        Assert.Equal(FlakyGraph.Nodes.B, error.Node);
        Assert.Equal(1, runs.Runs["A"]);
        Assert.Equal(2, runs.Runs["B"]);
        Assert.Equal(1, runs.Runs["C"]);
        Assert.Equal(["a", "b", "c"], result.State.Items);
    }

    [Fact]
    public async Task History_and_replay_on_a_generated_graph()
    {
        var app = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("replay");
        await app.InvokeAsync(new CounterState.Update(), config);
        await app.InvokeAsync(new CounterState.Update(), config);
        var history = await app.GetStateHistoryAsync(config).ToListAsync();
        var beforeSecondIncrement = history.First(h => h.Next.SequenceEqual([CounterGraph.Nodes.Increment]));

        var replayed = await app.InvokeAsync(null, config with { CheckpointId = beforeSecondIncrement.Config!.CheckpointId });

        Assert.Equal(6, history.Count);
        Assert.Equal(2, replayed.State.Count);
        Assert.Equal(8, await app.GetStateHistoryAsync(config).CountAsync());
    }
}
