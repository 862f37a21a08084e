using System.Text;
using GraphGen.Checkpointing;
using static GraphGen.Tests.Checkpointing.TestThread;

namespace GraphGen.Tests.Checkpointing;

public sealed class InMemorySaverTests
{
    private static readonly IReadOnlyDictionary<string, string> NoVersions = new Dictionary<string, string>();

    private readonly InMemorySaver _saver = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- get ----

    [Fact]
    public async Task GetTuple_without_an_id_returns_the_latest_checkpoint()
    {
        var thread = new TestThread(_saver, "t1");
        await thread.PutAsync(("a", "1"));
        var second = await thread.PutAsync(("a", "2"));

        var tuple = await _saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);

        Assert.NotNull(tuple);
        Assert.Equal(second, tuple.Config);
        Assert.Equal("2", Text(tuple.Checkpoint.ChannelValues["a"]));
        Assert.Equal(0, tuple.Metadata.Step);
    }

    [Fact]
    public async Task GetTuple_by_id_returns_that_checkpoint()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "1"));
        await thread.PutAsync(("a", "2"));

        var tuple = await _saver.GetTupleAsync(first, Ct);

        Assert.NotNull(tuple);
        Assert.Equal(first, tuple.Config);
        Assert.Equal("1", Text(tuple.Checkpoint.ChannelValues["a"]));
        Assert.Equal(CheckpointSource.Input, tuple.Metadata.Source);
        Assert.Equal(-1, tuple.Metadata.Step);
    }

    [Fact]
    public async Task GetTuple_of_an_unknown_thread_namespace_or_id_is_null()
    {
        var first = await new TestThread(_saver, "t1").PutAsync(("a", "1"));

        Assert.Null(await _saver.GetTupleAsync(new CheckpointConfig("nobody"), Ct));
        Assert.Null(await _saver.GetTupleAsync(new CheckpointConfig("t1", "sub"), Ct));
        Assert.Null(await _saver.GetTupleAsync(first with { CheckpointId = CheckpointIds.New(0) }, Ct));
        Assert.Null(await _saver.GetTupleAsync(first with { ThreadId = "t2" }, Ct));
    }

    [Fact]
    public async Task ParentConfig_points_at_the_checkpoint_a_put_extended()
    {
        var thread = new TestThread(_saver, "t1", "sub|node");
        var first = await thread.PutAsync(("a", "1"));
        var second = await thread.PutAsync(("a", "2"));

        Assert.Null((await _saver.GetTupleAsync(first, Ct))!.ParentConfig);
        Assert.Equal(first, (await _saver.GetTupleAsync(second, Ct))!.ParentConfig);
    }

    // ---- put ----

    [Fact]
    public async Task Put_returns_the_config_of_the_new_checkpoint()
    {
        var (checkpoint, newVersions) = Build(-1, NoVersions, ("a", "1"));

        var config = await _saver.PutAsync(new CheckpointConfig("t1", "sub"), checkpoint, Input(), newVersions, Ct);

        Assert.Equal(new CheckpointConfig("t1", "sub", checkpoint.Id), config);
    }

    [Fact]
    public async Task Put_stores_only_the_new_versions_but_reads_back_every_channel()
    {
        var (first, firstVersions) = Build(-1, NoVersions, ("a", "\"A\""), ("b", "\"B1\""));
        var firstConfig = await _saver.PutAsync(new CheckpointConfig("t1"), first, Input(), firstVersions, Ct);
        var (second, secondVersions) = Build(0, first.ChannelVersions, ("b", "\"B2\""));
        // A value for a channel whose version did not change is not the saver's to store: a keeps its old blob.
        second = second with { ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>>(second.ChannelValues) { ["a"] = Json("\"stale\"") } };
        var metadata = new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 0 };
        var bytesBefore = _saver.SerializedBytes;

        var secondConfig = await _saver.PutAsync(firstConfig, second, metadata, secondVersions, Ct);

        Assert.Equal(bytesBefore + Json("\"B2\"").Length + metadata.ToJson().Length, _saver.SerializedBytes);
        Assert.Equal(new() { ["a"] = "\"A\"", ["b"] = "\"B2\"" }, Values(await _saver.GetTupleAsync(secondConfig, Ct)));
        Assert.Equal(new() { ["a"] = "\"A\"", ["b"] = "\"B1\"" }, Values(await _saver.GetTupleAsync(firstConfig, Ct)));
    }

    [Fact]
    public async Task A_new_version_without_a_value_reads_back_as_an_empty_channel()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "1"), ("b", "2"));
        var second = await thread.PutAsync(("a", null));

        var tuple = await _saver.GetTupleAsync(second, Ct);

        Assert.Equal(new() { ["b"] = "2" }, Values(tuple));
        Assert.True(tuple!.Checkpoint.ChannelVersions.ContainsKey("a"));
        Assert.Equal(new() { ["a"] = "1", ["b"] = "2" }, Values(await _saver.GetTupleAsync(first, Ct)));
    }

    [Fact]
    public void Savers_keep_a_handed_over_array_and_copy_only_a_slice_of_a_larger_one()
    {
        var whole = Json("[1,2]");
        var larger = Json("xx[3]yy");

        Assert.Same(whole, SaverArguments.HandedOver(whole));
        var slice = SaverArguments.HandedOver(larger.AsMemory(2, 3));
        Assert.NotSame(larger, slice);
        Assert.Equal("[3]", Text(slice));
    }

    [Fact]
    public void Savers_keep_a_handed_over_whole_value_and_join_an_extension_or_a_slice_into_a_new_one()
    {
        var whole = ChannelBytes.Whole(Json("[1,2]"));
        var extension = whole.Extend(4, Json(",3]"));
        var slice = ChannelBytes.Whole(Json("xx[3]yy").AsMemory(2, 3));

        Assert.Same(whole, SaverArguments.HandedOver(whole));
        var joined = SaverArguments.HandedOver(extension);
        Assert.Null(joined.Base);
        Assert.Equal("[1,2,3]", Text(joined.ToMemory()));
        var copied = SaverArguments.HandedOver(slice);
        Assert.NotSame(slice, copied);
        Assert.Equal("[3]", Text(copied.ToMemory()));
    }

    [Fact]
    public async Task Put_without_a_thread_id_is_rejected()
    {
        var (checkpoint, newVersions) = Build(-1, NoVersions, ("a", "1"));

        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await _saver.PutAsync(new CheckpointConfig(""), checkpoint, Input(), newVersions, Ct));
        Assert.Empty(await _saver.ListAsync(null, ct: Ct).ToListAsync(Ct));
    }

    // ---- optimistic concurrency ----

    [Fact]
    public async Task Put_on_a_stale_parent_conflicts_and_stores_nothing()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "1"));
        var second = await thread.PutAsync(("a", "2"));
        var bytesBefore = _saver.SerializedBytes;
        var (stale, newVersions) = Build(0, (await _saver.GetTupleAsync(first, Ct))!.Checkpoint.ChannelVersions, ("a", "\"other run\""));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await _saver.PutAsync(first, stale, new CheckpointMetadata { Step = 0 }, newVersions, Ct));

        Assert.Equal("t1", conflict.ThreadId);
        Assert.Equal(first.CheckpointId, conflict.ExpectedParent);
        Assert.Equal(second.CheckpointId, conflict.ActualHead);
        Assert.Equal(bytesBefore, _saver.SerializedBytes);
        Assert.Null(await _saver.GetTupleAsync(first with { CheckpointId = stale.Id }, Ct));
        Assert.Equal(second, (await _saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Config);
    }

    [Fact]
    public async Task A_first_put_on_a_thread_that_has_checkpoints_conflicts()
    {
        var head = await new TestThread(_saver, "t1").PutAsync(("a", "1"));
        var (checkpoint, newVersions) = Build(-1, NoVersions, ("a", "2"));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await _saver.PutAsync(new CheckpointConfig("t1"), checkpoint, Input(), newVersions, Ct));

        Assert.Null(conflict.ExpectedParent);
        Assert.Equal(head.CheckpointId, conflict.ActualHead);
    }

    [Fact]
    public async Task A_fork_extends_an_old_checkpoint_without_a_conflict()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "1"));
        await thread.PutAsync(("a", "2"));
        var (fork, newVersions) = Build(0, (await _saver.GetTupleAsync(first, Ct))!.Checkpoint.ChannelVersions, ("a", "\"forked\""));

        var forked = await _saver.PutAsync(first, fork, new CheckpointMetadata { Source = CheckpointSource.Fork, Step = 0 }, newVersions, Ct);

        var latest = await _saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
        Assert.Equal(forked, latest!.Config);
        Assert.Equal(first, latest.ParentConfig);
        Assert.Equal("\"forked\"", Text(latest.Checkpoint.ChannelValues["a"]));
    }

    [Fact]
    public async Task Of_concurrent_puts_on_one_head_exactly_one_wins()
    {
        const int Racers = 8;
        // Many rounds of racers released together by a barrier, on dedicated threads, so that a check-then-store
        // that is not atomic has a real chance to let two of them win.
        for (var round = 0; round < 200; round++)
        {
            var threadId = $"race-{round}";
            var head = await new TestThread(_saver, threadId).PutAsync(("a", "0"));
            var versions = (await _saver.GetTupleAsync(head, Ct))!.Checkpoint.ChannelVersions;
            using var barrier = new Barrier(Racers);

            var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => Task.Factory.StartNew(async () =>
            {
                var (checkpoint, newVersions) = Build(0, versions, ("a", $"{i}"));
                barrier.SignalAndWait(Ct);
                try
                {
                    await _saver.PutAsync(head, checkpoint, new CheckpointMetadata { Step = 0 }, newVersions, Ct);
                    return true;
                }
                catch (CheckpointConflictException)
                {
                    return false;
                }
            }, Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()));

            Assert.Single(outcomes, won => won);
            Assert.Equal(2, (await _saver.ListAsync(new CheckpointConfig(threadId), ct: Ct).ToListAsync(Ct)).Count);
        }
    }

    // ---- list ----

    [Fact]
    public async Task List_returns_newest_first()
    {
        var ids = await PutChainAsync(new TestThread(_saver, "t1"), 4);

        var listed = await _saver.ListAsync(new CheckpointConfig("t1"), ct: Ct).ToListAsync(Ct);

        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(t => t.Config.CheckpointId));
        Assert.Equal(ids[2], listed[0].ParentConfig?.CheckpointId);
    }

    [Fact]
    public async Task List_before_keeps_older_ids_and_limit_applies_last()
    {
        var ids = await PutChainAsync(new TestThread(_saver, "t1"), 5);
        var config = new CheckpointConfig("t1");
        var before = config.WithCheckpoint(ids[3]);

        Assert.Equal([ids[2], ids[1], ids[0]], await IdsAsync(_saver.ListAsync(config, before: before, ct: Ct)));
        Assert.Equal([ids[4], ids[3]], await IdsAsync(_saver.ListAsync(config, limit: 2, ct: Ct)));
        Assert.Equal([ids[2], ids[1]], await IdsAsync(_saver.ListAsync(config, before: before, limit: 2, ct: Ct)));
        Assert.Empty(await IdsAsync(_saver.ListAsync(config, limit: 0, ct: Ct)));
    }

    [Fact]
    public async Task List_with_a_checkpoint_id_returns_only_that_checkpoint()
    {
        var ids = await PutChainAsync(new TestThread(_saver, "t1"), 3);

        Assert.Equal([ids[1]], await IdsAsync(_saver.ListAsync(new CheckpointConfig("t1", "", ids[1]), ct: Ct)));
    }

    [Fact]
    public async Task List_filters_on_source_and_step()
    {
        var thread = new TestThread(_saver, "t1");
        await thread.PutAsync(("a", "1"));                                                                   // input, -1
        var loop0 = await thread.PutAsync(("a", "2"));                                                        // loop, 0
        var loop1 = await thread.PutAsync(("a", "3"));                                                        // loop, 1
        var update = await thread.PutAsync(new CheckpointMetadata { Source = CheckpointSource.Update, Step = 2 }, ("a", "4"));
        var config = new CheckpointConfig("t1");

        Assert.Equal([loop1.CheckpointId, loop0.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("source", "loop")), ct: Ct)));
        Assert.Equal([update.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("source", "update")), ct: Ct)));
        Assert.Equal([loop1.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("step", 1)), ct: Ct)));
        Assert.Single(await IdsAsync(_saver.ListAsync(config, Filter(("source", "input"), ("step", -1)), ct: Ct)));
        Assert.Empty(await IdsAsync(_saver.ListAsync(config, Filter(("source", "loop"), ("step", -1)), ct: Ct)));
    }

    [Fact]
    public async Task List_filters_on_custom_string_number_and_bool_entries()
    {
        var thread = new TestThread(_saver, "t1");
        var alice = await thread.PutAsync(Custom(("user", "alice"), ("score", 3L), ("ratio", 0.5), ("flagged", true)), ("a", "1"));
        var bob = await thread.PutAsync(Custom(("user", "bob"), ("score", 4L), ("ratio", 1.5), ("flagged", false)), ("a", "2"));
        var config = new CheckpointConfig("t1");

        Assert.Equal([alice.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("user", "alice")), ct: Ct)));
        Assert.Equal([bob.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("score", 4)), ct: Ct)));
        Assert.Equal([alice.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("ratio", 0.5)), ct: Ct)));
        Assert.Equal([bob.CheckpointId], await IdsAsync(_saver.ListAsync(config, Filter(("flagged", false)), ct: Ct)));
        Assert.Empty(await IdsAsync(_saver.ListAsync(config, Filter(("user", "alice"), ("flagged", false)), ct: Ct)));
        Assert.Empty(await IdsAsync(_saver.ListAsync(config, Filter(("missing", "x")), ct: Ct)));
        Assert.Empty(await IdsAsync(_saver.ListAsync(config, Filter(("user", "ALICE")), ct: Ct)));
    }

    [Fact]
    public async Task List_without_a_config_covers_every_thread_newest_first()
    {
        // Written b, a/sub, a: newest first across threads is the reverse, whatever order the threads are kept in.
        var b = await PutChainAsync(new TestThread(_saver, "b"), 2);
        var aSub = await PutChainAsync(new TestThread(_saver, "a", "sub"), 2);
        var aRoot = await PutChainAsync(new TestThread(_saver, "a"), 2);

        var listed = await _saver.ListAsync(null, ct: Ct).ToListAsync(Ct);

        Assert.Equal(
            [("a", "", aRoot[1]), ("a", "", aRoot[0]), ("a", "sub", aSub[1]), ("a", "sub", aSub[0]), ("b", "", b[1]), ("b", "", b[0])],
            listed.Select(t => (t.Config.ThreadId, t.Config.CheckpointNs, t.Config.CheckpointId)));
        Assert.Equal([aRoot[0], aSub[0], b[0]], await IdsAsync(_saver.ListAsync(null, Filter(("step", -1)), ct: Ct)));
        Assert.Equal(3, (await IdsAsync(_saver.ListAsync(null, limit: 3, ct: Ct))).Count);
    }

    [Fact]
    public async Task List_honours_cancellation()
    {
        await PutChainAsync(new TestThread(_saver, "t1"), 2);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _saver.ListAsync(new CheckpointConfig("t1"), ct: cts.Token).ToListAsync(Ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _saver.GetTupleAsync(new CheckpointConfig("t1"), cts.Token));
    }

    // ---- namespaces ----

    [Fact]
    public async Task Namespaces_of_a_thread_are_isolated()
    {
        var root = new TestThread(_saver, "t1");
        var rootIds = await PutChainAsync(root, 2);
        // The subgraph's first put has no parent although the root namespace has checkpoints.
        var sub = await new TestThread(_saver, "t1", "sub|node").PutAsync(("a", "\"sub\""));
        // And the root namespace's head is still its own.
        await root.PutAsync(("a", "\"root\""));

        Assert.Equal(sub, (await _saver.GetTupleAsync(new CheckpointConfig("t1", "sub|node"), Ct))!.Config);
        Assert.Equal(root.Head, (await _saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Config);
        Assert.Equal([root.Head.CheckpointId, rootIds[1], rootIds[0]], await IdsAsync(_saver.ListAsync(new CheckpointConfig("t1"), ct: Ct)));
        Assert.Equal([sub.CheckpointId], await IdsAsync(_saver.ListAsync(new CheckpointConfig("t1", "sub|node"), ct: Ct)));
        Assert.Null(await _saver.GetTupleAsync(new CheckpointConfig("t1", "sub|node", rootIds[0]), Ct));
    }

    [Fact]
    public async Task Channel_values_are_stored_per_namespace()
    {
        var rootConfig = await new TestThread(_saver, "t1").PutAsync(("a", "1"));
        var rootCheckpoint = (await _saver.GetTupleAsync(rootConfig, Ct))!.Checkpoint;
        // Same channel versions, nothing new: the root's blob must not leak into the subgraph namespace.
        var sub = Checkpoint.Empty(CheckpointIds.New(0), DateTimeOffset.UtcNow) with { ChannelVersions = rootCheckpoint.ChannelVersions };

        var subConfig = await _saver.PutAsync(new CheckpointConfig("t1", "sub"), sub, Input(), NoVersions, Ct);

        Assert.Empty(Values(await _saver.GetTupleAsync(subConfig, Ct)));
    }

    // ---- pending writes ----

    [Fact]
    public async Task Writing_the_same_task_again_keeps_the_first_writes()
    {
        var config = await new TestThread(_saver, "t1").PutAsync(("a", "1"));

        await _saver.PutWritesAsync(config, [new("a", Json("1")), new("b", Json("2"))], "task", ct: Ct);
        await _saver.PutWritesAsync(config, [new("a", Json("9")), new("b", Json("9"))], "task", ct: Ct);

        Assert.Equal(["task:a=1", "task:b=2"], Writes(await _saver.GetTupleAsync(config, Ct)));
    }

    [Fact]
    public async Task Special_writes_are_replaced_but_not_inside_a_mixed_batch()
    {
        var config = await new TestThread(_saver, "t1").PutAsync(("a", "1"));

        await _saver.PutWritesAsync(config, [new(WriteChannels.Error, Json("\"first\""))], "failing", ct: Ct);
        await _saver.PutWritesAsync(config, [new(WriteChannels.Error, Json("\"second\""))], "failing", ct: Ct);
        await _saver.PutWritesAsync(config, [new(WriteChannels.Interrupt, Json("1")), new("a", Json("1"))], "mixed", ct: Ct);
        await _saver.PutWritesAsync(config, [new(WriteChannels.Interrupt, Json("2")), new("a", Json("2"))], "mixed", ct: Ct);

        Assert.Equal(
            ["failing:__error__=\"second\"", "mixed:__interrupt__=1", "mixed:a=1"],
            Writes(await _saver.GetTupleAsync(config, Ct)));
    }

    [Fact]
    public async Task Pending_writes_are_ordered_by_task_id_then_index()
    {
        var config = await new TestThread(_saver, "t1").PutAsync(("a", "1"));

        // Ordinal order puts "task-B" before "task-a"; special channels have negative indices.
        await _saver.PutWritesAsync(config, [new("x", Json("1")), new("y", Json("2")), new(WriteChannels.Interrupt, Json("3"))], "task-a", ct: Ct);
        await _saver.PutWritesAsync(config, [new("z", Json("4")), new("w", Json("5"))], "task-B", ct: Ct);

        Assert.Equal(
            ["task-B:z=4", "task-B:w=5", "task-a:__interrupt__=3", "task-a:x=1", "task-a:y=2"],
            Writes(await _saver.GetTupleAsync(config, Ct)));
    }

    [Fact]
    public async Task Pending_writes_belong_to_their_checkpoint_only()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "1"));
        await _saver.PutWritesAsync(first, [new("a", Json("2"))], "task", ct: Ct);

        var second = await thread.PutAsync(("a", "2"));

        Assert.Empty((await _saver.GetTupleAsync(second, Ct))!.PendingWrites);
        Assert.Equal(["task:a=2"], Writes(await _saver.GetTupleAsync(first, Ct)));
        Assert.Empty((await _saver.GetTupleAsync(first with { CheckpointNs = "sub" }, Ct))?.PendingWrites ?? []);
    }

    [Fact]
    public async Task PutWrites_needs_a_checkpoint_id()
    {
        await new TestThread(_saver, "t1").PutAsync(("a", "1"));

        var error = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await _saver.PutWritesAsync(new CheckpointConfig("t1"), [new("a", Json("1"))], "task", ct: Ct));

        Assert.Contains("t1", error.Message, StringComparison.Ordinal);
    }

    // ---- delete, prune, copy ----

    [Fact]
    public async Task DeleteThread_removes_every_namespace_and_leaves_other_threads()
    {
        var other = await PutChainAsync(new TestThread(_saver, "t2"), 2);
        var bytesOfOther = _saver.SerializedBytes;
        var root = await PutChainAsync(new TestThread(_saver, "t1"), 2);
        await PutChainAsync(new TestThread(_saver, "t1", "sub"), 2);
        await _saver.PutWritesAsync(new CheckpointConfig("t1", "", root[1]), [new("a", Json("1"))], "task", ct: Ct);

        await _saver.DeleteThreadAsync("t1", Ct);

        Assert.Null(await _saver.GetTupleAsync(new CheckpointConfig("t1"), Ct));
        Assert.Null(await _saver.GetTupleAsync(new CheckpointConfig("t1", "sub"), Ct));
        Assert.Equal([other[1], other[0]], await IdsAsync(_saver.ListAsync(null, ct: Ct)));
        Assert.Equal(bytesOfOther, _saver.SerializedBytes);
        // The thread starts over: a first put has no parent to conflict with.
        await new TestThread(_saver, "t1").PutAsync(("a", "1"));
    }

    [Fact]
    public async Task Prune_keep_latest_drops_history_and_orphaned_values_but_the_latest_reads_whole()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("a", "\"kept from the first checkpoint\""), ("b", "\"b1\""));
        await _saver.PutWritesAsync(first, [new("b", Json("\"old write\""))], "old", ct: Ct);
        var second = await thread.PutAsync(("b", "\"b2\""));
        var latest = await thread.PutAsync(("b", "\"b3\""));
        await _saver.PutWritesAsync(latest, [new("b", Json("\"pending\""))], "task", ct: Ct);
        await PutChainAsync(new TestThread(_saver, "t1", "sub"), 3);
        var untouched = await PutChainAsync(new TestThread(_saver, "t2"), 3);
        var bytesBefore = _saver.SerializedBytes;

        await _saver.PruneAsync(["t1", "unknown"], PruneStrategy.KeepLatest, Ct);

        var kept = Assert.Single(await _saver.ListAsync(new CheckpointConfig("t1"), ct: Ct).ToListAsync(Ct));
        Assert.Equal(latest, kept.Config);
        Assert.Equal(new() { ["a"] = "\"kept from the first checkpoint\"", ["b"] = "\"b3\"" }, Values(kept));
        Assert.Equal(["task:b=\"pending\""], Writes(kept));
        Assert.Equal(second, kept.ParentConfig);
        Assert.Null(await _saver.GetTupleAsync(second, Ct));
        Assert.Null(await _saver.GetTupleAsync(first, Ct));
        var keptSub = Assert.Single(await _saver.ListAsync(new CheckpointConfig("t1", "sub"), ct: Ct).ToListAsync(Ct));
        Assert.Equal(untouched.Count, (await IdsAsync(_saver.ListAsync(new CheckpointConfig("t2"), ct: Ct))).Count);

        // What is left is exactly the two kept checkpoints' values, metadata and writes plus thread t2:
        // the older blobs (b1, b2) and writes are gone, not just unreachable.
        var t2Bytes = 0L;
        await foreach (var tuple in _saver.ListAsync(new CheckpointConfig("t2"), ct: Ct))
        {
            t2Bytes += StoredBytes(tuple);
        }
        Assert.True(_saver.SerializedBytes < bytesBefore);
        Assert.Equal(StoredBytes(kept) + StoredBytes(keptSub) + t2Bytes, _saver.SerializedBytes);
    }

    [Fact]
    public async Task Prune_delete_removes_the_threads()
    {
        await PutChainAsync(new TestThread(_saver, "t1"), 2);
        await PutChainAsync(new TestThread(_saver, "t1", "sub"), 2);
        var other = await PutChainAsync(new TestThread(_saver, "t2"), 2);

        await _saver.PruneAsync(["t1"], PruneStrategy.Delete, Ct);

        Assert.Equal([other[1], other[0]], await IdsAsync(_saver.ListAsync(null, ct: Ct)));
        Assert.Equal(["t2"], (await _saver.ListThreadsAsync(Ct).ToListAsync(Ct)).Select(t => t.ThreadId));
    }

    [Fact]
    public async Task CopyThread_copies_history_values_and_writes_and_leaves_the_source_alone()
    {
        var source = new TestThread(_saver, "source");
        var ids = await PutChainAsync(source, 3);
        await _saver.PutWritesAsync(source.Head, [new("a", Json("\"pending\"")), new(WriteChannels.Interrupt, Json("1"))], "task", ct: Ct);
        await _saver.PutWritesAsync(new CheckpointConfig("source", "", ids[0]), [new("a", Json("\"old\""))], "old", ct: Ct);
        await PutChainAsync(new TestThread(_saver, "source", "sub"), 2);
        var sourceBefore = await DescribeAsync("source");

        await _saver.CopyThreadAsync("source", "target", Ct);

        Assert.Equal(sourceBefore, await DescribeAsync("target"));
        var copiedHead = await _saver.GetTupleAsync(new CheckpointConfig("target"), Ct);
        Assert.Equal(new CheckpointConfig("target", "", ids[1]), copiedHead!.ParentConfig);
        // The copy is a thread of its own: extending it leaves the source's head where it was.
        var (next, newVersions) = Build(3, copiedHead.Checkpoint.ChannelVersions, ("a", "\"target only\""));
        await _saver.PutAsync(copiedHead.Config, next, new CheckpointMetadata { Step = 3 }, newVersions, Ct);
        Assert.Equal(sourceBefore, await DescribeAsync("source"));
    }

    [Fact]
    public async Task CopyThread_needs_an_existing_source_and_a_new_target()
    {
        await PutChainAsync(new TestThread(_saver, "source"), 1);
        var targetIds = await PutChainAsync(new TestThread(_saver, "target"), 2);
        await _saver.PutWritesAsync(new CheckpointConfig("writes-only", "", CheckpointIds.New(0)), [new("a", Json("1"))], "task", ct: Ct);

        var missing = await Assert.ThrowsAsync<ThreadNotFoundException>(async () => await _saver.CopyThreadAsync("nobody", "new", Ct));
        Assert.Equal("nobody", missing.ThreadId);
        await Assert.ThrowsAsync<ThreadNotFoundException>(async () => await _saver.CopyThreadAsync("writes-only", "new", Ct));
        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () => await _saver.CopyThreadAsync("source", "target", Ct));
        Assert.Equal("target", conflict.ThreadId);
        Assert.Null(conflict.ExpectedParent);
        Assert.Equal(targetIds[1], conflict.ActualHead);
        Assert.Equal([targetIds[1], targetIds[0]], await IdsAsync(_saver.ListAsync(new CheckpointConfig("target"), ct: Ct)));
    }

    // ---- extensions (a list the runtime hands over as ChannelBytes extending the stored value) ----

    /// <summary>
    /// Grows list channel <c>m</c> of thread <c>t1</c> as one long run does: <c>[]</c> first, then an item of 1 KB per
    /// put, each handed over as an extension of the grower's own previous value with an append hint on its version.
    /// </summary>
    private sealed class ListGrower(InMemorySaver saver)
    {
        private readonly List<string> _items = [];
        private ChannelBytes? _value;
        private string? _version;

        public CheckpointConfig Head { get; private set; } = new("t1");

        public List<CheckpointConfig> Configs { get; } = [];

        public string Expected => $"[{string.Join(',', _items)}]";

        public async Task PutAsync(int turns)
        {
            for (var turn = 0; turn < turns; turn++)
            {
                ChannelBytes next;
                if (_value is null)
                {
                    next = ChannelBytes.Whole(Json("[]"));
                }
                else
                {
                    var item = $"\"{new string((char)('a' + _items.Count % 26), 1000)}\"";
                    next = _value.Extend(_value.Length - 1, Json((_items.Count == 0 ? "" : ",") + item + "]"));
                    _items.Add(item);
                }
                var nextVersion = ChannelVersions.Next(_version);
                var checkpoint = new Checkpoint
                {
                    Id = CheckpointIds.New(Configs.Count),
                    Ts = DateTimeOffset.UtcNow,
                    ChannelValues = new ChannelValueMap(new Dictionary<string, ChannelBytes> { ["m"] = next }),
                    ChannelVersions = new Dictionary<string, string> { ["m"] = nextVersion },
                    VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
                    Appends = _value is null ? new Dictionary<string, ChannelAppend>() : new() { ["m"] = new(_version!, _value.Length - 1) },
                };
                Head = await saver.PutAsync(Head, checkpoint, new CheckpointMetadata { Source = CheckpointSource.Loop, Step = Configs.Count }, checkpoint.ChannelVersions, Ct);
                Configs.Add(Head);
                (_value, _version) = (next, nextVersion);
            }
        }
    }

    [Fact]
    public async Task A_list_grown_by_extensions_is_held_as_the_bytes_appended_and_reads_back_exactly()
    {
        var grower = new ListGrower(_saver);
        await grower.PutAsync(201);
        var (head, configs, expected) = (grower.Head, grower.Configs, grower.Expected);

        // Whole values would hold about 200 * 100 KB = 20 MB; the extensions hold each item once.
        Assert.InRange(_saver.SerializedBytes, expected.Length, 2 * expected.Length);
        var tuple = await _saver.GetTupleAsync(head, Ct);
        Assert.Equal(expected, Text(tuple!.Checkpoint.ChannelValues["m"]));
        Assert.NotNull(tuple.Checkpoint.GetChannelBytes("m")!.Base);
        Assert.Equal(expected[..(100 * 1003)] + "]", Text((await _saver.GetTupleAsync(configs[100], Ct))!.Checkpoint.ChannelValues["m"]));
    }

    [Fact]
    public async Task Prune_keep_latest_holds_an_extended_value_whole_so_what_it_extended_is_freed()
    {
        var grower = new ListGrower(_saver);
        await grower.PutAsync(51);
        var metadataBytes = (await _saver.GetTupleAsync(grower.Head, Ct))!.Metadata.ToJson().Length;

        await _saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);

        var tuple = await _saver.GetTupleAsync(grower.Head, Ct);
        Assert.Null(tuple!.Checkpoint.GetChannelBytes("m")!.Base);
        Assert.Equal(grower.Expected, Text(tuple.Checkpoint.ChannelValues["m"]));
        Assert.Equal(grower.Expected.Length + metadataBytes, _saver.SerializedBytes);
    }

    [Fact]
    public async Task A_run_that_goes_on_after_a_prune_is_held_as_extensions_of_the_pruned_value_again()
    {
        var grower = new ListGrower(_saver);
        await grower.PutAsync(51);
        await _saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);
        var afterPrune = _saver.SerializedBytes;

        // The run still extends its own values; the saver builds on the whole value it kept for the hinted version.
        await grower.PutAsync(50);

        // Each put holds its suffix (",", the 1,002-byte item, "]") and its metadata (a few hundred bytes), nothing more.
        const int Suffixes = 50 * 1004;
        Assert.InRange(_saver.SerializedBytes - afterPrune, Suffixes, Suffixes + 50 * 400);
        var tuple = await _saver.GetTupleAsync(grower.Head, Ct);
        Assert.NotNull(tuple!.Checkpoint.GetChannelBytes("m")!.Base);
        Assert.Equal(grower.Expected, Text(tuple.Checkpoint.ChannelValues["m"]));
        Assert.Equal(grower.Expected[..(75 * 1003)] + "]", Text((await _saver.GetTupleAsync(grower.Configs[75], Ct))!.Checkpoint.ChannelValues["m"]));
    }

    [Fact]
    public async Task A_value_hinted_on_a_version_not_stored_here_is_held_whole()
    {
        var thread = new TestThread(_saver, "t1");
        var first = await thread.PutAsync(("m", "[1]"));
        var stored = (await _saver.GetTupleAsync(first, Ct))!.Checkpoint;
        var (checkpoint, newVersions) = Build(0, stored.ChannelVersions, ("m", "[1,2]"));
        checkpoint = checkpoint with
        {
            ChannelValues = new ChannelValueMap(new Dictionary<string, ChannelBytes> { ["m"] = ChannelBytes.Whole(Json("[1]")).Extend(2, Json(",2]")) }),
            Appends = new Dictionary<string, ChannelAppend> { ["m"] = new("00000099.deadbeef", 2) },
        };

        var second = await _saver.PutAsync(first, checkpoint, new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 0 }, newVersions, Ct);

        var read = (await _saver.GetTupleAsync(second, Ct))!.Checkpoint;
        Assert.Null(read.GetChannelBytes("m")!.Base);
        Assert.Equal("[1,2]", Text(read.ChannelValues["m"]));
    }

    // ---- threads ----

    [Fact]
    public async Task ListThreads_orders_by_thread_id_and_counts_every_namespace()
    {
        var bRoot = await PutChainAsync(new TestThread(_saver, "b"), 2);
        await PutChainAsync(new TestThread(_saver, "b", "sub"), 1);
        var a = await PutChainAsync(new TestThread(_saver, "a"), 1);
        var cSub = await PutChainAsync(new TestThread(_saver, "c", "sub"), 1);
        await _saver.PutWritesAsync(new CheckpointConfig("d", "", CheckpointIds.New(0)), [new("a", Json("1"))], "task", ct: Ct);

        var threads = await _saver.ListThreadsAsync(Ct).ToListAsync(Ct);

        Assert.Equal(
            [
                new ThreadInfo("a", 1, a[0], await TsAsync(new("a", "", a[0]))),
                new ThreadInfo("b", 3, bRoot[1], await TsAsync(new("b", "", bRoot[1]))),
                new ThreadInfo("c", 1, null, await TsAsync(new("c", "sub", cSub[0]))),
            ],
            threads);
    }

    [Fact]
    public async Task Parallel_puts_on_separate_threads_are_all_stored()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => PutChainAsync(new TestThread(_saver, $"thread-{i}"), 50), Ct)));

        var threads = await _saver.ListThreadsAsync(Ct).ToListAsync(Ct);
        Assert.Equal(8, threads.Count);
        Assert.All(threads, thread => Assert.Equal(50, thread.CheckpointCount));
        for (var i = 0; i < 8; i++)
        {
            var history = await _saver.ListAsync(new CheckpointConfig($"thread-{i}"), ct: Ct).ToListAsync(Ct);
            Assert.Equal(50, history.Count);
            // Every checkpoint's parent is the next older one: no put was lost or misattached.
            Assert.Equal(history.Skip(1).Select(t => t.Config), history.SkipLast(1).Select(t => t.ParentConfig));
            Assert.Equal("49", Text(history[0].Checkpoint.ChannelValues["n"]));
        }
    }

    // ---- helpers ----

    private static CheckpointMetadata Input() => new() { Source = CheckpointSource.Input, Step = -1 };

    private static CheckpointMetadata Custom(params (string Key, object? Value)[] entries) =>
        new() { Source = CheckpointSource.Loop, Custom = entries.ToDictionary(e => e.Key, e => e.Value) };

    private static Dictionary<string, object?> Filter(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    /// <summary>Puts <paramref name="count"/> checkpoints, each writing its index to channel <c>n</c>; returns their ids.</summary>
    private static async Task<List<string>> PutChainAsync(TestThread thread, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add((await thread.PutAsync(("n", $"{i}"))).CheckpointId!);
        }
        return ids;
    }

    private static async Task<List<string?>> IdsAsync(IAsyncEnumerable<CheckpointTuple> tuples) =>
        [.. (await tuples.ToListAsync(Ct)).Select(t => t.Config.CheckpointId)];

    private async Task<DateTimeOffset> TsAsync(CheckpointConfig config) => (await _saver.GetTupleAsync(config, Ct))!.Checkpoint.Ts;

    private static Dictionary<string, string> Values(CheckpointTuple? tuple) =>
        tuple!.Checkpoint.ChannelValues.ToDictionary(entry => entry.Key, entry => Text(entry.Value));

    private static List<string> Writes(CheckpointTuple? tuple) =>
        [.. tuple!.PendingWrites.Select(write => $"{write.TaskId}:{write.Channel}={Text(write.Value)}")];

    /// <summary>What a tuple accounts for in <see cref="InMemorySaver.SerializedBytes"/> when no other checkpoint shares its values.</summary>
    private static long StoredBytes(CheckpointTuple tuple) =>
        tuple.Checkpoint.ChannelValues.Values.Sum(value => (long)value.Length)
        + tuple.Metadata.ToJson().Length
        + tuple.PendingWrites.Sum(write => (long)write.Value.Length);

    /// <summary>Everything a thread's listing shows except the thread id, to compare a copy with its source.</summary>
    private async Task<List<string>> DescribeAsync(string threadId)
    {
        var lines = new List<string>();
        foreach (var ns in new[] { "", "sub" })
        {
            await foreach (var tuple in _saver.ListAsync(new CheckpointConfig(threadId, ns), ct: Ct))
            {
                Assert.Equal(threadId, tuple.Config.ThreadId);
                Assert.Equal(threadId, tuple.ParentConfig?.ThreadId ?? threadId);
                lines.Add(string.Join(" | ",
                    tuple.Config.CheckpointNs,
                    tuple.Config.CheckpointId,
                    tuple.ParentConfig is { } parent ? $"{parent.CheckpointNs}/{parent.CheckpointId}" : "-",
                    Encoding.UTF8.GetString(tuple.Metadata.ToJson()),
                    string.Join(",", Values(tuple).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}")),
                    string.Join(",", Writes(tuple))));
            }
        }
        return lines;
    }
}
