using System.Collections.Concurrent;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

/// <summary>Behaves like the inner saver and records every put, in order, as the runtime made it, and the batches they came in.</summary>
internal sealed class RecordingSaver(ICheckpointSaver inner) : ICheckpointSaver
{
    /// <summary>One <see cref="ICheckpointSaver.PutAsync"/> call.</summary>
    public sealed record Put(CheckpointConfig Parent, Checkpoint Checkpoint, CheckpointMetadata Metadata, IReadOnlyDictionary<string, string> NewVersions);

    private readonly ConcurrentQueue<Put> _puts = new();
    private readonly ConcurrentQueue<IReadOnlyList<SaverPut>> _batches = new();

    /// <summary>The puts recorded since the last <see cref="Clear"/>.</summary>
    public IReadOnlyList<Put> Puts => [.. _puts];

    /// <summary>The batches recorded since the last <see cref="Clear"/>.</summary>
    public IReadOnlyList<IReadOnlyList<SaverPut>> Batches => [.. _batches];

    /// <summary>Awaited before each batch is passed on (to hold a batch back while a test looks at the run).</summary>
    public Func<Task>? BeforeBatch { get; init; }

    public void Clear()
    {
        _puts.Clear();
        _batches.Clear();
    }

    public async ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default)
    {
        if (BeforeBatch is { } before)
        {
            await before();
        }
        _batches.Enqueue([.. puts]);
        foreach (var put in puts.OfType<CheckpointPut>())
        {
            _puts.Enqueue(new Put(put.Config, put.Checkpoint, put.Metadata, put.NewVersions));
        }
        await inner.PutBatchAsync(puts, ct);
    }

    public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default) => inner.GetTupleAsync(config, ct);

    public IAsyncEnumerable<CheckpointTuple> ListAsync(CheckpointConfig? config, IReadOnlyDictionary<string, object?>? filter = null, CheckpointConfig? before = null, int? limit = null, CancellationToken ct = default) =>
        inner.ListAsync(config, filter, before, limit, ct);

    public ValueTask<CheckpointConfig> PutAsync(CheckpointConfig config, Checkpoint checkpoint, CheckpointMetadata metadata, IReadOnlyDictionary<string, string> newVersions, CancellationToken ct = default)
    {
        _puts.Enqueue(new Put(config, checkpoint, metadata, newVersions));
        return inner.PutAsync(config, checkpoint, metadata, newVersions, ct);
    }

    public ValueTask PutWritesAsync(CheckpointConfig config, IReadOnlyList<ChannelWrite> writes, string taskId, string taskPath = "", CancellationToken ct = default) =>
        inner.PutWritesAsync(config, writes, taskId, taskPath, ct);

    public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default) => inner.DeleteThreadAsync(threadId, ct);

    public ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default) =>
        inner.PruneAsync(threadIds, strategy, ct);

    public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default) =>
        inner.CopyThreadAsync(sourceThreadId, targetThreadId, ct);

    public IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default) => inner.ListThreadsAsync(ct);
}
