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

        // Once it is no longer the thread's latest (a saver may keep older checkpoints differently), still as put.
        var next = new Checkpoint
        {
            Id = CheckpointIds.New(0, ts.AddSeconds(1)),
            Ts = ts.AddSeconds(1),
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["b"] = Bytes.Json("\"y\"") },
            ChannelVersions = new Dictionary<string, string> { ["a"] = "00000001.0000abcd", ["b"] = "00000008.00000000" },
            VersionsSeen = checkpoint.VersionsSeen,
            UpdatedChannels = ["b"],
        };
        await Saver.PutAsync(config, next, new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 0 }, new Dictionary<string, string> { ["b"] = "00000008.00000000" }, Ct);
        var older = await Saver.GetTupleAsync(config, Ct);
        Expect.Tuple(new Expected(config, null, checkpoint, metadata, values), older);
        Assert.Equal("00000007.12345678", older!.Checkpoint.ChannelVersions["b"]);
        Assert.False(older.Checkpoint.ChannelVersions.ContainsKey("c"));
        Assert.True(older.Checkpoint.VersionsSeen.TryGetValue("node1", out var seen) && seen["b"] == "00000006.00000000");
        Assert.False(older.Checkpoint.VersionsSeen.ContainsKey("node3"));
    }

    /// <summary>
    /// Versions seen read back as put for every checkpoint of a chain whose checkpoints share a node's map until the
    /// node runs again, as the runtime writes them (a saver may share what it keeps the same way).
    /// </summary>
    [Fact]
    public async Task Versions_seen_shared_between_checkpoints_read_back_as_put_for_each()
    {
        var ts = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        IReadOnlyDictionary<string, string> Seen(string version) => new Dictionary<string, string> { ["a"] = version };
        var (n1, n2) = (Seen("00000001.00000000"), Seen("00000002.00000000"));
        // Each step one node sees a new version; the other node's map is the same object as in the step before.
        IReadOnlyDictionary<string, string>[][] steps = [[n1, n2], [n1, n2 = Seen("00000003.00000000")], [n1 = Seen("00000004.00000000"), n2], [n1, n2], [n1, n2 = Seen("00000005.00000000")]];
        var config = new CheckpointConfig("t1");
        var puts = new List<(CheckpointConfig Config, Checkpoint Checkpoint)>();
        for (var step = 0; step < steps.Length; step++)
        {
            var version = $"{step + 1:D8}.00000000";
            var checkpoint = new Checkpoint
            {
                Id = CheckpointIds.New(step, ts.AddSeconds(step)),
                Ts = ts.AddSeconds(step),
                ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = Bytes.Json($"{step}") },
                ChannelVersions = new Dictionary<string, string> { ["a"] = version },
                VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["n1"] = steps[step][0], ["n2"] = steps[step][1] },
            };
            config = await Saver.PutAsync(config, checkpoint, new CheckpointMetadata { Source = CheckpointSource.Loop, Step = step }, new Dictionary<string, string> { ["a"] = version }, Ct);
            puts.Add((config, checkpoint));
        }

        foreach (var (put, checkpoint) in puts)
        {
            var got = (await Saver.GetTupleAsync(put, Ct))!.Checkpoint;
            Assert.Equal(checkpoint.Id, got.Id);
            Assert.Equal(checkpoint.VersionsSeen["n1"]["a"], got.VersionsSeen["n1"]["a"]);
            Assert.Equal(checkpoint.VersionsSeen["n2"]["a"], got.VersionsSeen["n2"]["a"]);
        }
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
