using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>DeleteThread removes every checkpoint, value and write of the thread in all namespaces and leaves other threads untouched.</summary>
    [Fact]
    public async Task DeleteThread_removes_all_namespaces_and_leaves_other_threads()
    {
        var root = await Writer("t1").PutChainAsync(2);
        var child = await Writer("t1", "child").PutChainAsync(2);
        await Saver.PutWritesAsync(root[1], Meta.Writes(("w", "1")), "task", ct: Ct);
        var other = Writer("t2");
        await other.PutChainAsync(2);
        await Saver.PutWritesAsync(other.Head, Meta.Writes(("w", "2")), "task", ct: Ct);
        var prefixed = Writer("t10");
        await prefixed.PutChainAsync(1);

        await Saver.DeleteThreadAsync("t1", Ct);

        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct));
        Assert.Null(await Saver.GetTupleAsync(child[0], Ct));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child"), ct: Ct)));
        Assert.DoesNotContain(await Saver.ListAsync(null, ct: Ct).ToListAsync(Ct), t => t.Config.ThreadId == "t1");
        Assert.Equal(["t10", "t2"], await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
        await Expect.HistoryAsync(Saver, other.History);
        await Expect.HistoryAsync(Saver, prefixed.History);
        Assert.Single((await Saver.GetTupleAsync(other.Head, Ct))!.PendingWrites);
    }

    /// <summary>DeleteThread of a thread that does not exist does nothing and does not fail.</summary>
    [Fact]
    public async Task DeleteThread_of_an_unknown_thread_does_nothing()
    {
        var thread = Writer("t1");
        await thread.PutChainAsync(2);

        await Saver.DeleteThreadAsync("nobody", Ct);

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A deleted thread id starts over: its first put needs no parent, and nothing of the old history or writes shows through.</summary>
    [Fact]
    public async Task A_deleted_thread_starts_over()
    {
        var old = Writer("t1");
        await old.PutAsync(("a", "\"old\""), ("b", "\"old\""));
        await Saver.PutWritesAsync(old.Head, Meta.Writes(("w", "1")), "task", ct: Ct);
        await Saver.DeleteThreadAsync("t1", Ct);

        var fresh = Writer("t1");
        await fresh.PutAsync(("a", "\"new\""));

        await Expect.HistoryAsync(Saver, fresh.History);
        Assert.Empty((await Saver.GetTupleAsync(fresh.Head, Ct))!.PendingWrites);
    }

    /// <summary>Prune KeepLatest keeps each namespace's latest checkpoint with all its values and writes, drops the rest, and leaves other threads alone.</summary>
    [Fact]
    public async Task Prune_keep_latest_keeps_the_latest_checkpoint_of_each_namespace()
    {
        var root = Writer("t1");
        var child = Writer("t1", "child:1");
        await root.PutAsync(("a", "\"a1\""), ("b", "\"b1\""), ("c", "\"c1\""));
        await root.PutAsync(("a", "\"a2\""));
        await Saver.PutWritesAsync(root.Head, Meta.Writes(("old", "1")), "task", ct: Ct);
        await root.PutAsync(("b", "\"b2\""), ("c", null));
        await Saver.PutWritesAsync(root.Head, Meta.Writes(("x", "1"), (WriteChannels.Interrupt, "[\"ask\"]")), "task", ct: Ct);
        await child.PutChainAsync(3);
        var other = Writer("t2");
        await other.PutChainAsync(3);

        await Saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);

        Assert.Equal([root.Head.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct)));
        Assert.Equal([child.Head.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child:1"), ct: Ct)));
        var latest = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
        Expect.Values(root.Values, latest!.Checkpoint.ChannelValues);
        Assert.Equal([("task", WriteChannels.Interrupt, "[\"ask\"]"), ("task", "x", "1")], Meta.Read(latest.PendingWrites));
        Assert.Equal(2, (await Saver.ListThreadsAsync(Ct).FirstAsync(Ct)).CheckpointCount);
        foreach (var dropped in root.History.Keys.Where(id => id != root.Head.CheckpointId))
        {
            Assert.Null(await Saver.GetTupleAsync(root.Head.WithCheckpoint(dropped), Ct));
        }
        await Expect.HistoryAsync(Saver, other.History);
    }

    /// <summary>After Prune KeepLatest the thread goes on: a put on the kept head works and reads channels carried over from pruned checkpoints.</summary>
    [Fact]
    public async Task A_pruned_thread_goes_on_from_its_latest_checkpoint()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("a", "\"kept from the first\""), ("b", "1"));
        await thread.PutAsync(("b", "2"));
        await Saver.PruneAsync(["t1"], PruneStrategy.KeepLatest, Ct);

        var next = await thread.PutAsync(("b", "3"));

        var tuple = await Saver.GetTupleAsync(next, Ct);
        Expect.Values(thread.Values, tuple!.Checkpoint.ChannelValues);
        Assert.Equal(2, (await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct))).Count);
    }

    /// <summary>Prune with the Delete strategy removes the listed threads entirely and leaves the others alone.</summary>
    [Fact]
    public async Task Prune_delete_removes_the_threads()
    {
        await Writer("t1").PutChainAsync(3);
        await Writer("t1", "child").PutChainAsync(2);
        await Writer("t2").PutChainAsync(1);
        var other = Writer("t3");
        await other.PutChainAsync(2);

        await Saver.PruneAsync(["t1", "t2"], PruneStrategy.Delete, Ct);

        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1", "child"), ct: Ct)));
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t2"), ct: Ct)));
        Assert.Equal(["t3"], await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
        await Expect.HistoryAsync(Saver, other.History);
    }

    /// <summary>Prune of no threads or of unknown threads does nothing and does not fail, with either strategy.</summary>
    [Fact]
    public async Task Prune_of_no_or_unknown_threads_does_nothing()
    {
        var thread = Writer("t1");
        await thread.PutChainAsync(2);

        await Saver.PruneAsync([], PruneStrategy.KeepLatest, Ct);
        await Saver.PruneAsync(["nobody"], PruneStrategy.KeepLatest, Ct);
        await Saver.PruneAsync(["nobody"], PruneStrategy.Delete, Ct);

        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>CopyThread copies every namespace, checkpoint (same ids and order), value, metadata, parent link and write, and leaves the source as it was.</summary>
    [Fact]
    public async Task CopyThread_copies_the_whole_history()
    {
        var root = Writer("src");
        var child = Writer("src", "child:1");
        await root.PutAsync(new CheckpointMetadata { Source = CheckpointSource.Input, Step = -1, RunId = "run-1", Custom = new Dictionary<string, object?> { ["user"] = "alice" } }, ("a", "[1]"), ("b", "\"x\""));
        await root.PutAsync(("a", "[1,2]"));
        await Saver.PutWritesAsync(root.Head, Meta.Writes(("a", "[3]"), (WriteChannels.Error, "\"boom\"")), "task", "path", Ct);
        await root.PutAsync(("b", null));
        await child.PutChainAsync(2);
        await Saver.PutWritesAsync(child.Head, Meta.Writes(("c", "1")), "child-task", ct: Ct);

        await Saver.CopyThreadAsync("src", "dst", Ct);

        await Expect.HistoryAsync(Saver, root.History, "dst");
        await Expect.HistoryAsync(Saver, child.History, "dst");
        await Expect.HistoryAsync(Saver, root.History);
        await Expect.HistoryAsync(Saver, child.History);
        foreach (var expected in root.History.Values.Concat(child.History.Values))
        {
            var source = await Saver.GetTupleAsync(expected.Config, Ct);
            var copy = await Saver.GetTupleAsync(expected.Config with { ThreadId = "dst" }, Ct);
            Assert.Equal(Meta.Read(source!.PendingWrites), Meta.Read(copy!.PendingWrites));
        }
        Assert.Equal(
            await Saver.ListThreadsAsync(Ct).Where(t => t.ThreadId == "src").Select(t => (t.CheckpointCount, t.LatestCheckpointId)).SingleAsync(Ct),
            await Saver.ListThreadsAsync(Ct).Where(t => t.ThreadId == "dst").Select(t => (t.CheckpointCount, t.LatestCheckpointId)).SingleAsync(Ct));
    }

    /// <summary>A copy is independent: deleting the source or writing to either thread afterwards does not change the other.</summary>
    [Fact]
    public async Task A_copied_thread_is_independent_of_its_source()
    {
        var source = Writer("src");
        await source.PutChainAsync(3);
        await Saver.CopyThreadAsync("src", "dst", Ct);
        var copied = source.History.ToDictionary();

        await source.PutAsync(("n", "\"source only\""));
        await Saver.PutWritesAsync(source.Head.WithCheckpoint(copied.Keys.Max(StringComparer.Ordinal)), Meta.Writes(("w", "1")), "task", ct: Ct);
        await Saver.DeleteThreadAsync("src", Ct);

        await Expect.HistoryAsync(Saver, copied, "dst");
        Assert.Empty((await Saver.GetTupleAsync(new CheckpointConfig("dst"), Ct))!.PendingWrites);
    }

    /// <summary>CopyThread from a thread with no checkpoints throws ThreadNotFoundException naming it, and creates nothing.</summary>
    [Fact]
    public async Task CopyThread_of_an_unknown_source_throws_ThreadNotFound()
    {
        await Writer("t1").PutChainAsync(1);

        var missing = await Assert.ThrowsAsync<ThreadNotFoundException>(async () => await Saver.CopyThreadAsync("nobody", "dst", Ct));

        Assert.Equal("nobody", missing.ThreadId);
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("dst"), ct: Ct)));
        Assert.Equal(["t1"], await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
    }

    /// <summary>CopyThread onto a thread that already has checkpoints throws CheckpointConflictException naming the target, and changes neither thread.</summary>
    [Fact]
    public async Task CopyThread_onto_a_thread_with_checkpoints_conflicts()
    {
        var source = Writer("src");
        await source.PutChainAsync(2);
        var target = Writer("dst", "child");
        await target.PutChainAsync(1);

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () => await Saver.CopyThreadAsync("src", "dst", Ct));

        Assert.Equal("dst", conflict.ThreadId);
        Assert.Contains("'dst'", conflict.Message, StringComparison.Ordinal);
        await Expect.HistoryAsync(Saver, source.History);
        await Expect.HistoryAsync(Saver, target.History);
        Assert.Empty(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("dst"), ct: Ct)));
    }

    /// <summary>ListThreads orders by ordinal thread id ("B" &lt; "a" &lt; "a-b" &lt; "a_b"), counting all namespaces, with the root's latest id and its timestamp.</summary>
    /// <remarks>Ordinal, not culture order, so every backend lists the same way (PostgreSQL needs COLLATE "C").</remarks>
    [Fact]
    public async Task ListThreads_lists_threads_in_ordinal_order_with_counts_and_latest()
    {
        var writers = new Dictionary<string, ThreadWriter>();
        foreach (var (id, count) in new[] { ("a_b", 2), ("B", 1), ("a-b", 3), ("a", 1), ("ab", 2) })
        {
            writers[id] = Writer(id);
            await writers[id].PutChainAsync(count);
        }
        await Writer("a", "child").PutChainAsync(4);

        var threads = await Saver.ListThreadsAsync(Ct).ToListAsync(Ct);

        Assert.Equal(["B", "a", "a-b", "a_b", "ab"], threads.Select(t => t.ThreadId));
        Assert.Equal([1, 5, 3, 2, 2], threads.Select(t => t.CheckpointCount));
        foreach (var thread in threads)
        {
            var head = writers[thread.ThreadId].History[writers[thread.ThreadId].Head.CheckpointId!];
            Assert.Equal(head.Checkpoint.Id, thread.LatestCheckpointId);
            Assert.Equal(head.Checkpoint.Ts, thread.UpdatedAt);
        }
    }

    /// <summary>ListThreads of an empty saver is empty; a thread shows up with its first checkpoint and disappears when deleted.</summary>
    [Fact]
    public async Task ListThreads_follows_puts_and_deletes()
    {
        Assert.Empty(await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));

        var config = await Writer("t1").PutAsync(("a", "1"));
        Assert.Equal([new ThreadInfo("t1", 1, config.CheckpointId, (await Saver.GetTupleAsync(config, Ct))!.Checkpoint.Ts)], await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));

        await Saver.DeleteThreadAsync("t1", Ct);
        Assert.Empty(await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));
    }
}
