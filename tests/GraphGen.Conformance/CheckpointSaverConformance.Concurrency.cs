using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;
using static GraphGen.Conformance.Helpers.ThreadWriter;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>A put on a parent that is no longer the head throws CheckpointConflictException naming thread, namespace, parent and head, and stores nothing.</summary>
    [Fact]
    public async Task Put_on_a_stale_parent_conflicts_and_stores_nothing()
    {
        var thread = Writer("t1", "child");
        var first = await thread.PutAsync(("a", "1"));
        var head = await thread.PutAsync(("a", "2"));
        var (checkpoint, newVersions) = Build(0, thread.Versions, ("a", "\"lost\""));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await Saver.PutAsync(first, checkpoint, Meta.Loop(0), newVersions, Ct));

        Assert.Equal("t1", conflict.ThreadId);
        Assert.Equal("child", conflict.CheckpointNs);
        Assert.Equal(first.CheckpointId, conflict.ExpectedParent);
        Assert.Equal(head.CheckpointId, conflict.ActualHead);
        Assert.Contains("'t1'", conflict.Message, StringComparison.Ordinal);
        Assert.Null(await Saver.GetTupleAsync(first.WithCheckpoint(checkpoint.Id), Ct));
        Assert.Equal(head, (await Saver.GetTupleAsync(new CheckpointConfig("t1", "child"), Ct))!.Config);
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A first put that names a parent on a thread with no checkpoints conflicts: the run expected history that is not there.</summary>
    [Fact]
    public async Task First_put_with_a_parent_on_an_empty_thread_conflicts()
    {
        var (checkpoint, newVersions) = Build(0, new Dictionary<string, string>(), ("a", "1"));
        var parent = new CheckpointConfig("t1", "", CheckpointIds.New(-1));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await Saver.PutAsync(parent, checkpoint, Meta.Loop(0), newVersions, Ct));

        Assert.Equal("t1", conflict.ThreadId);
        Assert.Null(conflict.ActualHead);
        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct));
        Assert.Empty(await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));
    }

    /// <summary>A put without a parent on a namespace that already has checkpoints conflicts (two runs both started the thread).</summary>
    [Fact]
    public async Task Put_without_a_parent_on_a_started_thread_conflicts()
    {
        var head = await Writer("t1").PutAsync(("a", "1"));
        var (checkpoint, newVersions) = Build(-1, new Dictionary<string, string>(), ("a", "2"));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await Saver.PutAsync(new CheckpointConfig("t1"), checkpoint, Meta.Of(CheckpointSource.Input, -1), newVersions, Ct));

        Assert.Null(conflict.ExpectedParent);
        Assert.Equal(head.CheckpointId, conflict.ActualHead);
        Assert.Equal([head.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct)));
    }

    /// <summary>Heads are per namespace: the first put in a child namespace needs no parent although the root namespace has checkpoints.</summary>
    [Fact]
    public async Task Heads_are_per_namespace()
    {
        var root = Writer("t1");
        var child = Writer("t1", "child");
        await root.PutChainAsync(2);
        await child.PutChainAsync(2);
        await root.PutChainAsync(1);

        await Expect.HistoryAsync(Saver, root.History);
        await Expect.HistoryAsync(Saver, child.History);
    }

    /// <summary>A Fork put extends an old checkpoint without conflict and becomes the head; a put on the abandoned branch's head then conflicts.</summary>
    [Fact]
    public async Task A_fork_extends_an_old_checkpoint_and_becomes_the_head()
    {
        var main = Writer("t1");
        var configs = await main.PutChainAsync(4);
        var branch = main.Fork(configs[1]);

        var fork = await branch.PutAsync();
        var next = await branch.PutAsync(("n", "\"branch\""));

        Assert.Equal(configs[1], (await Saver.GetTupleAsync(fork, Ct))!.ParentConfig);
        Assert.Equal(next, (await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Config);
        var (checkpoint, newVersions) = Build(3, main.Versions, ("n", "\"main\""));
        await Assert.ThrowsAsync<CheckpointConflictException>(async () =>
            await Saver.PutAsync(configs[3], checkpoint, Meta.Loop(3), newVersions, Ct));
        await Expect.HistoryAsync(Saver, main.History);
    }

    /// <summary>Of eight puts racing on the same parent, exactly one wins each round and the others conflict; the winner is the head.</summary>
    [Fact]
    public async Task Of_parallel_puts_on_one_parent_exactly_one_wins()
    {
        var head = await Writer("t1").PutAsync(("n", "0"));
        var versions = (await Saver.GetTupleAsync(head, Ct))!.Checkpoint.ChannelVersions;
        for (var round = 0; round < 5; round++)
        {
            var (parent, step, seen) = (head, round, versions);
            var racers = Enumerable.Range(0, 8).Select(racer => Task.Run(async () =>
            {
                var (checkpoint, newVersions) = Build(step, seen, ("n", $"\"round {step} racer {racer}\""));
                try
                {
                    return (Config: (CheckpointConfig?)await Saver.PutAsync(parent, checkpoint, Meta.Loop(step), newVersions, Ct), Checkpoint: checkpoint);
                }
                catch (CheckpointConflictException conflict) when (conflict.ThreadId == "t1")
                {
                    return (Config: null, Checkpoint: checkpoint);
                }
            }, Ct));

            var results = await Task.WhenAll(racers);

            var winner = Assert.Single(results, result => result.Config is not null);
            var tuple = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
            Assert.Equal(winner.Config, tuple!.Config);
            Assert.Equal(parent, tuple.ParentConfig);
            Expect.SameBytes(winner.Checkpoint.ChannelValues["n"].Span, tuple.Checkpoint.ChannelValues["n"].Span);
            foreach (var loser in results.Where(result => result.Config is null))
            {
                Assert.Null(await Saver.GetTupleAsync(parent.WithCheckpoint(loser.Checkpoint.Id), Ct));
            }
            (head, versions) = (winner.Config!, winner.Checkpoint.ChannelVersions);
        }
        Assert.Equal(6, (await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), ct: Ct))).Count);
    }

    /// <summary>Many threads written in parallel, several puts and writes each, all read back exactly.</summary>
    [Fact]
    public async Task Many_threads_written_in_parallel_are_all_stored()
    {
        var writers = Enumerable.Range(0, 24).Select(i => Writer($"thread-{i:D2}", i % 3 == 0 ? "child" : "")).ToList();

        await Task.WhenAll(writers.Select(writer => Task.Run(async () =>
        {
            for (var step = 0; step < 10; step++)
            {
                var config = await writer.PutAsync(("n", $"\"{writer.ThreadId} {step}\""), ($"c{step % 3}", $"{step}"));
                await Saver.PutWritesAsync(config, Meta.Writes(("w", $"{step}")), $"task-{step}", ct: Ct);
            }
        }, Ct)));

        foreach (var writer in writers)
        {
            await Expect.HistoryAsync(Saver, writer.History);
        }
        var threads = await Saver.ListThreadsAsync(Ct).ToListAsync(Ct);
        Assert.Equal(writers.Select(w => w.ThreadId), threads.Select(t => t.ThreadId));
        Assert.All(threads, thread => Assert.Equal(10, thread.CheckpointCount));
    }

    /// <summary>Writes of many tasks against one checkpoint, put in parallel, are all kept.</summary>
    [Fact]
    public async Task Parallel_writes_of_many_tasks_are_all_kept()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));

        await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            await Saver.PutWritesAsync(config, Meta.Writes(("x", $"{i}"), ("y", $"{i}")), $"task-{i:D2}", ct: Ct), Ct)));

        var writes = Meta.Read((await Saver.GetTupleAsync(config, Ct))!.PendingWrites);
        Assert.Equal(Enumerable.Range(0, 32).SelectMany(i => new[] { ($"task-{i:D2}", "x", $"{i}"), ($"task-{i:D2}", "y", $"{i}") }), writes);
    }

    /// <summary>Reading while another task writes never fails and never returns a half-stored checkpoint.</summary>
    [Fact]
    public async Task Reads_during_writes_see_whole_checkpoints()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("a", "[0]"), ("b", "0"));
        using var done = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (var i = 1; i <= 40; i++)
            {
                await thread.AppendAsync([("a", [$"{i}"])], others: [("b", $"{i}")]);
            }
            await done.CancelAsync();
        }, Ct);

        var reads = 0;
        while (!done.IsCancellationRequested || reads == 0)
        {
            foreach (var tuple in await Saver.ListAsync(new CheckpointConfig("t1"), limit: 5, ct: Ct).ToListAsync(Ct))
            {
                var b = Bytes.Text(tuple.Checkpoint.ChannelValues["b"]);
                Assert.EndsWith($"{b}]", Bytes.Text(tuple.Checkpoint.ChannelValues["a"]), StringComparison.Ordinal);
                reads++;
            }
        }
        await writing;
        await Expect.HistoryAsync(Saver, thread.History);
    }
}
