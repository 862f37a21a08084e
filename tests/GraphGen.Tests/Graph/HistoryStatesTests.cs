using System.Text;
using System.Text.Json;
using GraphGen.Checkpointing;
using GraphGen.Tests.Serialization;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Graph;

/// <summary>
/// A history listing reads each older state from the newer one where the stored bytes allow (<see cref="HistoryStates{TState}"/>):
/// every listed state must still be exactly what its checkpoint's values parse to, whatever the thread did in between.
/// </summary>
public sealed class HistoryStatesTests
{
    private static readonly StateSchema<GrowingState> Schema = RoundTrip.Schema<GrowingState>();

    private static CompiledGraph<GrowingState> Graph(ICheckpointSaver saver, int stateCacheSize = 64) =>
        new StateGraph<GrowingState>()
            .AddNode("grow", s => new GrowingState.Update
            {
                Messages = [new ChatMessage(ChatRole.Assistant, $"answer {s.Turn}") { MessageId = $"a{s.Turn}" }],
                Marks = [s.Turn],
                Notes = [$"note {s.Turn}"],
                Turn = s.Turn + 1,
            })
            .AddEdge(GraphGen.Graph.Start, "grow")
            .AddEdge("grow", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver, StateCacheSize = stateCacheSize });

    private static GrowingState.Update Question(int turn) =>
        new() { Messages = [new ChatMessage(ChatRole.User, $"question {turn}") { MessageId = $"u{turn}" }] };

    private static async Task TurnsAsync(CompiledGraph<GrowingState> app, GraphConfig config, int from, int count)
    {
        for (var turn = from; turn < from + count; turn++)
        {
            await app.InvokeAsync(Question(turn), config);
        }
    }

    /// <summary>
    /// Turns, a fork of an older checkpoint (a newer checkpoint with shorter lists), turns on the fork, a removed
    /// message (a list that is no longer a prefix), more turns.
    /// </summary>
    private static async Task<GraphConfig> EventfulThreadAsync(CompiledGraph<GrowingState> app)
    {
        var config = GraphConfig.ForThread("t");
        await TurnsAsync(app, config, 0, 3);
        var older = await app.GetStateHistoryAsync(config).Skip(4).FirstAsync();
        await app.UpdateStateAsync(config with { CheckpointId = older.Config!.CheckpointId }, new GrowingState.Update { Marks = [99] });
        await TurnsAsync(app, config, 3, 2);
        await app.UpdateStateAsync(config, new GrowingState.Update { Messages = [AddMessages.Remove("u0")] });
        await TurnsAsync(app, config, 5, 2);
        return config;
    }

    private static string Json(GrowingState state) => Encoding.UTF8.GetString(Schema.SerializeState(state));

    /// <summary>A checkpoint's versions seen, copied: what it held before, to compare with what it holds after.</summary>
    private static Dictionary<string, Dictionary<string, string>> SeenCopy(Checkpoint checkpoint) =>
        checkpoint.VersionsSeen.ToDictionary(p => p.Key, p => p.Value.ToDictionary());

    /// <summary>Each listed state against its checkpoint's values read whole; returns how many were listed.</summary>
    private static async Task<int> AssertEachIsItsCheckpointReadWholeAsync(ICheckpointSaver saver, IAsyncEnumerable<StateSnapshot<GrowingState>> listing)
    {
        var count = 0;
        await foreach (var snapshot in listing)
        {
            var tuple = await saver.GetTupleAsync(snapshot.Config!);
            var whole = Schema.ReadState(tuple!.Checkpoint.ChannelValues);
            Assert.True(Json(whole) == Json(snapshot.Values), $"checkpoint {snapshot.Config!.CheckpointId} (#{count} listed): {Json(snapshot.Values)} instead of {Json(whole)}");
            count++;
        }
        return count;
    }

    [Theory]
    [InlineData(64)]
    [InlineData(0)]
    public async Task Every_listed_state_is_what_its_checkpoint_reads_to(int stateCacheSize)
    {
        var saver = new InMemorySaver();
        var app = Graph(saver, stateCacheSize);
        var config = await EventfulThreadAsync(app);

        var listed = await AssertEachIsItsCheckpointReadWholeAsync(saver, app.GetStateHistoryAsync(config));

        Assert.Equal(await saver.ListAsync(new CheckpointConfig("t")).CountAsync(), listed);
        Assert.True(listed > 20);
    }

    [Fact]
    public async Task Listings_that_start_anywhere_read_the_same_states()
    {
        var saver = new InMemorySaver();
        var app = Graph(saver);
        var config = await EventfulThreadAsync(app);
        var all = await app.GetStateHistoryAsync(config).ToListAsync();

        Assert.Equal(5, await AssertEachIsItsCheckpointReadWholeAsync(saver, app.GetStateHistoryAsync(config, before: all[7].Config!.CheckpointId, limit: 5)));
        var inputs = await AssertEachIsItsCheckpointReadWholeAsync(saver, app.GetStateHistoryAsync(config, new Dictionary<string, object?> { ["source"] = "input" }));
        Assert.Equal(7, inputs);
    }

    [Fact]
    public async Task Older_lists_share_the_newer_lists_items_where_the_type_allows()
    {
        var saver = new InMemorySaver();
        var app = Graph(saver, stateCacheSize: 0);
        var config = GraphConfig.ForThread("t");
        await TurnsAsync(app, config, 0, 4);

        var history = await app.GetStateHistoryAsync(config).ToListAsync();

        // ImmutableList: every older list is the newest without its last items, so the first message is one instance;
        // the first turn's checkpoint before its node ran has channels not written yet, and is read whole.
        Assert.Equal(12, history.Count);
        var withMessages = history.Where(s => s.Values.Messages.Count > 1).ToList();
        Assert.Equal(10, withMessages.Count);
        Assert.All(withMessages, s => Assert.Same(withMessages[0].Values.Messages[0], s.Values.Messages[0]));
        var firstQuestion = history.Single(s => s.Values.Messages.Count == 1).Values.Messages[0];
        Assert.NotSame(withMessages[0].Values.Messages[0], firstQuestion);
        Assert.Equal("question 0", firstQuestion.Text);
        // IReadOnlyList (no TryDropLast): a checkpoint whose notes changed parses them.
        var withNotes = history.Where(s => s.Values.Notes.Count > 0).ToList();
        Assert.NotSame(withNotes[0].Values.Notes[0], withNotes[^1].Values.Notes[0]);
        Assert.Equal(["note 0", "note 1", "note 2", "note 3"], withNotes[0].Values.Notes);
        Assert.Equal([0, 1, 2, 3], withNotes[0].Values.Marks);
        Assert.Equal([0], withNotes[^1].Values.Marks);
    }

    [Fact]
    public async Task A_plain_class_state_is_read_from_newer_ones_too()
    {
        var saver = new InMemorySaver();
        var app = new StateGraph<GrowingLog>()
            .AddNode("log", s => new GrowingLog.Update { Lines = [$"line {s.Count}"], Count = s.Count + 1 })
            .AddEdge(GraphGen.Graph.Start, "log")
            .AddEdge("log", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver, StateCacheSize = 0 });
        var config = GraphConfig.ForThread("t");
        for (var i = 0; i < 3; i++)
        {
            await app.InvokeAsync(new GrowingLog.Update(), config);
        }
        var schema = RoundTrip.Schema<GrowingLog>();

        var history = await app.GetStateHistoryAsync(config).ToListAsync();

        foreach (var snapshot in history)
        {
            var whole = schema.ReadState((await saver.GetTupleAsync(snapshot.Config!))!.Checkpoint.ChannelValues);
            Assert.Equal(whole.Lines, snapshot.Values.Lines);
            Assert.Equal(whole.Count, snapshot.Values.Count);
        }
        var withLines = history.Where(s => s.Values.Lines.Count > 0).ToList();
        Assert.Equal(["line 0", "line 1", "line 2"], withLines[0].Values.Lines);
        Assert.All(withLines, s => Assert.Same(withLines[0].Values.Lines[0], s.Values.Lines[0]));
    }

    [Fact]
    public async Task Listing_reading_and_running_from_a_checkpoint_never_change_the_stored_one()
    {
        var saver = new InMemorySaver();
        var app = Graph(saver, stateCacheSize: 0);
        var config = GraphConfig.ForThread("t");
        await TurnsAsync(app, config, 0, 2);
        var head = (await saver.GetTupleAsync(new CheckpointConfig("t")))!;
        var versions = head.Checkpoint.ChannelVersions.ToDictionary();
        var seen = SeenCopy(head.Checkpoint);

        await app.GetStateHistoryAsync(config).ToListAsync();
        await app.GetStateAsync(config);
        await TurnsAsync(app, config, 2, 1);
        await app.UpdateStateAsync(config with { CheckpointId = head.Config.CheckpointId }, new GrowingState.Update { Marks = [7] });

        var stored = (await saver.GetTupleAsync(head.Config))!.Checkpoint;
        Assert.Equal(versions, stored.ChannelVersions.ToDictionary());
        Assert.Equal(seen, SeenCopy(stored));
    }

    [Fact]
    public async Task Reading_a_failed_step_with_a_finished_task_never_changes_the_stored_checkpoint()
    {
        var saver = new InMemorySaver();
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => new FanOutState.Update { Items = ["a"] })
            .AddNode("b", StateUpdate<FanOutState>? (_) => throw new TimeoutException("boom"))
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge(GraphGen.Graph.Start, "b")
            .Compile(new CompileOptions { Checkpointer = saver, StateCacheSize = 0 });
        var config = GraphConfig.ForThread("t");
        await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        var head = (await saver.GetTupleAsync(new CheckpointConfig("t")))!;
        var seen = SeenCopy(head.Checkpoint);
        var versions = head.Checkpoint.ChannelVersions.ToDictionary();

        // The latest state applies the finished task's writes: a's triggers are marked seen on a loaded checkpoint.
        var snapshot = await app.GetStateAsync(config);

        Assert.Equal(["a"], snapshot.Values.Items);
        Assert.Equal(["b"], snapshot.Next);
        var stored = (await saver.GetTupleAsync(head.Config))!.Checkpoint;
        Assert.Equal(seen, SeenCopy(stored));
        Assert.Equal(versions, stored.ChannelVersions.ToDictionary());
    }

    [Fact]
    public async Task Resuming_from_a_breakpoint_never_changes_the_stored_checkpoint()
    {
        var saver = new InMemorySaver();
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => new FanOutState.Update { Items = ["a"] })
            .AddNode("b", _ => new FanOutState.Update { Items = ["b"] })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge("a", "b")
            .AddEdge("b", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver, InterruptBefore = ["b"], StateCacheSize = 0 });
        var config = GraphConfig.ForThread("t");
        await app.InvokeAsync(new FanOutState.Update(), config);
        var head = (await saver.GetTupleAsync(new CheckpointConfig("t")))!;
        var seen = SeenCopy(head.Checkpoint);

        // Resuming marks everything seen at the breakpoint on the loaded checkpoint's channels.
        var done = await app.InvokeAsync(null, config);

        Assert.Equal(["a", "b"], done.State.Items);
        Assert.Equal(seen, SeenCopy((await saver.GetTupleAsync(head.Config))!.Checkpoint));
    }

    [Theory]
    [InlineData("[1,2]", "[1,2,3,4]", 2)]
    [InlineData("[1,2,3]", "[1,2,3]", 0)]
    [InlineData("[{\"a\":[1,2]}]", "[{\"a\":[1,2]},{\"b\":{}},[3,4],\"x\"]", 3)]
    [InlineData("[1]", "[12]", null)]
    [InlineData("[1,2]", "[1,3,4]", null)]
    [InlineData("[1,2,3]", "[1,2]", null)]
    [InlineData("[]", "[1]", null)]
    [InlineData("\"ab\"", "\"abc\"", null)]
    [InlineData("[1]", "{\"a\":1}", null)]
    public void Items_after_a_cut_are_counted_only_when_the_older_value_is_the_newer_cut_after_an_item(string older, string newer, int? dropped) =>
        Assert.Equal(dropped, HistoryStates<GrowingState>.DroppedItems(Whole(newer), Whole(older)));

    [Fact]
    public void An_extension_of_the_older_value_is_counted_from_its_suffix_alone()
    {
        var older = Whole("[1,2]");

        Assert.Equal(3, HistoryStates<GrowingState>.DroppedItems(older.Extend(4, ",3,[4],{}]"u8.ToArray()), older));
        Assert.Equal(0, HistoryStates<GrowingState>.DroppedItems(older.Extend(4, "]"u8.ToArray()), older));
        Assert.Equal(0, HistoryStates<GrowingState>.DroppedItems(older, older));
        // An extension that replaced the last item is compared byte for byte, and is no cut.
        Assert.Null(HistoryStates<GrowingState>.DroppedItems(older.Extend(3, "3]"u8.ToArray()), older));
        var empty = Whole("[]");
        Assert.Null(HistoryStates<GrowingState>.DroppedItems(empty.Extend(1, "1]"u8.ToArray()), empty));
    }

    [Theory]
    [InlineData("[1,2,{]", "[1,2]")]
    [InlineData("[[1,2]]", "[[1]")]
    [InlineData("[[1,2,3]]", "[[1]")]
    [InlineData("[\"a,b\"]", "[\"a]")]
    public void An_older_value_cut_anywhere_but_after_an_item_is_a_read_error(string newer, string older)
    {
        var error = Assert.ThrowsAny<JsonException>(() => HistoryStates<GrowingState>.DroppedItems(Whole(newer), Whole(older)));
        Assert.True(ChannelState<GrowingState>.IsReadError(error));
    }

    private static ChannelBytes Whole(string json) => ChannelBytes.Whole(Encoding.UTF8.GetBytes(json));
}
