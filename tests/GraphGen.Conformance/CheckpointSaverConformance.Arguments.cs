using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>Every saver operation, by name, for the cancellation cases.</summary>
    public static TheoryData<string> Operations() =>
        ["GetTuple", "List", "Put", "PutWrites", "DeleteThread", "Prune", "CopyThread", "ListThreads"];

    /// <summary>Every operation given an already cancelled token throws OperationCanceledException (a listing when enumerated) and changes nothing.</summary>
    [Theory]
    [MemberData(nameof(Operations))]
    public async Task An_already_cancelled_token_cancels(string operation)
    {
        var thread = Writer("t1");
        await thread.PutChainAsync(2);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ct = cts.Token;
        var (checkpoint, newVersions) = ThreadWriter.Build(1, thread.Versions, ("n", "\"cancelled\""));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            switch (operation)
            {
                case "GetTuple": await Saver.GetTupleAsync(thread.Head, ct); break;
                case "List": await Saver.ListAsync(thread.Head with { CheckpointId = null }, ct: ct).ToListAsync(Ct); break;
                case "Put": await Saver.PutAsync(thread.Head, checkpoint, Meta.Loop(1), newVersions, ct); break;
                case "PutWrites": await Saver.PutWritesAsync(thread.Head, Meta.Writes(("w", "1")), "task", ct: ct); break;
                case "DeleteThread": await Saver.DeleteThreadAsync("t1", ct); break;
                case "Prune": await Saver.PruneAsync(["t1"], PruneStrategy.Delete, ct); break;
                case "CopyThread": await Saver.CopyThreadAsync("t1", "t2", ct); break;
                case "ListThreads": await Saver.ListThreadsAsync(ct).ToListAsync(Ct); break;
                default: throw new ArgumentOutOfRangeException(nameof(operation), operation, null);
            }
        });

        await Expect.HistoryAsync(Saver, thread.History);
        Assert.Empty((await Saver.GetTupleAsync(thread.Head, Ct))!.PendingWrites);
        Assert.Equal(["t1"], await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
    }

    /// <summary>Calls that write without a usable thread id, checkpoint id or limit throw ArgumentException (or a subclass) and store nothing.</summary>
    [Theory]
    [InlineData("Put with an empty thread id")]
    [InlineData("Put of a checkpoint without an id")]
    [InlineData("PutWrites with an empty thread id")]
    [InlineData("PutWrites without a checkpoint id")]
    [InlineData("CopyThread from an empty thread id")]
    [InlineData("CopyThread to an empty thread id")]
    [InlineData("List with a negative limit")]
    public async Task Invalid_arguments_are_rejected(string call)
    {
        var thread = Writer("t1");
        var head = await thread.PutAsync(("a", "1"));
        var (checkpoint, newVersions) = ThreadWriter.Build(0, thread.Versions, ("a", "2"));

        await Assert.ThrowsAnyAsync<ArgumentException>(async () =>
        {
            switch (call)
            {
                case "Put with an empty thread id": await Saver.PutAsync(new CheckpointConfig(""), checkpoint, Meta.Loop(0), newVersions, Ct); break;
                case "Put of a checkpoint without an id": await Saver.PutAsync(head, checkpoint with { Id = "" }, Meta.Loop(0), newVersions, Ct); break;
                case "PutWrites with an empty thread id": await Saver.PutWritesAsync(head with { ThreadId = "" }, Meta.Writes(("w", "1")), "task", ct: Ct); break;
                case "PutWrites without a checkpoint id": await Saver.PutWritesAsync(head.WithCheckpoint(null), Meta.Writes(("w", "1")), "task", ct: Ct); break;
                case "CopyThread from an empty thread id": await Saver.CopyThreadAsync("", "t2", Ct); break;
                case "CopyThread to an empty thread id": await Saver.CopyThreadAsync("t1", "", Ct); break;
                case "List with a negative limit": await Saver.ListAsync(new CheckpointConfig("t1"), limit: -1, ct: Ct).ToListAsync(Ct); break;
                default: throw new ArgumentOutOfRangeException(nameof(call), call, null);
            }
        });

        await Expect.HistoryAsync(Saver, thread.History);
        Assert.Empty((await Saver.GetTupleAsync(head, Ct))!.PendingWrites);
        Assert.Equal(["t1"], await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
    }

    /// <summary>History, values and writes survive reopening the saver over the same storage, and replaying a task's writes afterwards stays idempotent.</summary>
    /// <remarks>A process restart for persistent savers (see ReopenSaverAsync); the same instance for in-memory ones.</remarks>
    [Fact]
    public async Task Everything_survives_reopening_the_saver()
    {
        var root = Writer("t1");
        await root.PutAsync(("a", "[1]"), ("b", "\"x\""));
        await root.AppendAsync("a", true, "2");
        await Saver.PutWritesAsync(root.Head, Meta.Writes(("ch", "\"val\"")), "task", ct: Ct);
        var child = Writer("t1", "child");
        await child.PutChainAsync(2);

        await ReopenAsync();

        await Expect.HistoryAsync(Saver, root.History);
        await Expect.HistoryAsync(Saver, child.History);
        await Saver.PutWritesAsync(root.Head, Meta.Writes(("ch", "\"val\"")), "task", ct: Ct);
        Assert.Equal([("task", "ch", "\"val\"")], Meta.Read((await Saver.GetTupleAsync(root.Head, Ct))!.PendingWrites));
        Assert.Equal([new ThreadInfo("t1", 4, root.Head.CheckpointId, root.History[root.Head.CheckpointId!].Checkpoint.Ts)], await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));
    }
}
