using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>List returns a thread's checkpoints newest first (descending checkpoint id), each complete.</summary>
    [Fact]
    public async Task List_returns_newest_first()
    {
        var thread = Writer("t1");
        var configs = await thread.PutChainAsync(4);

        var ids = await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct));

        Assert.Equal(configs.Select(c => c.CheckpointId).Reverse(), ids);
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>List with before keeps only checkpoints whose id is lower than before's checkpoint id.</summary>
    [Fact]
    public async Task List_before_keeps_older_checkpoints()
    {
        var configs = await Writer("t1").PutChainAsync(4);

        var ids = await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), before: configs[2], ct: Ct));

        Assert.Equal([configs[1].CheckpointId!, configs[0].CheckpointId!], ids);
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), before: configs[0], ct: Ct)));
    }

    /// <summary>List with a limit returns at most that many, the newest; a limit above the count returns all.</summary>
    [Fact]
    public async Task List_limit_keeps_the_newest()
    {
        var configs = await Writer("t1").PutChainAsync(4);
        var config = new CheckpointConfig("t1");

        Assert.Equal([configs[3].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, limit: 1, ct: Ct)));
        Assert.Equal([configs[3].CheckpointId!, configs[2].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, limit: 2, ct: Ct)));
        Assert.Equal(4, (await Expect.IdsAsync(Saver.ListAsync(config, limit: 100, ct: Ct))).Count);
    }

    /// <summary>List with limit 0 returns nothing (zero is a limit, not "no limit").</summary>
    [Fact]
    public async Task List_limit_zero_returns_nothing()
    {
        await Writer("t1").PutChainAsync(3);

        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), limit: 0, ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(null, limit: 0, ct: Ct)));
    }

    /// <summary>Before and limit page through a history: the limit applies after before, and the pages put together are the whole history in order.</summary>
    [Fact]
    public async Task List_before_and_limit_page_through_the_history()
    {
        var configs = await Writer("t1").PutChainAsync(7);
        var config = new CheckpointConfig("t1");

        Assert.Equal([configs[2].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, before: configs[3], limit: 1, ct: Ct)));
        var pages = new List<string>();
        CheckpointConfig? before = null;
        while (await Expect.IdsAsync(Saver.ListAsync(config, before: before, limit: 3, ct: Ct)) is { Count: > 0 } page)
        {
            Assert.True(page.Count <= 3);
            pages.AddRange(page);
            before = config.WithCheckpoint(page[^1]);
        }
        Assert.Equal(configs.Select(c => c.CheckpointId!).Reverse(), pages);
    }

    /// <summary>List with a checkpoint id in the config returns only that checkpoint.</summary>
    [Fact]
    public async Task List_with_a_checkpoint_id_returns_only_that_checkpoint()
    {
        var configs = await Writer("t1").PutChainAsync(3);

        Assert.Equal([configs[1].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(configs[1], ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(configs[1].WithCheckpoint(CheckpointIds.New(0)), ct: Ct)));
    }

    /// <summary>List of a thread with no checkpoints is empty and never shows other threads.</summary>
    [Fact]
    public async Task List_of_an_unknown_thread_is_empty()
    {
        await Writer("t1").PutChainAsync(2);

        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t2"), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t2"), Meta.Filter(("source", "nonexistent")), ct: Ct)));
    }

    /// <summary>Listed tuples carry their pending writes and parent configs, like GetTuple's.</summary>
    [Fact]
    public async Task List_includes_pending_writes_and_parents()
    {
        var thread = Writer("t1");
        var configs = await thread.PutChainAsync(2);
        await Saver.PutWritesAsync(configs[1], Meta.Writes(("ch", "\"val\"")), "task-1", ct: Ct);

        var listed = await Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct).ToListAsync(Ct);

        Assert.Equal([("task-1", "ch", "\"val\"")], Meta.Read(listed[0].PendingWrites));
        Assert.Equal(configs[0], listed[0].ParentConfig);
        Assert.Empty(listed[1].PendingWrites);
        Assert.Null(listed[1].ParentConfig);
    }

    /// <summary>
    /// Each listed checkpoint carries exactly its own writes, in task then write order, whatever the listing leaves out:
    /// several writes from several tasks, checkpoints without writes between ones with, a filter, a page, all threads.
    /// </summary>
    [Fact]
    public async Task List_gives_each_checkpoint_exactly_its_own_writes()
    {
        var (t1, t2) = (Writer("t1"), Writer("t2"));
        var configs = new List<CheckpointConfig>();
        for (var step = -1; step < 5; step++)
        {
            configs.Add(await t1.PutAsync(Meta.Of(step % 2 == 0 ? CheckpointSource.Update : CheckpointSource.Loop, step), ("n", $"{step}")));
        }
        var other = await t2.PutAsync(("n", "0"));
        await Saver.PutWritesAsync(configs[0], Meta.Writes(("a", "1"), ("b", "2")), "task-b", ct: Ct);
        await Saver.PutWritesAsync(configs[0], Meta.Writes(("c", "3")), "task-a", ct: Ct);
        await Saver.PutWritesAsync(configs[2], Meta.Writes(("d", "4")), "task-a", ct: Ct);
        await Saver.PutWritesAsync(configs[3], Meta.Writes(("e", "5"), ("f", "6"), ("g", "7")), "task-c", ct: Ct);
        await Saver.PutWritesAsync(configs[5], Meta.Writes(("h", "8")), "task-a", ct: Ct);
        await Saver.PutWritesAsync(other, Meta.Writes(("x", "9")), "task-x", ct: Ct);

        async Task ExpectOwnWritesAsync(IAsyncEnumerable<CheckpointTuple> listing, int count)
        {
            var listed = await listing.ToListAsync(Ct);
            Assert.Equal(count, listed.Count);
            foreach (var tuple in listed)
            {
                Assert.Equal(Meta.Read((await Saver.GetTupleAsync(tuple.Config, Ct))!.PendingWrites), Meta.Read(tuple.PendingWrites));
            }
        }

        await ExpectOwnWritesAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct), 6);
        await ExpectOwnWritesAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("source", "update")), ct: Ct), 3);
        await ExpectOwnWritesAsync(Saver.ListAsync(new CheckpointConfig("t1"), before: configs[4], limit: 2, ct: Ct), 2);
        await ExpectOwnWritesAsync(Saver.ListAsync(configs[3], ct: Ct), 1);
        await ExpectOwnWritesAsync(Saver.ListAsync(null, ct: Ct), 7);
        var first = await Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct).LastAsync(Ct);
        Assert.Equal([("task-a", "c", "3"), ("task-b", "a", "1"), ("task-b", "b", "2")], Meta.Read(first.PendingWrites));
    }

    /// <summary>A metadata filter on source returns only checkpoints with that source.</summary>
    [Fact]
    public async Task List_filters_on_source()
    {
        var thread = Writer("t1");
        for (var step = -1; step < 3; step++)
        {
            await thread.PutAsync(Meta.Of(step % 2 == 0 ? CheckpointSource.Update : CheckpointSource.Loop, step), ("n", $"{step}"));
        }

        var listed = await Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("source", "update")), ct: Ct).ToListAsync(Ct);

        Assert.Equal([2, 0], listed.Select(t => t.Metadata.Step));
        Assert.All(listed, t => Assert.Equal(CheckpointSource.Update, t.Metadata.Source));
    }

    /// <summary>A metadata filter on step matches the number (an int filter matches the stored integer).</summary>
    [Fact]
    public async Task List_filters_on_step()
    {
        var configs = await Writer("t1").PutChainAsync(4);

        Assert.Equal([configs[2].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("step", 1)), ct: Ct)));
        Assert.Equal([configs[0].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("step", -1L)), ct: Ct)));
    }

    /// <summary>A filter with several keys matches only checkpoints where every key matches.</summary>
    [Fact]
    public async Task List_filter_with_several_keys_needs_all_of_them()
    {
        var thread = Writer("t1");
        await thread.PutAsync(Meta.Of(CheckpointSource.Input, 1, ("user", "alice")), ("n", "1"));
        var wanted = await thread.PutAsync(Meta.Of(CheckpointSource.Input, 2, ("user", "alice")), ("n", "2"));
        await thread.PutAsync(Meta.Of(CheckpointSource.Loop, 2, ("user", "alice")), ("n", "3"));
        await thread.PutAsync(Meta.Of(CheckpointSource.Input, 2, ("user", "bob")), ("n", "4"));

        var ids = await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("source", "input"), ("step", 2), ("user", "alice")), ct: Ct));

        Assert.Equal([wanted.CheckpointId!], ids);
    }

    /// <summary>A custom-entry filter is an exact match per value kind; null matches an entry stored as null, not a missing one (Postgres JSONB containment).</summary>
    /// <remarks>LangGraph's in-memory saver compares with metadata.get(key), so a missing key matches null there; this suite follows the SQL savers.</remarks>
    [Theory]
    [InlineData("s", "text")]
    [InlineData("i", 42L)]
    [InlineData("f", 0.5)]
    [InlineData("t", true)]
    [InlineData("b", false)]
    [InlineData("z", null)]
    public async Task List_filters_on_a_custom_entry_of_each_kind(string key, object? value)
    {
        var thread = Writer("t1");
        var all = new (string, object?)[] { ("s", "text"), ("i", 42L), ("f", 0.5), ("t", true), ("b", false), ("z", null) };
        var match = await thread.PutAsync(Meta.Loop(0, all), ("n", "0"));
        await thread.PutAsync(Meta.Loop(1, ("s", "other"), ("i", 43L), ("f", 1.5), ("t", false), ("b", true), ("z", "not null")), ("n", "1"));
        await thread.PutAsync(Meta.Loop(2), ("n", "2"));

        var ids = await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter((key, value)), ct: Ct));

        Assert.Equal([match.CheckpointId!], ids);
    }

    /// <summary>Filters compare types strictly: true, 1, "1" and "true" each match only themselves (SQLite's json_extract returns 1 for true).</summary>
    [Fact]
    public async Task List_filter_does_not_confuse_booleans_numbers_and_strings()
    {
        var thread = Writer("t1");
        var boolean = await thread.PutAsync(Meta.Loop(0, ("v", true)), ("n", "0"));
        var number = await thread.PutAsync(Meta.Loop(1, ("v", 1L)), ("n", "1"));
        var text = await thread.PutAsync(Meta.Loop(2, ("v", "1")), ("n", "2"));
        var trueText = await thread.PutAsync(Meta.Loop(3, ("v", "true")), ("n", "3"));
        var config = new CheckpointConfig("t1");

        Assert.Equal([boolean.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("v", true)), ct: Ct)));
        Assert.Equal([number.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("v", 1L)), ct: Ct)));
        Assert.Equal([text.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("v", "1")), ct: Ct)));
        Assert.Equal([trueText.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("v", "true")), ct: Ct)));
    }

    /// <summary>An integer filter matches a float entry of the same value and vice versa (numbers compare by value, as in JSON).</summary>
    [Fact]
    public async Task List_filter_compares_numbers_by_value()
    {
        var thread = Writer("t1");
        var integral = await thread.PutAsync(Meta.Loop(0, ("score", 2L)), ("n", "0"));
        var fractional = await thread.PutAsync(Meta.Loop(1, ("score", 2.5)), ("n", "1"));
        var config = new CheckpointConfig("t1");

        Assert.Equal([integral.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("score", 2.0)), ct: Ct)));
        Assert.Equal([fractional.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("score", 2.5)), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("score", 3L)), ct: Ct)));
    }

    /// <summary>A filter that matches nothing (a value no checkpoint has, an unknown key, a right key with the wrong value) returns nothing.</summary>
    [Fact]
    public async Task List_filter_without_a_match_returns_nothing()
    {
        var thread = Writer("t1");
        await thread.PutAsync(Meta.Loop(0, ("user", "alice")), ("n", "0"));
        await thread.PutAsync(Meta.Loop(1, ("user", "bob")), ("n", "1"));
        var config = new CheckpointConfig("t1");

        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("user", "ALICE")), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("missing", "alice")), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("source", "update"), ("step", 99)), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("user", "alice"), ("step", 1)), ct: Ct)));
    }

    /// <summary>A filter on run_id matches the run that wrote the checkpoint.</summary>
    [Fact]
    public async Task List_filters_on_run_id()
    {
        var thread = Writer("t1");
        await thread.PutAsync(new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 0, RunId = "run-a" }, ("n", "0"));
        var wanted = await thread.PutAsync(new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 1, RunId = "run-b" }, ("n", "1"));

        Assert.Equal([wanted.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("run_id", "run-b")), ct: Ct)));
    }

    /// <summary>A filter key with dots matches the flat custom entry of that name, not a nested path; a JSON-looking string matches only that string.</summary>
    [Fact]
    public async Task List_filter_keys_with_dots_are_flat_names()
    {
        var thread = Writer("t1");
        var flat = await thread.PutAsync(Meta.Loop(0, ("user.id", "42"), ("user", "{\"id\":\"7\"}")), ("n", "0"));

        var config = new CheckpointConfig("t1");
        Assert.Equal([flat.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("user.id", "42")), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("user.id", "7")), ct: Ct)));
        Assert.Equal([flat.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(config, Meta.Filter(("user", "{\"id\":\"7\"}")), ct: Ct)));
    }

    /// <summary>An empty filter matches every checkpoint.</summary>
    [Fact]
    public async Task List_with_an_empty_filter_returns_everything()
    {
        await Writer("t1").PutChainAsync(3);

        Assert.Equal(3, (await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(), ct: Ct))).Count);
    }

    /// <summary>List without a config is newest first by id across all threads and namespaces (LangGraph's ORDER BY checkpoint_id DESC), so before/limit page it.</summary>
    [Fact]
    public async Task List_without_a_config_covers_every_thread_newest_first()
    {
        // Interleaved so that neither thread order nor insertion order can pass for id order.
        var b = Writer("b");
        var aRoot = Writer("a");
        var aChild = Writer("a", "child");
        var all = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            all.Add((await b.PutAsync(("n", $"{i}"))).CheckpointId!);
            all.Add((await aChild.PutAsync(("n", $"{i}"))).CheckpointId!);
            all.Add((await aRoot.PutAsync(("n", $"{i}"))).CheckpointId!);
        }
        all.Reverse();

        var listed = await Saver.ListAsync(null, ct: Ct).ToListAsync(Ct);
        Assert.Equal(all, listed.Select(t => t.Config.CheckpointId));
        Assert.Equal(["a", "a", "b"], listed.Take(3).Select(t => t.Config.ThreadId).ToArray());
        Assert.Equal(["", "child", ""], listed.Take(3).Select(t => t.Config.CheckpointNs).ToArray());

        var pages = new List<string>();
        CheckpointConfig? before = null;
        while (await Expect.IdsAsync(Saver.ListAsync(null, before: before, limit: 4, ct: Ct)) is { Count: > 0 } page)
        {
            pages.AddRange(page);
            before = new CheckpointConfig("any", "", page[^1]);
        }
        Assert.Equal(all, pages);
    }

    /// <summary>List without a config honours the filter across threads (every thread's matching checkpoints, nothing else).</summary>
    [Fact]
    public async Task List_without_a_config_filters_across_threads()
    {
        var alice1 = await Writer("t1").PutAsync(Meta.Loop(0, ("user", "alice")), ("n", "0"));
        await Writer("t2").PutAsync(Meta.Loop(0, ("user", "bob")), ("n", "0"));
        var alice2 = await Writer("t3", "child").PutAsync(Meta.Loop(0, ("user", "alice")), ("n", "0"));

        var listed = await Saver.ListAsync(null, Meta.Filter(("user", "alice")), ct: Ct).ToListAsync(Ct);

        Assert.Equal([alice2, alice1], listed.Select(t => t.Config));
    }

    /// <summary>List with a config lists only its namespace: the root namespace "" does not include child namespaces and vice versa.</summary>
    [Fact]
    public async Task List_lists_only_the_configs_namespace()
    {
        var root = await Writer("t1").PutChainAsync(2);
        var child = await Writer("t1", "child:1").PutChainAsync(3);
        var other = await Writer("t1", "child:2").PutChainAsync(1);

        Assert.Equal(root.Select(c => c.CheckpointId!).Reverse(), await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct)));
        Assert.Equal(child.Select(c => c.CheckpointId!).Reverse(), await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child:1"), ct: Ct)));
        Assert.Equal([other[0].CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child:2"), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child"), ct: Ct)));
    }
}
