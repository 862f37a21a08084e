using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>Put returns the config that addresses the stored checkpoint: the same thread and namespace, the checkpoint's id.</summary>
    [Fact]
    public async Task Put_returns_the_config_of_the_stored_checkpoint()
    {
        var thread = Writer("t1", "child");
        var first = await thread.PutAsync(("a", "1"));
        var second = await thread.PutAsync(("a", "2"));

        Assert.Equal(new CheckpointConfig("t1", "child", thread.History[first.CheckpointId!].Checkpoint.Id), first);
        Assert.Equal(new CheckpointConfig("t1", "child", thread.History[second.CheckpointId!].Checkpoint.Id), second);
        Assert.Equal(second, (await Saver.GetTupleAsync(new CheckpointConfig("t1", "child"), Ct))!.Config);
    }

    /// <summary>Metadata source and step round-trip for every source LangGraph defines (input, loop, update, fork).</summary>
    [Theory]
    [InlineData(CheckpointSource.Input, -1)]
    [InlineData(CheckpointSource.Loop, 0)]
    [InlineData(CheckpointSource.Update, 7)]
    [InlineData(CheckpointSource.Fork, 12345)]
    public async Task Metadata_source_and_step_round_trip(CheckpointSource source, int step)
    {
        var thread = Writer("t1");
        var config = await thread.PutAsync(Meta.Of(source, step), ("a", "1"));

        var tuple = await Saver.GetTupleAsync(config, Ct);

        Assert.Equal(source, tuple!.Metadata.Source);
        Assert.Equal(step, tuple.Metadata.Step);
    }

    /// <summary>Metadata run id, parents (namespace → checkpoint id) and custom string, integer, float, boolean and null entries round-trip.</summary>
    [Fact]
    public async Task Metadata_run_id_parents_and_custom_entries_round_trip()
    {
        var metadata = new CheckpointMetadata
        {
            Source = CheckpointSource.Loop,
            Step = 3,
            RunId = "run-7f3c",
            Parents = new Dictionary<string, string> { [""] = CheckpointIds.New(2), ["outer|inner"] = CheckpointIds.New(0) },
            Custom = new Dictionary<string, object?>
            {
                ["user_id"] = "alice",
                ["score"] = 42L,
                ["small"] = -7,
                ["big"] = long.MaxValue,
                ["ratio"] = 0.125,
                ["flag"] = true,
                ["off"] = false,
                ["nothing"] = null,
                ["json_text"] = "{\"a\":[1,2]}",
            },
        };
        var config = await Writer("t1").PutAsync(metadata, ("a", "1"));

        var tuple = await Saver.GetTupleAsync(config, Ct);

        Expect.Metadata(metadata, tuple!.Metadata);
        Assert.Equal(long.MaxValue, tuple.Metadata.Custom["big"]);
        Assert.Equal("{\"a\":[1,2]}", tuple.Metadata.Custom["json_text"]);
        Assert.IsType<bool>(tuple.Metadata.Custom["flag"]);
        Assert.IsType<string>(tuple.Metadata.Custom["user_id"]);
    }

    /// <summary>Channel values come back byte for byte: whitespace, key order, duplicate keys, escapes, number spellings and non-ASCII text are kept as put.</summary>
    /// <remarks>A JSONB column would normalize them.</remarks>
    [Fact]
    public async Task Channel_values_round_trip_byte_exact()
    {
        var thread = Writer("t1");
        await thread.PutAsync(
            ("spaced", "{ \"b\" : 1,\n\t\"a\" : [ 1 , 2 ] }"),
            ("dupes", "{\"k\":1,\"k\":2}"),
            ("escapes", "\"\\u00e9\\n\\\"\\/\\ud83c\\udf89\""),
            ("raw_unicode", "\"é 中文 🎉 \u2028\""),
            ("numbers", "[1.0,1e3,-0,0.1000,12345678901234567890]"),
            ("scalar_null", "null"),
            ("empty_string", "\"\""));

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A put stores only its new versions; later checkpoints still read every channel through its version, including channels only the first one wrote.</summary>
    [Fact]
    public async Task Channels_stored_only_in_an_earlier_checkpoint_still_read_back()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("a", "\"a1\""), ("b", "\"b1\""), ("c", "\"c1\""));
        await thread.PutAsync(("a", "\"a2\""));
        await thread.PutAsync(("d", "\"d1\""));
        await thread.PutAsync(("a", "\"a3\""), ("b", "\"b2\""));

        var latest = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);

        Assert.Equal("\"c1\"", Bytes.Text(latest!.Checkpoint.ChannelValues["c"]));
        Assert.Equal("\"d1\"", Bytes.Text(latest.Checkpoint.ChannelValues["d"]));
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A new version without a value (the channel was emptied) reads back as no value, while older checkpoints keep theirs.</summary>
    [Fact]
    public async Task A_new_version_without_a_value_reads_back_as_absent()
    {
        var thread = Writer("t1");
        var first = await thread.PutAsync(("a", "1"), ("b", "2"));
        var emptied = await thread.PutAsync(("a", null));

        var tuple = await Saver.GetTupleAsync(emptied, Ct);

        Assert.False(tuple!.Checkpoint.ChannelValues.ContainsKey("a"));
        Assert.True(tuple.Checkpoint.ChannelVersions.ContainsKey("a"));
        Assert.Equal("1", Bytes.Text((await Saver.GetTupleAsync(first, Ct))!.Checkpoint.ChannelValues["a"]));
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A channel dropped from a checkpoint's versions is not in its values, though an earlier checkpoint stored a value for it.</summary>
    [Fact]
    public async Task A_channel_missing_from_the_versions_is_not_read()
    {
        var first = await Writer("t1").PutAsync(("a", "1"), ("b", "2"));
        var tuple = await Saver.GetTupleAsync(first, Ct);
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(0),
            Ts = DateTimeOffset.UtcNow,
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = Bytes.Json("3") },
            ChannelVersions = new Dictionary<string, string> { ["a"] = ChannelVersions.Next(tuple!.Checkpoint.ChannelVersions["a"]) },
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        };

        var second = await Saver.PutAsync(first, checkpoint, Meta.Loop(0), checkpoint.ChannelVersions, Ct);

        var values = (await Saver.GetTupleAsync(second, Ct))!.Checkpoint.ChannelValues;
        Assert.Equal(["a"], values.Keys);
        Assert.Equal("3", Bytes.Text(values["a"]));
    }

    /// <summary>The same channel name and version string in two threads and two namespaces keep their own values (values are keyed by thread and namespace too).</summary>
    [Fact]
    public async Task Same_channel_and_version_in_other_threads_and_namespaces_keep_their_own_values()
    {
        var places = new[] { new CheckpointConfig("t1"), new CheckpointConfig("t1", "child"), new CheckpointConfig("t2"), new CheckpointConfig("t2", "child") };
        foreach (var place in places)
        {
            var checkpoint = new Checkpoint
            {
                Id = CheckpointIds.New(-1),
                Ts = DateTimeOffset.UtcNow,
                ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["a"] = Bytes.Json($"\"{place.ThreadId}/{place.CheckpointNs}\"") },
                ChannelVersions = new Dictionary<string, string> { ["a"] = "00000001.00000000" },
                VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            };
            await Saver.PutAsync(place, checkpoint, Meta.Of(CheckpointSource.Input, -1), checkpoint.ChannelVersions, Ct);
        }

        foreach (var place in places)
        {
            var tuple = await Saver.GetTupleAsync(place, Ct);
            Assert.Equal($"\"{place.ThreadId}/{place.CheckpointNs}\"", Bytes.Text(tuple!.Checkpoint.ChannelValues["a"]));
        }
    }

    /// <summary>A 10 MB channel value and a 10 MB pending write round-trip byte for byte.</summary>
    [Fact]
    public async Task Large_values_round_trip()
    {
        var thread = Writer("t1");
        var big = Bytes.Large(10 * 1024 * 1024);
        var config = await thread.PutBytesAsync(("big", big), ("small", Bytes.Json("1")));
        await Saver.PutWritesAsync(config, [new ChannelWrite("big", Bytes.Large(10 * 1024 * 1024, seed: 3))], "task", ct: Ct);

        var tuple = await Saver.GetTupleAsync(config, Ct);

        Expect.SameBytes(big, tuple!.Checkpoint.ChannelValues["big"].Span);
        Expect.SameBytes(Bytes.Large(10 * 1024 * 1024, seed: 3), Assert.Single(tuple.PendingWrites).Value.Span);
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A checkpoint with 300 channels stores and reads every one of them.</summary>
    [Fact]
    public async Task Many_channels_in_one_checkpoint_round_trip()
    {
        var thread = Writer("t1");
        await thread.PutAsync([.. Enumerable.Range(0, 300).Select(i => ($"channel_{i:D3}", (string?)$"{{\"i\":{i}}}"))]);
        await thread.PutAsync([.. Enumerable.Range(0, 300).Where(i => i % 3 == 0).Select(i => ($"channel_{i:D3}", (string?)$"[{i}]"))]);

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>Threads are isolated: the same channel written in two threads reads back each thread's own value and history.</summary>
    [Fact]
    public async Task Threads_are_isolated()
    {
        var one = Writer("t1");
        var two = Writer("t2");
        await one.PutAsync(("x", "\"thread1\""));
        await two.PutAsync(("x", "\"thread2\""));
        await one.PutAsync(("x", "\"thread1 again\""));

        await Expect.HistoryAsync(Saver, one.History);
        await Expect.HistoryAsync(Saver, two.History);
    }
}
