using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>
/// The compiled graph's cache of each thread's latest state: a call that continues the thread it left reuses the
/// state instead of parsing the stored values; anything else written to the thread is read from the saver.
/// </summary>
public sealed class StateCacheTests
{
    private static CompiledGraph<FanOutState> Graph(ICheckpointSaver saver, int cacheSize = 64, List<FanOutState>? seen = null) =>
        new StateGraph<FanOutState>()
            .AddNode("add", s =>
            {
                seen?.Add(s);
                return new FanOutState.Update { Items = [$"item {s.Items.Count}"], Total = 1 };
            })
            .AddEdge(GraphGen.Graph.Start, "add")
            .AddEdge("add", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver, StateCacheSize = cacheSize });

    private static FanOutState.Update Input(string topic) => new() { Topic = topic };

    [Fact]
    public async Task The_next_call_on_a_thread_starts_from_the_state_the_last_call_ended_with()
    {
        var seen = new List<FanOutState>();
        var app = Graph(new InMemorySaver(), seen: seen);
        var config = GraphConfig.ForThread("t");
        var first = await app.InvokeAsync(Input("a"), config);

        var second = await app.InvokeAsync(null, config);
        await app.InvokeAsync(Input("b"), config);

        Assert.Same(first.State, second.State);
        // The input step reduces the cached state: the node sees it with the new topic, and the items it ended with.
        Assert.Equal(["item 0"], seen[1].Items);
        Assert.Equal("b", seen[1].Topic);
        Assert.Equal(["item 0", "item 1"], (await app.GetStateAsync(config)).Values.Items);
    }

    [Fact]
    public async Task Without_the_cache_each_call_reads_the_stored_state()
    {
        var app = Graph(new InMemorySaver(), cacheSize: 0);
        var config = GraphConfig.ForThread("t");
        var first = await app.InvokeAsync(Input("a"), config);

        var second = await app.InvokeAsync(null, config);

        Assert.NotSame(first.State, second.State);
        Assert.Equal(first.State.Items, second.State.Items);
        Assert.Equal((first.State.Topic, first.State.Total), (second.State.Topic, second.State.Total));
    }

    [Fact]
    public async Task A_turn_written_by_another_graph_instance_is_read_from_the_saver()
    {
        var saver = new InMemorySaver();
        var (app, other) = (Graph(saver), Graph(saver));
        var config = GraphConfig.ForThread("t");
        await app.InvokeAsync(Input("a"), config);
        await other.InvokeAsync(Input("b"), config);

        var result = await app.InvokeAsync(Input("c"), config);

        Assert.Equal(["item 0", "item 1", "item 2"], result.State.Items);
        Assert.Equal(3, result.State.Total);
        Assert.Equal("c", result.State.Topic);
    }

    [Fact]
    public async Task A_fork_of_an_older_checkpoint_starts_from_that_checkpoint_not_the_cached_head()
    {
        var app = Graph(new InMemorySaver());
        var config = GraphConfig.ForThread("t");
        await app.InvokeAsync(Input("a"), config);
        var afterFirst = (await app.GetStateAsync(config)).Config!;
        await app.InvokeAsync(Input("b"), config);

        var fork = await app.InvokeAsync(Input("c"), config with { CheckpointId = afterFirst.CheckpointId });

        Assert.Equal(["item 0", "item 1"], fork.State.Items);
        Assert.Equal(2, fork.State.Total);
    }

    [Fact]
    public async Task A_state_updated_by_hand_is_the_state_the_next_call_starts_from()
    {
        var app = Graph(new InMemorySaver());
        var config = GraphConfig.ForThread("t");
        await app.InvokeAsync(Input("a"), config);
        await app.UpdateStateAsync(config, new FanOutState.Update { Items = ["by hand"] }, asNode: "add");

        var result = await app.InvokeAsync(Input("b"), config);

        Assert.Equal(["item 0", "by hand", "item 2"], result.State.Items);
    }

    [Fact]
    public async Task A_deleted_and_restarted_thread_does_not_see_the_cached_state()
    {
        var saver = new InMemorySaver();
        var app = Graph(saver);
        var config = GraphConfig.ForThread("t");
        await app.InvokeAsync(Input("a"), config);
        await app.InvokeAsync(Input("b"), config);
        await saver.DeleteThreadAsync("t", TestContext.Current.CancellationToken);

        var result = await app.InvokeAsync(Input("c"), config);

        Assert.Equal(["item 0"], result.State.Items);
        Assert.Equal(1, result.State.Total);
    }

    [Fact]
    public async Task More_threads_than_the_cache_holds_still_read_correctly()
    {
        var app = Graph(new InMemorySaver(), cacheSize: 2);
        for (var round = 0; round < 3; round++)
        {
            for (var t = 0; t < 5; t++)
            {
                var result = await app.InvokeAsync(Input($"r{round}"), GraphConfig.ForThread($"t{t}"));
                Assert.Equal(round + 1, result.State.Total);
            }
        }
    }

    [Fact]
    public void A_negative_cache_size_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Graph(new InMemorySaver(), cacheSize: -1));
        Assert.Contains("StateCacheSize", error.Message, StringComparison.Ordinal);
    }
}
