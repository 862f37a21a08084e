using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

// Delta storage: the runtime may pass Checkpoint.Appends, a hint that a channel's new value starts with the bytes stored
// under an older version. A saver may ignore it or store only the suffix; whatever it does, every read must be exact.
public abstract partial class CheckpointSaverConformance
{
    /// <summary>A list channel grown over 50 puts with append hints reads back exactly at every checkpoint, by id and in listings (whole and paged).</summary>
    [Fact]
    public async Task A_channel_grown_with_hints_reads_back_exactly_at_every_checkpoint()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("messages", "[]"), ("other", "0"));
        for (var i = 0; i < 50; i++)
        {
            await thread.AppendAsync("messages", true, $"{{\"role\":\"user\",\"text\":\"message {i} é🎉\"}}");
            if (i % 7 == 0)
            {
                await thread.PutAsync(("other", $"{i}"));
            }
        }

        await Expect.HistoryAsync(Saver, thread.History);
        await Expect.PagesAsync(Saver, new CheckpointConfig("t1"), thread.History, pageSize: 7);
    }

    /// <summary>Hinted appends to the same channel in two namespaces of a thread stay apart: each namespace reads its own list.</summary>
    [Fact]
    public async Task Hinted_appends_in_two_namespaces_stay_apart()
    {
        var root = Writer("t1");
        var child = Writer("t1", "child");
        await root.PutAsync(("messages", "[\"root\"]"));
        await child.PutAsync(("messages", "[\"child\"]"));
        for (var i = 0; i < 10; i++)
        {
            await root.AppendAsync("messages", true, $"\"r{i}\"");
            await child.AppendAsync("messages", true, $"\"c{i}\"", $"\"c{i}b\"");
        }

        await Expect.HistoryAsync(Saver, root.History);
        await Expect.HistoryAsync(Saver, child.History);
    }

    /// <summary>A fork from a middle checkpoint, then hinted appends there, leaves both branches exact: the fork grows from the old value, the main line keeps its own.</summary>
    [Fact]
    public async Task A_fork_from_the_middle_then_appends_keeps_both_branches_exact()
    {
        var main = Writer("t1");
        await main.PutAsync(("messages", "[0]"));
        var configs = new List<CheckpointConfig>();
        for (var i = 1; i <= 20; i++)
        {
            configs.Add(await main.AppendAsync("messages", true, $"{i}"));
        }
        var branch = main.Fork(configs[9]);
        await branch.PutAsync();
        for (var i = 0; i < 10; i++)
        {
            await branch.AppendAsync("messages", true, $"\"fork {i}\"");
        }

        await Expect.HistoryAsync(Saver, main.History);
        Assert.Equal("[0,1,2,3,4,5,6,7,8,9,10]", Bytes.Text((await Saver.GetTupleAsync(configs[9], Ct))!.Checkpoint.ChannelValues["messages"]));
        Assert.StartsWith("[0,1,2,3,4,5,6,7,8,9,10,\"fork 0\"", Bytes.Text((await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Checkpoint.ChannelValues["messages"]), StringComparison.Ordinal);
    }

    /// <summary>Prune KeepLatest after many hinted appends keeps the latest value exact, and appends after the prune build on it exactly.</summary>
    [Fact]
    public async Task Prune_after_hinted_appends_keeps_the_latest_exact()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("messages", "[]"), ("summary", "\"none\""));
        for (var i = 0; i < 30; i++)
        {
            await thread.AppendAsync("messages", true, $"\"m{i}\"");
        }

        await Saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);

        var latest = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
        Expect.Values(thread.Values, latest!.Checkpoint.ChannelValues);
        await thread.AppendAsync("messages", true, "\"after prune\"");
        Expect.Tuple(thread.History[thread.Head.CheckpointId!], await Saver.GetTupleAsync(thread.Head, Ct));
        Assert.Equal(2, (await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct))).Count);
    }

    /// <summary>A thread copied after hinted appends reads back exactly and stays exact after the source is deleted and the copy grows on.</summary>
    [Fact]
    public async Task A_copy_after_hinted_appends_is_exact_and_independent()
    {
        var source = Writer("src");
        await source.PutAsync(("messages", "[\"a\"]"));
        for (var i = 0; i < 15; i++)
        {
            await source.AppendAsync("messages", true, $"\"{i}\"");
        }
        await Saver.CopyThreadAsync("src", "dst", Ct);
        var copied = source.History.ToDictionary();
        await source.AppendAsync("messages", true, "\"source only\"");

        await Saver.DeleteThreadAsync("src", Ct);

        await Expect.HistoryAsync(Saver, copied, "dst");
        var head = copied.Values.MaxBy(e => e.Config.CheckpointId, StringComparer.Ordinal)!;
        var stored = (await Saver.GetTupleAsync(new CheckpointConfig("dst"), Ct))!.Checkpoint;
        var (value, shared) = Bytes.Append(head.Values["messages"], ["\"copy only\""]);
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(head.Metadata.Step + 1),
            Ts = DateTimeOffset.UtcNow,
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["messages"] = value },
            ChannelVersions = new Dictionary<string, string> { ["messages"] = ChannelVersions.Next(stored.ChannelVersions["messages"]) },
            VersionsSeen = stored.VersionsSeen,
            Appends = new Dictionary<string, ChannelAppend> { ["messages"] = new(stored.ChannelVersions["messages"], shared) },
        };
        var grown = await Saver.PutAsync(new CheckpointConfig("dst", "", head.Config.CheckpointId), checkpoint, Meta.Loop(head.Metadata.Step + 1), checkpoint.ChannelVersions, Ct);
        var read = await Saver.GetTupleAsync(grown, Ct);
        Expect.SameBytes(value, read!.Checkpoint.ChannelValues["messages"].Span);
        foreach (var expected in copied.Values)
        {
            var config = expected.Config with { ThreadId = "dst" };
            Expect.Tuple(expected with { Config = config }, await Saver.GetTupleAsync(config, Ct));
        }
    }

    /// <summary>A hint whose base version is not stored in this thread and namespace (pruned, never written, other namespace) still stores an exact value.</summary>
    /// <remarks>A saver may only build on a base it has there; splicing onto the wrong base would show, because other bytes were stored under those versions.</remarks>
    [Theory]
    [InlineData("pruned")]
    [InlineData("never written")]
    [InlineData("other namespace")]
    public async Task A_hint_whose_base_is_not_stored_still_stores_an_exact_value(string why)
    {
        var thread = Writer("t1");
        await thread.PutAsync(("messages", "[1]"));
        var oldVersion = thread.Versions["messages"];
        await thread.AppendAsync("messages", true, "2");
        var baseVersion = oldVersion;
        if (why == "pruned")
        {
            await Saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);
        }
        else if (why == "never written")
        {
            baseVersion = "00000099.deadbeef";
        }
        else
        {
            var elsewhere = Writer("t1", "elsewhere");
            await elsewhere.PutAsync(("messages", "[9,9]"));
            baseVersion = elsewhere.Versions["messages"];
        }

        // Splicing onto the wrong base would show: "[1" was stored under the pruned version, "[9" in the other namespace.
        var (value, _) = Bytes.Append(thread.Values["messages"], ["3"]);
        await thread.PutAsync(null, new Dictionary<string, ChannelAppend> { ["messages"] = new(baseVersion, 2) }, ("messages", value));

        var tuple = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
        Assert.Equal("[1,2,3]", Bytes.Text(tuple!.Checkpoint.ChannelValues["messages"]));
        Expect.Tuple(thread.History[thread.Head.CheckpointId!], tuple);
    }

    /// <summary>One put mixing hinted and unhinted appends, a replaced, an emptied and an untouched channel reads back exactly, as do the checkpoints before it.</summary>
    [Fact]
    public async Task Hinted_and_unhinted_channels_mix_in_one_put()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("hinted", "[\"h0\"]"), ("unhinted", "[\"u0\"]"), ("replaced", "{\"v\":0}"), ("emptied", "[1]"), ("untouched", "\"same\""));
        for (var i = 1; i <= 5; i++)
        {
            var hinted = Bytes.Append(thread.Values["hinted"], [$"\"h{i}\""]);
            var unhinted = Bytes.Append(thread.Values["unhinted"], [$"\"u{i}\""]);
            await thread.PutAsync(
                null,
                new Dictionary<string, ChannelAppend> { ["hinted"] = new(thread.Versions["hinted"], hinted.SharedPrefix) },
                ("hinted", hinted.Value),
                ("unhinted", unhinted.Value),
                ("replaced", Bytes.Json($"{{\"v\":{i}}}")),
                ("emptied", i == 3 ? null : Bytes.Json($"[{i}]")));
        }

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>Edge hints read back exactly: an empty list grown, a zero-byte prefix, nothing added, a non-list value, a prefix ending inside a UTF-8 character.</summary>
    [Theory]
    [InlineData("[]", "[1]", 1)]
    [InlineData("[1]", "[2]", 0)]
    [InlineData("[1,2]", "[1,2]", 4)]
    [InlineData("\"abc\"", "\"abcdef\"", 4)]
    [InlineData("[\"é🎉\"]", "[\"é🎉\",\"中\"]", 9)]
    [InlineData("[\"é🎉\"]", "[\"é🎉\",\"中\"]", 6)]
    public async Task Hints_at_the_edges_read_back_exactly(string before, string after, int shared)
    {
        Assert.True(Bytes.Json(before).AsSpan(0, shared).SequenceEqual(Bytes.Json(after).AsSpan(0, shared)), "The case's own hint must be true.");
        var thread = Writer("t1");
        await thread.PutAsync(("c", before));

        await thread.PutAsync(null, new Dictionary<string, ChannelAppend> { ["c"] = new(thread.Versions["c"], shared) }, ("c", Bytes.Json(after)));
        if (after.StartsWith('['))
        {
            await thread.AppendAsync("c", true, "0");
        }

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A large list (about 5 MB) grown by small hinted appends reads back exactly at each step.</summary>
    [Fact]
    public async Task A_large_list_grown_with_hints_reads_back_exactly()
    {
        var thread = Writer("t1");
        var items = Enumerable.Range(0, 5000).Select(i => $"\"{new string((char)('a' + i % 26), 1000)}\"");
        await thread.PutAsync(("messages", $"[{string.Join(',', items)}]"));
        for (var i = 0; i < 5; i++)
        {
            await thread.AppendAsync("messages", true, $"\"small {i}\"");
        }

        await Expect.HistoryAsync(Saver, thread.History);
    }
}
