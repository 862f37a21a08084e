using GraphGen.Checkpointing;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// Forwards to another saver and counts the calls the peer's <c>instrument</c> counts: put, put writes, get tuple
/// and list (a listing counts once, when it is requested), each put of a batch included, and counts the batches the
/// puts arrived in (one transaction or round trip each on the SQLite and PostgreSQL savers). Safe for concurrent runs (W6).
/// </summary>
public sealed class CountingSaver(ICheckpointSaver inner) : ICheckpointSaver
{
    private long _puts;
    private long _putWrites;
    private long _getTuples;
    private long _lists;
    private long _batches;

    /// <summary>The counts so far.</summary>
    public SaverCallCounts Counts => new(
        Interlocked.Read(ref _puts), Interlocked.Read(ref _putWrites), Interlocked.Read(ref _getTuples), Interlocked.Read(ref _lists), Interlocked.Read(ref _batches));

    /// <inheritdoc/>
    public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _getTuples);
        return inner.GetTupleAsync(config, ct);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<CheckpointTuple> ListAsync(
        CheckpointConfig? config,
        IReadOnlyDictionary<string, object?>? filter = null,
        CheckpointConfig? before = null,
        int? limit = null,
        CancellationToken ct = default)
    {
        Interlocked.Increment(ref _lists);
        return inner.ListAsync(config, filter, before, limit, ct);
    }

    /// <inheritdoc/>
    public ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config,
        Checkpoint checkpoint,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, string> newVersions,
        CancellationToken ct = default)
    {
        Interlocked.Increment(ref _puts);
        return inner.PutAsync(config, checkpoint, metadata, newVersions, ct);
    }

    /// <inheritdoc/>
    public ValueTask PutWritesAsync(
        CheckpointConfig config,
        IReadOnlyList<ChannelWrite> writes,
        string taskId,
        string taskPath = "",
        CancellationToken ct = default)
    {
        Interlocked.Increment(ref _putWrites);
        return inner.PutWritesAsync(config, writes, taskId, taskPath, ct);
    }

    /// <inheritdoc/>
    public ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default)
    {
        Interlocked.Increment(ref _batches);
        foreach (var put in puts)
        {
            Interlocked.Increment(ref put is CheckpointPut ? ref _puts : ref _putWrites);
        }
        return inner.PutBatchAsync(puts, ct);
    }

    /// <inheritdoc/>
    public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default) => inner.DeleteThreadAsync(threadId, ct);

    /// <inheritdoc/>
    public ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default) =>
        inner.PruneAsync(threadIds, strategy, ct);

    /// <inheritdoc/>
    public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default) =>
        inner.CopyThreadAsync(sourceThreadId, targetThreadId, ct);

    /// <inheritdoc/>
    public IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default) => inner.ListThreadsAsync(ct);
}
