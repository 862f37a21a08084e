using GraphGen.Checkpointing;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Graph;

/// <summary>The seed scenarios of threads, history and time travel, on the in-memory saver.</summary>
public sealed class PersistenceScenarioTests
{
    private static CompiledGraph<CounterState> Counter(ICheckpointSaver saver) => new StateGraph<CounterState>()
        .AddNode("increment", s => new CounterState.Update { Count = s.Count + 1 })
        .AddEdge(GraphGen.Graph.Start, "increment")
        .AddEdge("increment", GraphGen.Graph.End)
        .Compile(new CompileOptions { Checkpointer = saver });

    private static CompiledGraph<ChatState> Echo(ICheckpointSaver saver) => new StateGraph<ChatState>()
        .AddNode("respond", s => new ChatState.Update { Messages = [new(ChatRole.Assistant, "echo: " + s.Messages[^1].Text)] })
        .AddEdge(GraphGen.Graph.Start, "respond")
        .AddEdge("respond", GraphGen.Graph.End)
        .Compile(new CompileOptions { Checkpointer = saver });

    private static ChatState.Update User(string text) => new() { Messages = [new(ChatRole.User, text)] };

    [Fact]
    public async Task Counter_persists_per_thread()
    {
        var app = Counter(new InMemorySaver());

        var first = await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("1"));
        var second = await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("1"));
        var other = await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("2"));

        Assert.Equal(1, first.State.Count);
        Assert.Equal(2, second.State.Count);
        Assert.Equal(1, other.State.Count);
        Assert.Equal(2, (await app.GetStateAsync(GraphConfig.ForThread("1"))).Values.Count);
    }

    [Fact]
    public async Task Without_a_checkpointer_nothing_is_remembered()
    {
        var app = new StateGraph<CounterState>()
            .AddNode("increment", s => new CounterState.Update { Count = s.Count + 1 })
            .AddEdge(GraphGen.Graph.Start, "increment")
            .Compile();

        Assert.Equal(1, (await app.InvokeAsync(new CounterState.Update())).State.Count);
        Assert.Equal(1, (await app.InvokeAsync(new CounterState.Update())).State.Count);
        Assert.Null((await app.InvokeAsync(new CounterState.Update())).Checkpoint);
    }

    [Fact]
    public async Task Chat_threads_stay_isolated()
    {
        var app = Echo(new InMemorySaver());
        var alice = GraphConfig.ForThread("alice");
        var bob = GraphConfig.ForThread("bob");

        await app.InvokeAsync(User("hi, I am Alice"), alice);
        await app.InvokeAsync(User("hi, I am Bob"), bob);
        var result = await app.InvokeAsync(User("who am I?"), alice);

        Assert.Equal(["hi, I am Alice", "echo: hi, I am Alice", "who am I?", "echo: who am I?"], result.State.Messages.Select(m => m.Text));
        var bobState = await app.GetStateAsync(bob);
        Assert.Equal(["hi, I am Bob", "echo: hi, I am Bob"], bobState.Values.Messages.Select(m => m.Text));
        Assert.All(result.State.Messages, m => Assert.False(string.IsNullOrEmpty(m.MessageId)));
    }

    [Fact]
    public async Task History_has_three_checkpoints_per_turn_newest_first()
    {
        var app = Echo(new InMemorySaver());
        var config = GraphConfig.ForThread("h");
        for (var turn = 0; turn < 3; turn++)
        {
            await app.InvokeAsync(User($"m{turn}"), config);
        }

        var history = await app.GetStateHistoryAsync(config).ToListAsync();

        Assert.Equal(9, history.Count);
        Assert.Equal(Enumerable.Range(-1, 9).Reverse(), history.Select(h => h.Metadata!.Step));
        Assert.Equal(
            [CheckpointSource.Loop, CheckpointSource.Loop, CheckpointSource.Input],
            history.Take(3).Select(h => h.Metadata!.Source));
        Assert.Equal(history.Select(h => h.Config!.CheckpointId).OrderDescending(StringComparer.Ordinal), history.Select(h => h.Config!.CheckpointId));
        for (var i = 0; i < history.Count - 1; i++)
        {
            Assert.Equal(history[i + 1].Config!.CheckpointId, history[i].ParentConfig!.CheckpointId);
        }
        Assert.Equal(["respond"], history[1].Next);
        Assert.Empty(history[0].Next);
        Assert.Equal(6, history[0].Values.Messages.Count);
        Assert.Equal(2, history[6].Values.Messages.Count);

        var limited = await app.GetStateHistoryAsync(config, before: history[2].Config!.CheckpointId, limit: 2).ToListAsync();
        Assert.Equal([history[3].Config, history[4].Config], limited.Select(h => h.Config));
        var inputs = await app.GetStateHistoryAsync(config, filter: new Dictionary<string, object?> { ["source"] = "input" }).ToListAsync();
        Assert.Equal(3, inputs.Count);
    }

    [Fact]
    public async Task Replay_from_an_old_checkpoint_reruns_only_later_nodes_and_forks_a_new_head()
    {
        var runs = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => { runs["a"]++; return new FanOutState.Update { Items = ["a"] }; })
            .AddNode("b", _ => { runs["b"]++; return new FanOutState.Update { Items = ["b"] }; })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge("a", "b")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("tt");
        await app.InvokeAsync(new FanOutState.Update { Topic = "x" }, config);
        var history = await app.GetStateHistoryAsync(config).ToListAsync();
        var beforeB = history.Single(h => h.Next.SequenceEqual(["b"]));

        var replay = await app.InvokeAsync(null, config with { CheckpointId = beforeB.Config!.CheckpointId });

        Assert.Equal(1, runs["a"]);
        Assert.Equal(2, runs["b"]);
        Assert.Equal(["a", "b"], replay.State.Items);
        var after = await app.GetStateHistoryAsync(config).ToListAsync();
        Assert.Equal(history.Count + 2, after.Count);
        Assert.Equal(CheckpointSource.Fork, after[1].Metadata!.Source);
        Assert.Equal(beforeB.Config.CheckpointId, after[1].ParentConfig!.CheckpointId);
        Assert.Equal(replay.Checkpoint, (await app.GetStateAsync(config)).Config);
        // The original branch is untouched.
        Assert.Contains(after, h => h.Config == history[0].Config);
    }

    [Fact]
    public async Task Replaying_a_finished_checkpoint_is_a_no_op()
    {
        var saver = new InMemorySaver();
        var app = Counter(saver);
        var config = GraphConfig.ForThread("done");
        var result = await app.InvokeAsync(new CounterState.Update(), config);

        var again = await app.InvokeAsync(null, config with { CheckpointId = result.Checkpoint!.CheckpointId });

        Assert.Equal(1, again.State.Count);
        Assert.Equal(3, await app.GetStateHistoryAsync(config).CountAsync());
    }

    [Fact]
    public async Task Update_state_as_a_node_then_continue()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("draft", _ => new FanOutState.Update { Items = ["draft"] })
            .AddNode("review", _ => new FanOutState.Update { Items = ["review"] })
            .AddNode("publish", s => new FanOutState.Update { Items = ["publish:" + s.Topic] })
            .AddEdge(GraphGen.Graph.Start, "draft")
            .AddEdge("draft", "review")
            .AddEdge("review", "publish")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = ["review"] });
        var config = GraphConfig.ForThread("u");

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "draft topic" }, config);
        Assert.Equal(["review"], stopped.Next);

        var updated = await app.UpdateStateAsync(config, new FanOutState.Update { Topic = "edited", Items = ["human"] }, asNode: "review");
        var snapshot = await app.GetStateAsync(config);
        Assert.Equal(updated.CheckpointId, snapshot.Config!.CheckpointId);
        Assert.Equal(CheckpointSource.Update, snapshot.Metadata!.Source);
        Assert.Equal(["publish"], snapshot.Next);

        var done = await app.InvokeAsync(null, config);

        Assert.Equal(["draft", "human", "publish:edited"], done.State.Items);
        Assert.False(done.IsInterrupted);
    }

    [Fact]
    public async Task Update_state_without_as_node_acts_as_the_last_node()
    {
        var app = Counter(new InMemorySaver());
        var config = GraphConfig.ForThread("infer");
        await app.InvokeAsync(new CounterState.Update(), config);

        await app.UpdateStateAsync(config, new CounterState.Update { Count = 41 });
        var snapshot = await app.GetStateAsync(config);

        Assert.Equal(41, snapshot.Values.Count);
        Assert.Empty(snapshot.Next);
        Assert.Equal(42, (await app.InvokeAsync(new CounterState.Update(), config)).State.Count);
    }

    [Fact]
    public async Task Update_state_on_an_old_checkpoint_forks_and_keeps_history()
    {
        var app = Counter(new InMemorySaver());
        var config = GraphConfig.ForThread("fork");
        var first = await app.InvokeAsync(new CounterState.Update(), config);
        await app.InvokeAsync(new CounterState.Update(), config);
        var before = await app.GetStateHistoryAsync(config).CountAsync();

        await app.UpdateStateAsync(config with { CheckpointId = first.Checkpoint!.CheckpointId }, new CounterState.Update { Count = 100 }, "increment");

        var history = await app.GetStateHistoryAsync(config).ToListAsync();
        Assert.Equal(before + 2, history.Count);
        Assert.Equal(100, history[0].Values.Count);
        Assert.Equal(CheckpointSource.Fork, history[1].Metadata!.Source);
        Assert.Equal(first.Checkpoint.CheckpointId, history[1].ParentConfig!.CheckpointId);
    }

    [Fact]
    public async Task Twenty_turns_with_a_keep_last_ten_reducer_end_with_ten_messages()
    {
        var app = new StateGraph<TrimmedChatState>()
            .AddNode("respond", s => new TrimmedChatState.Update { Messages = [new(ChatRole.Assistant, "echo: " + s.Messages[^1].Text)] })
            .AddEdge(GraphGen.Graph.Start, "respond")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("trim");

        GraphResult<TrimmedChatState>? result = null;
        for (var turn = 0; turn < 20; turn++)
        {
            result = await app.InvokeAsync(new TrimmedChatState.Update { Messages = [new(ChatRole.User, $"m{turn}")] }, config);
        }

        Assert.Equal(TrimmedChatState.KeepLast, result!.State.Messages.Count);
        Assert.Equal("echo: m19", result.State.Messages[^1].Text);
        Assert.Equal("m15", result.State.Messages[0].Text);
        Assert.Equal(10, (await app.GetStateAsync(config)).Values.Messages.Count);
    }

    [Fact]
    public async Task Unknown_checkpoint_id_is_a_typed_error()
    {
        var app = Counter(new InMemorySaver());
        await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));

        var error = await Assert.ThrowsAsync<CheckpointNotFoundException>(() => app.GetStateAsync(GraphConfig.ForThread("t", "nope")));

        Assert.Contains("'t'", error.Message);
        Assert.Contains("'nope'", error.Message);
    }
}
