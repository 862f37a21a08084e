using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

// PutBatchAsync: what the runtime sends per step. Whatever a saver does with it (one transaction, one round trip, or
// one call at a time), the result must be the same as the puts made one by one, in order.
public abstract partial class CheckpointSaverConformance
{
    /// <summary>A batch of checkpoint, writes, checkpoint stores all three in order: both checkpoints exact, the writes on the first only.</summary>
    [Fact]
    public async Task A_batch_stores_its_puts_in_order()
    {
        var thread = Writer("t1");
        await thread.PutAsync(("a", "1"));
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        var first = await thread.PutAsync(("a", "2"));
        batch.Add(new WritesPut(first, [new ChannelWrite("a", Bytes.Json("3"))], "task-1"));
        var second = await thread.PutAsync(("a", "3"), ("b", "\"x\""));

        await Saver.PutBatchAsync(batch, Ct);

        await Expect.HistoryAsync(Saver, thread.History);
        var write = Assert.Single((await Saver.GetTupleAsync(first, Ct))!.PendingWrites);
        Assert.Equal(("task-1", "a", "3"), (write.TaskId, write.Channel, Bytes.Text(write.Value)));
        Assert.Empty((await Saver.GetTupleAsync(second, Ct))!.PendingWrites);
        Assert.Equal(second, (await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Config);
    }

    /// <summary>Hinted appends whose base was put earlier in the same batch read back exactly at every checkpoint.</summary>
    [Fact]
    public async Task Appends_on_a_value_put_earlier_in_the_same_batch_read_back_exactly()
    {
        var thread = Writer("t1");
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        await thread.PutAsync(("messages", "[\"first\"]"));
        for (var i = 0; i < 5; i++)
        {
            await thread.AppendAsync("messages", true, $"\"item {i}\"");
        }

        await Saver.PutBatchAsync(batch, Ct);

        Assert.Equal(6, batch.Count);
        await Expect.HistoryAsync(Saver, thread.History);
    }

    /// <summary>A conflicting checkpoint in a batch throws CheckpointConflictException; the puts before it stay stored, those after it are not.</summary>
    [Fact]
    public async Task A_conflict_in_a_batch_keeps_the_puts_before_it()
    {
        var thread = Writer("t1");
        var start = await thread.PutAsync(("a", "1"));
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        var stored = await thread.PutAsync(("a", "2"));
        batch.Add(new WritesPut(stored, [new ChannelWrite("a", Bytes.Json("9"))], "task-1"));
        // A second writer still on the first checkpoint: its put has a parent that is no longer the head.
        var (stale, staleVersions) = ThreadWriter.Build(1, thread.History[start.CheckpointId!].Checkpoint.ChannelVersions, ("a", "7"));
        batch.Add(new CheckpointPut(start, stale, Meta.Of(CheckpointSource.Loop, 1), staleVersions));
        var after = await thread.PutAsync(("a", "3"));

        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(() => Saver.PutBatchAsync(batch, Ct).AsTask());

        Assert.Equal(("t1", start.CheckpointId, stored.CheckpointId), (conflict.ThreadId, conflict.ExpectedParent, conflict.ActualHead));
        var head = await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct);
        Assert.Equal(stored, head!.Config);
        Assert.Equal("task-1", Assert.Single(head.PendingWrites).TaskId);
        Assert.Null(await Saver.GetTupleAsync(after, Ct));
        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t1", "", stale.Id), Ct));
    }

    /// <summary>A put with bad arguments in a batch throws the ArgumentException its own call throws; the puts before it stay stored.</summary>
    [Fact]
    public async Task A_bad_put_in_a_batch_throws_its_own_error_and_keeps_the_puts_before_it()
    {
        var thread = Writer("t1");
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        var stored = await thread.PutAsync(("a", "1"));
        batch.Add(new WritesPut(new CheckpointConfig("t1"), [new ChannelWrite("a", Bytes.Json("2"))], "task-1"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Saver.PutBatchAsync(batch, Ct).AsTask());

        Assert.Contains("names none", error.Message, StringComparison.Ordinal);
        Assert.Equal(stored, (await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct))!.Config);
    }

    /// <summary>A batch with a null entry is refused before anything is stored, naming the index; an empty batch stores nothing and succeeds.</summary>
    [Fact]
    public async Task A_null_entry_refuses_the_whole_batch_and_an_empty_batch_is_a_no_op()
    {
        var thread = Writer("t1");
        var batch = new List<SaverPut>();
        thread.CollectInto(batch);
        await thread.PutAsync(("a", "1"));
        batch.Add(null!);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Saver.PutBatchAsync(batch, Ct).AsTask());
        await Saver.PutBatchAsync([], Ct);

        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig("t1"), Ct));
        Assert.Empty(await Saver.ListThreadsAsync(Ct).ToListAsync(Ct));
    }
}
