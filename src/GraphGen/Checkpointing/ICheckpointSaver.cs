namespace GraphGen.Checkpointing;

/// <summary>
/// Stores checkpoints and pending writes, per thread and namespace. The contract follows LangGraph's
/// <c>BaseCheckpointSaver</c> (get, list, put, put writes, delete thread) plus prune, copy and thread
/// listing, and adds optimistic concurrency: a put whose parent is no longer the head fails.
/// </summary>
/// <remarks>
/// Channel values arrive serialized; a saver stores one value per (thread, namespace, channel, version)
/// and never needs the application's types. Buffers are handed over, not lent: a saver may keep the value and write
/// buffers it is given (and return them from reads) without copying, so neither callers nor readers change a buffer
/// once it has passed through a saver; the same holds for a put checkpoint's dictionaries and lists (the in-memory
/// saver keeps each namespace's latest checkpoint as it was put). The runtime hands values over as a <see cref="ChannelValueMap"/>, where a list
/// that grew extends the value it stored before (<see cref="Checkpoint.GetChannelBytes"/>); reading a value from the
/// dictionary joins it, so a saver that stores deltas reads the extension instead. All members are safe to call concurrently. The runtime sends a run's
/// checkpoints and writes through <see cref="PutBatchAsync"/>; with async durability it goes on as soon as that call
/// yields, so a saver whose I/O blocks should offload it to let steps overlap checkpoint writes.
/// </remarks>
public interface ICheckpointSaver
{
    /// <summary>
    /// The checkpoint <paramref name="config"/> names, or the thread's latest in that namespace when it
    /// names none; <see langword="null"/> when there is no such checkpoint.
    /// </summary>
    ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default);

    /// <summary>
    /// Checkpoints, newest first. <paramref name="config"/> restricts to a thread (and to a namespace and
    /// checkpoint id when given); <see langword="null"/> lists every thread. <paramref name="filter"/> is an
    /// exact match on metadata entries; <paramref name="before"/> keeps ids lower than its checkpoint id;
    /// <paramref name="limit"/> is applied last.
    /// </summary>
    IAsyncEnumerable<CheckpointTuple> ListAsync(
        CheckpointConfig? config,
        IReadOnlyDictionary<string, object?>? filter = null,
        CheckpointConfig? before = null,
        int? limit = null,
        CancellationToken ct = default);

    /// <summary>
    /// Stores <paramref name="checkpoint"/> as a child of <paramref name="config"/>'s checkpoint id (its parent;
    /// <see langword="null"/> for a thread's first checkpoint) and returns the config that addresses it.
    /// Only the channels in <paramref name="newVersions"/> are stored; the others are already stored under
    /// their versions.
    /// </summary>
    /// <exception cref="CheckpointConflictException">
    /// The parent is not the latest checkpoint of the thread and namespace any more (another run wrote in
    /// between). A checkpoint whose source is <see cref="CheckpointSource.Fork"/> starts a new branch on
    /// purpose and is not checked.
    /// </exception>
    ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config,
        Checkpoint checkpoint,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, string> newVersions,
        CancellationToken ct = default);

    /// <summary>
    /// Stores the writes of one task against the checkpoint <paramref name="config"/> names. Writing the same
    /// task again is idempotent: regular writes keep the first value, special writes
    /// (<see cref="WriteChannels.IsSpecial"/>) are replaced.
    /// </summary>
    ValueTask PutWritesAsync(
        CheckpointConfig config,
        IReadOnlyList<ChannelWrite> writes,
        string taskId,
        string taskPath = "",
        CancellationToken ct = default);

    /// <summary>
    /// Stores <paramref name="puts"/> as if each were passed to <see cref="PutAsync"/> or <see cref="PutWritesAsync"/>
    /// in order: when one is refused (a conflict, a bad argument), the puts before it stay stored and its exception
    /// is thrown. The runtime hands over a step's puts together so that a saver can store them in one transaction or
    /// round trip; the default calls them one by one.
    /// </summary>
    async ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default)
    {
        SaverPut.RequireBatch(puts);
        foreach (var put in puts)
        {
            await put.ApplyAsync(this, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes every checkpoint, value and write of a thread, in all namespaces.</summary>
    ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default);

    /// <summary>Prunes the given threads with <paramref name="strategy"/>; unknown threads are ignored.</summary>
    ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default);

    /// <summary>
    /// Copies a thread's whole history (checkpoints, values, writes, parent links) to another thread id.
    /// </summary>
    /// <exception cref="ThreadNotFoundException">The source thread has no checkpoints.</exception>
    /// <exception cref="CheckpointConflictException">The target thread already has checkpoints.</exception>
    ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default);

    /// <summary>Every thread that has checkpoints, ordered by thread id.</summary>
    IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default);
}
