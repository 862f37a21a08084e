using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>Pending writes are stored against their checkpoint with task id, channel and value intact, several per task.</summary>
    [Fact]
    public async Task PutWrites_stores_the_writes_of_a_task()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes(("ch1", "\"v1\""), ("ch2", "{\"data\": 123}"), ("ch3", "[]")), "task-1", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal([("task-1", "ch1", "\"v1\""), ("task-1", "ch2", "{\"data\": 123}"), ("task-1", "ch3", "[]")], Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>Pending writes read back by ordinal task id then index: error -1, scheduled -2, interrupt -3, resume -4, regular writes their position.</summary>
    [Fact]
    public async Task Pending_writes_are_ordered_by_task_id_then_index()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes(("x", "1"), ("y", "2")), "task-b", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("x", "3"), (WriteChannels.Error, "\"boom\""), ("z", "4")), "task-a", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Resume, "\"yes\""), (WriteChannels.Interrupt, "[1]")), "task-C", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("w", "5")), "task-B", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal(
            [
                ("task-B", "w", "5"),
                ("task-C", WriteChannels.Resume, "\"yes\""),
                ("task-C", WriteChannels.Interrupt, "[1]"),
                ("task-a", WriteChannels.Error, "\"boom\""),
                ("task-a", "x", "3"),
                ("task-a", "z", "4"),
                ("task-b", "x", "1"),
                ("task-b", "y", "2"),
            ],
            Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>Writing the same task again is idempotent: regular writes keep the first value and are not duplicated (LangGraph's insert-or-ignore).</summary>
    [Fact]
    public async Task PutWrites_again_for_a_task_keeps_the_first_regular_writes()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes(("ch", "\"first\""), ("other", "1")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("ch", "\"second\""), ("other", "2")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("ch", "\"first\""), ("other", "1")), "task", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal([("task", "ch", "\"first\""), ("task", "other", "1")], Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>A batch of only special writes (error, scheduled, interrupt, resume) replaces the task's earlier write on that channel (upsert).</summary>
    [Theory]
    [InlineData(WriteChannels.Error)]
    [InlineData(WriteChannels.Scheduled)]
    [InlineData(WriteChannels.Interrupt)]
    [InlineData(WriteChannels.Resume)]
    public async Task Special_writes_are_replaced(string channel)
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes((channel, "\"old\"")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("regular", "1")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes((channel, "\"new\"")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes((channel, "\"other task\"")), "task-2", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal([("task", channel, "\"new\""), ("task", "regular", "1"), ("task-2", channel, "\"other task\"")], Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>Special writes on different special channels of one task are all kept (their indices differ).</summary>
    [Fact]
    public async Task Special_writes_on_different_channels_coexist()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Interrupt, "[{\"value\":\"ask\"}]")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Resume, "[\"answer\"]")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Error, "\"boom\"")), "task", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal(
            [("task", WriteChannels.Resume, "[\"answer\"]"), ("task", WriteChannels.Interrupt, "[{\"value\":\"ask\"}]"), ("task", WriteChannels.Error, "\"boom\"")],
            Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>A special write inside a batch that also has regular writes is insert-or-ignore like the rest of the batch: it does not replace.</summary>
    [Fact]
    public async Task Special_writes_in_a_mixed_batch_are_not_replaced()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Error, "\"first\"")), "task", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("x", "1"), (WriteChannels.Error, "\"second\"")), "task", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);
        Assert.Equal([("task", WriteChannels.Error, "\"first\""), ("task", "x", "1")], Meta.Read(tuple!.PendingWrites));
    }

    /// <summary>Writes of different tasks to the same channel are all kept.</summary>
    [Fact]
    public async Task Writes_of_different_tasks_to_one_channel_are_all_kept()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes(("ch", "\"from t1\"")), "t1", ct: Ct);
        await Saver.PutWritesAsync(config, Meta.Writes(("ch", "\"from t2\"")), "t2", ct: Ct);

        Assert.Equal([("t1", "ch", "\"from t1\""), ("t2", "ch", "\"from t2\"")], Meta.Read((await Saver.GetTupleAsync(config, Ct))!.PendingWrites));
    }

    /// <summary>Writes belong to the checkpoint they were written against: the next checkpoint starts with none and the older one keeps its own.</summary>
    [Fact]
    public async Task Pending_writes_belong_to_their_checkpoint_only()
    {
        var thread = Writer("t1");
        var first = await thread.PutAsync(("a", "1"));
        await Saver.PutWritesAsync(first, Meta.Writes(("ch", "\"old\"")), "task", ct: Ct);
        var second = await thread.PutAsync(("a", "2"));
        await Saver.PutWritesAsync(second, Meta.Writes(("ch", "\"new\"")), "task", ct: Ct);
        var third = await thread.PutAsync(("a", "3"));

        Assert.Equal([("task", "ch", "\"old\"")], Meta.Read((await Saver.GetTupleAsync(first, Ct))!.PendingWrites));
        Assert.Equal([("task", "ch", "\"new\"")], Meta.Read((await Saver.GetTupleAsync(second, Ct))!.PendingWrites));
        Assert.Empty((await Saver.GetTupleAsync(third, Ct))!.PendingWrites);
        Assert.Empty((await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.PendingWrites);
    }

    /// <summary>A task path is accepted and the writes stored with it read back like any others.</summary>
    [Fact]
    public async Task PutWrites_accepts_a_task_path()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, Meta.Writes((WriteChannels.Tasks, "{\"node\":\"n\"}")), "task", "~__pregel_push:0:a:b", Ct);

        Assert.Equal([("task", WriteChannels.Tasks, "{\"node\":\"n\"}")], Meta.Read((await Saver.GetTupleAsync(config, Ct))!.PendingWrites));
    }

    /// <summary>With the same checkpoint id in the root and a child namespace, each checkpoint reads only its own writes (writes are keyed by namespace too).</summary>
    [Fact]
    public async Task Pending_writes_are_isolated_by_namespace()
    {
        var id = CheckpointIds.New(-1);
        var checkpoint = new Checkpoint
        {
            Id = id,
            Ts = DateTimeOffset.UtcNow,
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>>(),
            ChannelVersions = new Dictionary<string, string>(),
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        };
        var root = await Saver.PutAsync(new CheckpointConfig("t1"), checkpoint, Meta.Of(CheckpointSource.Input, -1), new Dictionary<string, string>(), Ct);
        var child = await Saver.PutAsync(new CheckpointConfig("t1", "child:1"), checkpoint, Meta.Of(CheckpointSource.Input, -1), new Dictionary<string, string>(), Ct);

        await Saver.PutWritesAsync(root, Meta.Writes(("ch", "\"root\"")), "task", ct: Ct);
        await Saver.PutWritesAsync(child, Meta.Writes(("ch", "\"child\"")), "task", ct: Ct);

        Assert.Equal(root.CheckpointId, child.CheckpointId);
        Assert.Equal([("task", "ch", "\"root\"")], Meta.Read((await Saver.GetTupleAsync(root, Ct))!.PendingWrites));
        Assert.Equal([("task", "ch", "\"child\"")], Meta.Read((await Saver.GetTupleAsync(child, Ct))!.PendingWrites));
    }

    /// <summary>Putting an empty batch of writes stores nothing and does not fail.</summary>
    [Fact]
    public async Task PutWrites_with_no_writes_stores_nothing()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Saver.PutWritesAsync(config, [], "task", ct: Ct);

        Assert.Empty((await Saver.GetTupleAsync(config, Ct))!.PendingWrites);
    }
}
