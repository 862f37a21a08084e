using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>GetTuple without a checkpoint id returns the namespace's latest checkpoint, with its real id in the config.</summary>
    [Fact]
    public async Task GetTuple_without_an_id_returns_the_latest_checkpoint()
    {
        var thread = Writer("t1");
        await thread.PutChainAsync(3);

        var tuple = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);

        Expect.Tuple(thread.History[thread.Head.CheckpointId!], tuple);
        Assert.Equal(1, tuple!.Metadata.Step);
    }

    /// <summary>GetTuple with a checkpoint id returns exactly that checkpoint, older ones included.</summary>
    [Fact]
    public async Task GetTuple_by_id_returns_that_checkpoint()
    {
        var thread = Writer("t1");
        var configs = await thread.PutChainAsync(3);

        foreach (var config in configs)
        {
            Expect.Tuple(thread.History[config.CheckpointId!], await Saver.GetTupleAsync(config, Ct));
        }
    }

    /// <summary>GetTuple of an id the thread does not have is null, even when another thread has that id.</summary>
    [Fact]
    public async Task GetTuple_of_an_unknown_id_is_null()
    {
        var first = await Writer("t1").PutAsync(("a", "1"));
        await Writer("t2").PutAsync(("a", "2"));

        Assert.Null(await Saver.GetTupleAsync(first.WithCheckpoint(CheckpointIds.New(0)), Ct));
        Assert.Null(await Saver.GetTupleAsync(first with { ThreadId = "t2" }, Ct));
    }

    /// <summary>GetTuple of a thread with no checkpoints is null, with or without an id.</summary>
    [Fact]
    public async Task GetTuple_of_an_unknown_thread_is_null()
    {
        await Writer("t1").PutAsync(("a", "1"));

        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("nobody"), Ct));
        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("nobody", "", CheckpointIds.New(0)), Ct));
    }

    /// <summary>GetTuple of a namespace the thread has no checkpoints in is null (root and child namespaces do not stand in for each other).</summary>
    [Fact]
    public async Task GetTuple_of_an_unknown_namespace_is_null()
    {
        var root = await Writer("t1").PutAsync(("a", "1"));
        var child = await Writer("t2", "child").PutAsync(("a", "1"));

        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t1", "child"), Ct));
        Assert.Null(await Saver.GetTupleAsync(root with { CheckpointNs = "child" }, Ct));
        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t2"), Ct));
        Assert.Null(await Saver.GetTupleAsync(child with { CheckpointNs = "" }, Ct));
    }

    /// <summary>Every checkpoint field round-trips (id, v, ts to the tick, versions, versions seen, updated channels) and read checkpoints carry no append hints.</summary>
    [Fact]
    public async Task GetTuple_returns_every_checkpoint_field_as_put()
    {
        var ts = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567);
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(-1, ts),
            Ts = ts,
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = Bytes.Json("[1]"), ["b"] = Bytes.Json("\"x\"") },
            ChannelVersions = new Dictionary<string, string> { ["a"] = "00000001.0000abcd", ["b"] = "00000007.12345678" },
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["__input__"] = new Dictionary<string, string>(),
                ["node1"] = new Dictionary<string, string> { ["a"] = "00000001.0000abcd", ["b"] = "00000006.00000000" },
                ["node2"] = new Dictionary<string, string> { ["a"] = "00000001.0000abcd" },
            },
            UpdatedChannels = ["b", "a"],
            Appends = new Dictionary<string, ChannelAppend> { ["a"] = new("00000000.00000000", 1) },
        };
        var metadata = new CheckpointMetadata { Source = CheckpointSource.Input, Step = -1 };
        var newVersions = new Dictionary<string, string>(checkpoint.ChannelVersions);

        var config = await Saver.PutAsync(new CheckpointConfig("t1"), checkpoint, metadata, newVersions, Ct);
        var tuple = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);

        var values = new Dictionary<string, byte[]> { ["a"] = Bytes.Json("[1]"), ["b"] = Bytes.Json("\"x\"") };
        Expect.Tuple(new Expected(config, null, checkpoint, metadata, values), tuple);
        Assert.Equal(ts.UtcTicks, tuple!.Checkpoint.Ts.UtcTicks);
        Assert.Empty(tuple.PendingWrites);
    }

    /// <summary>The parent config round-trips: null for a thread's first checkpoint, then the checkpoint each put extended, in its namespace.</summary>
    [Fact]
    public async Task ParentConfig_names_the_checkpoint_a_put_extended()
    {
        var thread = Writer("t1", "sub|node:1");
        var configs = await thread.PutChainAsync(3);

        Assert.Null((await Saver.GetTupleAsync(configs[0], Ct))!.ParentConfig);
        Assert.Equal(configs[0], (await Saver.GetTupleAsync(configs[1], Ct))!.ParentConfig);
        Assert.Equal(configs[1], (await Saver.GetTupleAsync(configs[2], Ct))!.ParentConfig);
    }
}
