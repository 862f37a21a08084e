using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

// Extensions: the runtime hands a grown list over as ChannelBytes extending the value it put (or read back) before,
// in a ChannelValueMap, so that a turn does not copy the list. A saver may store the extension as it is, store its
// suffix as a delta, or join it; whatever it does, every read must be exact.
public abstract partial class CheckpointSaverConformance
{
    /// <summary>
    /// Checks <paramref name="history"/> as the saver reads it now (a cache may hold the values handed over) and again
    /// after a reopen, which reads what was stored.
    /// </summary>
    private async Task ExpectHistoryNowAndAfterReopenAsync(IReadOnlyDictionary<string, Expected> history, string? threadId = null)
    {
        await Expect.HistoryAsync(Saver, history, threadId);
        await ReopenAsync();
        await Expect.HistoryAsync(Saver, history, threadId);
    }

    /// <summary>A list grown 50 times by extensions of the value put before reads back exactly at every checkpoint, by id and in paged listings.</summary>
    [Fact]
    public async Task A_list_grown_by_extensions_reads_back_exactly_at_every_checkpoint()
    {
        var thread = Writer("t1");
        thread.Extends = true;
        await thread.PutAsync(("messages", "[]"), ("other", "0"));
        for (var i = 0; i < 50; i++)
        {
            await thread.AppendAsync("messages", true, $"{{\"text\":\"message {i} é🎉\"}}");
            if (i % 7 == 0)
            {
                await thread.PutAsync(("other", $"{i}"));
            }
        }

        await ExpectHistoryNowAndAfterReopenAsync(thread.History);
        await Expect.PagesAsync(Saver, new CheckpointConfig("t1"), thread.History, pageSize: 9);
    }

    /// <summary>Extensions of the value the saver read back for the head (as each new run does) read back exactly.</summary>
    [Fact]
    public async Task Extensions_of_values_read_back_read_back_exactly()
    {
        var thread = Writer("t1");
        thread.Extends = true;
        await thread.PutAsync(("messages", "[\"a\"]"));
        for (var i = 0; i < 20; i++)
        {
            await thread.ReloadAsync();
            await thread.AppendAsync("messages", true, $"\"q{i}\"");
            await thread.AppendAsync("messages", true, $"\"a{i}\"");
        }

        await ExpectHistoryNowAndAfterReopenAsync(thread.History);
    }

    /// <summary>A fork from the middle of an extended list, grown by extensions of the fork's value, leaves both branches exact.</summary>
    [Fact]
    public async Task A_fork_grown_by_extensions_keeps_both_branches_exact()
    {
        var main = Writer("t1");
        main.Extends = true;
        await main.PutAsync(("messages", "[0]"));
        var configs = new List<CheckpointConfig>();
        for (var i = 1; i <= 20; i++)
        {
            configs.Add(await main.AppendAsync("messages", true, $"{i}"));
        }
        var branch = main.Fork(configs[9]);
        await branch.PutAsync();
        await branch.ReloadAsync();
        for (var i = 0; i < 10; i++)
        {
            await branch.AppendAsync("messages", true, $"\"fork {i}\"");
        }

        await ExpectHistoryNowAndAfterReopenAsync(main.History);
        Assert.StartsWith("[0,1,2,3,4,5,6,7,8,9,10,\"fork 0\"", Bytes.Text((await Saver.GetTupleAsync(branch.Head, Ct))!.Checkpoint.ChannelValues["messages"]), StringComparison.Ordinal);
    }

    /// <summary>Prune KeepLatest after extensions keeps the latest value exact, and extensions of it read back after the prune are exact.</summary>
    [Fact]
    public async Task Prune_after_extensions_keeps_the_latest_exact_and_extendable()
    {
        var thread = Writer("t1");
        thread.Extends = true;
        await thread.PutAsync(("messages", "[]"));
        for (var i = 0; i < 30; i++)
        {
            await thread.AppendAsync("messages", true, $"\"m{i}\"");
        }

        await Saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);
        Expect.Values(thread.Values, (await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Checkpoint.ChannelValues);
        await thread.ReloadAsync();
        await thread.AppendAsync("messages", true, "\"after prune\"");
        await thread.AppendAsync("messages", true, "\"and again\"");

        await ReopenAsync();
        Expect.Tuple(thread.History[thread.Head.CheckpointId!], await Saver.GetTupleAsync(thread.Head, Ct));
        Assert.Equal(3, (await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct))).Count);
    }

    /// <summary>A thread copied after extensions reads back exactly after its source grew on and was deleted.</summary>
    [Fact]
    public async Task A_copy_after_extensions_is_exact_and_independent()
    {
        var source = Writer("src");
        source.Extends = true;
        await source.PutAsync(("messages", "[\"a\"]"));
        for (var i = 0; i < 15; i++)
        {
            await source.AppendAsync("messages", true, $"\"{i}\"");
        }
        await Saver.CopyThreadAsync("src", "dst", Ct);
        var copied = source.History.ToDictionary();
        await source.AppendAsync("messages", true, "\"source only\"");

        await Saver.DeleteThreadAsync("src", Ct);

        await ExpectHistoryNowAndAfterReopenAsync(copied, "dst");
    }

    /// <summary>Extensions put in one batch, each on the value staged before it in that batch, read back exactly.</summary>
    [Fact]
    public async Task Extensions_in_one_batch_read_back_exactly()
    {
        var thread = Writer("t1");
        thread.Extends = true;
        await thread.PutAsync(("messages", "[\"first\"]"));
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        for (var i = 0; i < 5; i++)
        {
            await thread.AppendAsync("messages", true, $"\"b{i}\"");
        }

        await Saver.PutBatchAsync(batch, Ct);

        await ExpectHistoryNowAndAfterReopenAsync(thread.History);
    }

    /// <summary>An extension whose hint names a base the saver does not have under that version still stores its own exact bytes.</summary>
    [Fact]
    public async Task An_extension_hinted_on_a_base_that_is_not_stored_stores_its_own_bytes()
    {
        var thread = Writer("t1");
        thread.Extends = true;
        await thread.PutAsync(("messages", "[1]"));
        await thread.AppendAsync("messages", true, "2");

        var (value, shared) = Bytes.Append(thread.Values["messages"], ["3"]);
        await thread.PutAsync(null, new Dictionary<string, ChannelAppend> { ["messages"] = new("00000099.deadbeef", shared) }, ("messages", value));

        Assert.Equal("[1,2,3]", Bytes.Text((await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Checkpoint.ChannelValues["messages"]));
        await ExpectHistoryNowAndAfterReopenAsync(thread.History);
    }
}
