using System.Runtime.CompilerServices;

namespace GraphGen.Checkpointing;

/// <summary>
/// An <see cref="ICheckpointSaver"/> that keeps everything in process memory, laid out like LangGraph's
/// <c>InMemorySaver</c>: per thread and namespace, checkpoints (without their values) sorted by id; channel
/// values stored once per (channel, version); pending writes per checkpoint, ordered by task id and index.
/// Meant for tests, samples and benchmarks: everything is lost when the process ends.
/// </summary>
/// <remarks>
/// Every member is safe to call concurrently. One lock guards all maps; it is never held across an await
/// nor while a caller enumerates, because listings work on a snapshot taken when enumeration starts.
/// Stored byte arrays are the buffers handed over (see <see cref="ICheckpointSaver"/>) and are never mutated
/// afterwards, so copies of a thread share them. A value put with an append hint (<see cref="Checkpoint.Appends"/>)
/// whose base version is stored here is kept as an extension of that value (<see cref="ChannelBytes"/>): it holds only
/// the bytes after the shared prefix, plus about 80 bytes of bookkeeping, and is joined when read, so a long thread
/// costs what was appended, not its length times its turns. Prune joins the values it keeps. A namespace's latest
/// checkpoint is kept as put; older ones are kept compact (their version maps as arrays) and read back through small
/// read-only maps, so that a long-lived saver holds fewer objects for the garbage collector to trace.
/// </remarks>
public sealed class InMemorySaver : ICheckpointSaver
{
    private static readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> NoValues = new Dictionary<string, ReadOnlyMemory<byte>>();

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, ThreadData> _threads = new(StringComparer.Ordinal);

    /// <summary>
    /// The logical size of the stored data: channel value bytes (an extension counts its new bytes), metadata JSON
    /// bytes and pending write value bytes. A copied thread counts again even though it shares the arrays of its source.
    /// </summary>
    public long SerializedBytes
    {
        get
        {
            lock (_gate)
            {
                return _threads.Values.Sum(thread => thread.Values.Sum(ns => ns.Bytes));
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<CheckpointTuple?>(ct);
        }
        lock (_gate)
        {
            var ns = Find(config.ThreadId, config.CheckpointNs);
            var id = config.CheckpointId ?? ns?.Latest?.Id;
            return ValueTask.FromResult(
                ns is not null && id is not null && ns.Checkpoints.TryGetValue(id, out var stored) ? ns.ToTuple(stored) : null);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// With a <paramref name="config"/>, only its thread and namespace (<c>""</c> being the root) are listed.
    /// Without one, every thread and namespace is listed newest first by checkpoint id, as LangGraph's SQL savers
    /// order it, so <paramref name="before"/> and <paramref name="limit"/> page through all of them; equal ids (a
    /// copied thread keeps its source's) come in ordinal thread id, then namespace order. <paramref name="before"/>
    /// compares checkpoint ids only, which are time-ordered across threads. The snapshot is taken when enumeration starts.
    /// </remarks>
    public async IAsyncEnumerable<CheckpointTuple> ListAsync(
        CheckpointConfig? config,
        IReadOnlyDictionary<string, object?>? filter = null,
        CheckpointConfig? before = null,
        int? limit = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        SaverArguments.ValidateList(limit);
        ct.ThrowIfCancellationRequested();
        List<CheckpointTuple> snapshot;
        lock (_gate)
        {
            snapshot = Select(config, filter, before?.CheckpointId, limit ?? int.MaxValue);
        }
        foreach (var tuple in snapshot)
        {
            ct.ThrowIfCancellationRequested();
            yield return tuple;
        }
    }

    /// <inheritdoc/>
    public ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config,
        Checkpoint checkpoint,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, string> newVersions,
        CancellationToken ct = default)
    {
        SaverArguments.ValidatePut(config, checkpoint, metadata, newVersions);
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<CheckpointConfig>(ct);
        }

        // Serialize before taking the lock, to keep it short. The metadata goes through its JSON
        // form like in the persistent savers: that snapshots the caller's dictionaries, rejects values no
        // saver can store, and reads back the same normalized values (int as long, ...) everywhere.
        var metadataJson = metadata.ToJson();
        var readBack = CheckpointMetadata.FromJson(metadataJson);
        if (readBack.RunId is { } runId && runId == metadata.RunId)
        {
            // The caller's run id string is shared by all the checkpoints of a run; the one read back would be one more.
            readBack = readBack with { RunId = metadata.RunId };
        }
        var stored = new StoredCheckpoint(
            // Values live in the blobs and read back without append hints.
            checkpoint with { ChannelValues = NoValues, Appends = Checkpoint.NoAppends },
            readBack,
            config.CheckpointId,
            metadataJson.Length);
        // A value with an append hint keeps only its bytes after the shared prefix, as an extension of the value stored
        // under the hint's base version (copied here: a slice of a larger buffer would keep all of it alive).
        var blobs = new List<(string Channel, string Version, ChannelBytes Value, ChannelAppend? Append, byte[]? Suffix)>(newVersions.Count);
        foreach (var (channel, version) in newVersions)
        {
            // A new version without a value means the channel became empty: reading skips missing blobs.
            if (checkpoint.GetChannelBytes(channel) is not { } value)
            {
                continue;
            }
            var append = checkpoint.Appends.TryGetValue(channel, out var a) ? a : (ChannelAppend?)null;
            blobs.Add(DeltaStorage.CanStoreAsDelta(append, version, value.Length)
                ? (channel, version, value, append, SaverArguments.HandedOver(value.After(append!.Value.SharedPrefix)))
                : (channel, version, SaverArguments.HandedOver(value), null, null));
        }

        lock (_gate)
        {
            var ns = Find(config.ThreadId, config.CheckpointNs);
            var head = ns?.Latest?.Id;
            if (metadata.Source != CheckpointSource.Fork && config.CheckpointId != head)
            {
                return ValueTask.FromException<CheckpointConfig>(
                    new CheckpointConflictException(config.ThreadId, config.CheckpointNs, config.CheckpointId, head));
            }
            ns ??= GetOrAdd(config.ThreadId, config.CheckpointNs);
            foreach (var (channel, version, value, append, suffix) in blobs)
            {
                // Without its base here (pruned, never written) the value is joined and kept whole: rare, so under the lock.
                ns.SetBlob((channel, version), append is { } a && ns.Blobs.TryGetValue((channel, a.BaseVersion), out var extended) && a.SharedPrefix <= extended.Length
                    ? extended.Extend(a.SharedPrefix, suffix)
                    : SaverArguments.HandedOver(value));
            }
            ns.SetCheckpoint(stored);
        }
        return ValueTask.FromResult(config.WithCheckpoint(checkpoint.Id));
    }

    /// <inheritdoc/>
    public ValueTask PutWritesAsync(
        CheckpointConfig config,
        IReadOnlyList<ChannelWrite> writes,
        string taskId,
        string taskPath = "",
        CancellationToken ct = default)
    {
        var checkpointId = SaverArguments.ValidatePutWrites(config, writes, taskId, taskPath);
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }
        if (writes.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        // As in LangGraph: a batch of special writes only (error, interrupt, ...) replaces the previous one;
        // any other batch is insert-or-ignore, so re-running a task keeps the writes it saved first.
        var replace = writes.All(write => WriteChannels.IsSpecial(write.Channel));
        var entries = new StoredWrite[writes.Count];
        for (var position = 0; position < writes.Count; position++)
        {
            var (channel, value) = writes[position];
            entries[position] = new StoredWrite(taskId, WriteChannels.IndexOf(channel, position), channel, SaverArguments.HandedOver(value), taskPath);
        }

        lock (_gate)
        {
            var ns = GetOrAdd(config.ThreadId, config.CheckpointNs);
            foreach (var write in entries)
            {
                ns.SetWrite(checkpointId, write, replace);
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadId);
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }
        lock (_gate)
        {
            _threads.Remove(threadId);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="PruneStrategy.KeepLatest"/> keeps, per namespace, the latest checkpoint, its pending writes and
    /// the channel values its versions reference. Its parent link is kept as stored, so its
    /// <see cref="CheckpointTuple.ParentConfig"/> names a checkpoint that no longer resolves.
    /// </remarks>
    public ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadIds);
        if (strategy is not (PruneStrategy.KeepLatest or PruneStrategy.Delete))
        {
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown prune strategy.");
        }
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }
        lock (_gate)
        {
            foreach (var threadId in threadIds)
            {
                if (!_threads.TryGetValue(threadId, out var thread))
                {
                    continue;
                }
                if (strategy == PruneStrategy.KeepLatest)
                {
                    foreach (var name in thread.Keys.ToList())
                    {
                        if (thread[name].KeepLatest() is { } kept)
                        {
                            thread[name] = kept;
                        }
                        else
                        {
                            thread.Remove(name);
                        }
                    }
                }
                if (strategy == PruneStrategy.Delete || thread.Count == 0)
                {
                    _threads.Remove(threadId);
                }
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>Checkpoint ids stay the same, so parent links and metadata parents keep resolving in the copy.</remarks>
    public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default)
    {
        SaverArguments.RequireThreadId(sourceThreadId, nameof(sourceThreadId));
        SaverArguments.RequireThreadId(targetThreadId, nameof(targetThreadId));
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(ct);
        }
        lock (_gate)
        {
            if (!_threads.TryGetValue(sourceThreadId, out var source) || source.CheckpointCount == 0)
            {
                return ValueTask.FromException(new ThreadNotFoundException(sourceThreadId));
            }
            if (_threads.TryGetValue(targetThreadId, out var existing) && existing.CheckpointCount > 0)
            {
                var targetHead = (existing.RootLatest ?? existing.Newest)?.Id;
                return ValueTask.FromException(new CheckpointConflictException(targetThreadId, "", null, targetHead));
            }
            var copy = new ThreadData();
            foreach (var (name, ns) in source)
            {
                copy[name] = ns.CopyTo(targetThreadId);
            }
            _threads[targetThreadId] = copy;
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="ThreadInfo.LatestCheckpointId"/> is the root namespace's latest checkpoint (null when only
    /// subgraph namespaces have checkpoints); <see cref="ThreadInfo.UpdatedAt"/> is its time, or the time of
    /// the newest checkpoint of any namespace when the root has none.
    /// </remarks>
    public async IAsyncEnumerable<ThreadInfo> ListThreadsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var snapshot = new List<ThreadInfo>();
        lock (_gate)
        {
            foreach (var (threadId, thread) in _threads)
            {
                if ((thread.RootLatest ?? thread.Newest) is { } latest)
                {
                    snapshot.Add(new ThreadInfo(threadId, thread.CheckpointCount, thread.RootLatest?.Id, latest.Ts));
                }
            }
        }
        foreach (var info in snapshot)
        {
            ct.ThrowIfCancellationRequested();
            yield return info;
        }
    }

    // Called under the lock; builds the tuples there because pruning may drop the blobs they read.
    private List<CheckpointTuple> Select(CheckpointConfig? config, IReadOnlyDictionary<string, object?>? filter, string? beforeId, int limit)
    {
        var matches = new List<(ThreadNamespace Ns, StoredCheckpoint Stored)>();
        IEnumerable<ThreadNamespace> namespaces = config is null
            ? _threads.Values.SelectMany(thread => thread.Values)
            : Find(config.ThreadId, config.CheckpointNs) is { } only ? [only] : [];
        foreach (var ns in namespaces)
        {
            // Ids are time-ordered, so walking the sorted list backwards is newest first; no namespace gives more than the limit.
            var taken = 0;
            for (var i = ns.Checkpoints.Count - 1; i >= 0 && taken < limit; i--)
            {
                var stored = ns.Checkpoints.Values[i];
                var id = stored.Id;
                if ((config?.CheckpointId is null || id == config.CheckpointId)
                    && (beforeId is null || string.CompareOrdinal(id, beforeId) < 0)
                    && stored.Metadata.Matches(filter))
                {
                    matches.Add((ns, stored));
                    taken++;
                }
            }
        }
        // Namespaces come in thread, then namespace order; a stable sort merges them newest first across all of them.
        IEnumerable<(ThreadNamespace Ns, StoredCheckpoint Stored)> ordered = config is null
            ? matches.OrderByDescending(match => match.Stored.Id, StringComparer.Ordinal)
            : matches;
        return [.. ordered.Take(limit).Select(match => match.Ns.ToTuple(match.Stored))];
    }

    private ThreadNamespace? Find(string threadId, string checkpointNs) =>
        _threads.TryGetValue(threadId, out var thread) && thread.TryGetValue(checkpointNs, out var ns) ? ns : null;

    private ThreadNamespace GetOrAdd(string threadId, string checkpointNs)
    {
        if (!_threads.TryGetValue(threadId, out var thread))
        {
            _threads[threadId] = thread = new ThreadData();
        }
        if (!thread.TryGetValue(checkpointNs, out var ns))
        {
            thread[checkpointNs] = ns = new ThreadNamespace(threadId, checkpointNs);
        }
        return ns;
    }

    /// <summary>
    /// A checkpoint without its values (they live in the blobs), as LangGraph stores it. The latest of its namespace,
    /// which the next run reads, is kept as put; older ones only as their parts, with their version maps as arrays.
    /// </summary>
    /// <remarks>
    /// The saver holds every checkpoint for its whole life, so each one is traced and copied by the garbage collections
    /// that promote it; as put, its version maps are most of its objects (a dictionary is three). Compacted, W2 of the
    /// benchmarks keeps 29% fewer bytes and its collections pause about a third less (docs/benchmarks.md). A compacted
    /// checkpoint reads back through <see cref="PairMap{TValue}"/>s, which the runtime copies when it loads one (its own
    /// dictionaries it borrows), so only the latest is read without a copy.
    /// </remarks>
    private sealed class StoredCheckpoint(Checkpoint checkpoint, CheckpointMetadata metadata, string? parentId, int metadataBytes)
    {
        private readonly int _v = checkpoint.V;
        private readonly IReadOnlyList<string> _updatedChannels = checkpoint.UpdatedChannels;
        private Checkpoint? _put = checkpoint;
        private KeyValuePair<string, string>[] _versions = [];
        private KeyValuePair<string, IReadOnlyDictionary<string, string>>[] _versionsSeen = [];

        public string Id { get; } = checkpoint.Id;

        public DateTimeOffset Ts { get; } = checkpoint.Ts;

        public CheckpointMetadata Metadata { get; } = metadata;

        public string? ParentId { get; } = parentId;

        public int MetadataBytes { get; } = metadataBytes;

        public IEnumerable<KeyValuePair<string, string>> Versions => _put?.ChannelVersions ?? (IEnumerable<KeyValuePair<string, string>>)_versions;

        public Checkpoint ToCheckpoint(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) => _put is { } put
            ? put with { ChannelValues = values }
            : new Checkpoint
            {
                V = _v,
                Id = Id,
                Ts = Ts,
                ChannelValues = values,
                ChannelVersions = new PairMap<string>(_versions),
                VersionsSeen = new PairMap<IReadOnlyDictionary<string, string>>(_versionsSeen),
                UpdatedChannels = _updatedChannels,
            };

        /// <summary>
        /// Keeps the version maps as arrays and lets go of the checkpoint as put (called under the lock). A node's
        /// versions-seen map is one object in every checkpoint until the node runs again: <paramref name="seenCopies"/>
        /// holds the compact copies made for the checkpoint compacted before, by the map they copy, so that consecutive
        /// checkpoints share them too; it is left holding this checkpoint's.
        /// </summary>
        public void Compact(List<(IReadOnlyDictionary<string, string> Map, PairMap<string> Copy)> seenCopies)
        {
            if (_put is not { } put)
            {
                return;
            }
            _versions = ToArray(put.ChannelVersions);
            _versionsSeen = ToArray(put.VersionsSeen);
            var before = seenCopies.Count;
            for (var i = 0; i < _versionsSeen.Length; i++)
            {
                var (node, map) = _versionsSeen[i];
                var copy = map as PairMap<string> ?? CopyOf(seenCopies, before, map) ?? new PairMap<string>(ToArray(map));
                seenCopies.Add((map, copy));
                _versionsSeen[i] = new(node, copy);
            }
            seenCopies.RemoveRange(0, before);
            _put = null;
        }

        private static PairMap<string>? CopyOf(List<(IReadOnlyDictionary<string, string> Map, PairMap<string> Copy)> copies, int count, IReadOnlyDictionary<string, string> map)
        {
            for (var i = 0; i < count; i++)
            {
                if (ReferenceEquals(copies[i].Map, map))
                {
                    return copies[i].Copy;
                }
            }
            return null;
        }

        private static KeyValuePair<string, T>[] ToArray<T>(IReadOnlyDictionary<string, T> map)
        {
            if (map is not ICollection<KeyValuePair<string, T>> collection)
            {
                return [.. map];
            }
            var pairs = new KeyValuePair<string, T>[collection.Count];
            collection.CopyTo(pairs, 0);
            return pairs;
        }
    }

    /// <summary>A pending write; a struct, held inside its checkpoint's array rather than as one more object.</summary>
    private readonly record struct StoredWrite(string TaskId, int Idx, string Channel, byte[] Value, string TaskPath)
    {
        /// <summary>LangGraph's order of a checkpoint's writes: by task id, then index.</summary>
        public int CompareTo(string taskId, int idx) => string.CompareOrdinal(TaskId, taskId) is var byTask and not 0 ? byTask : Idx.CompareTo(idx);
    }

    /// <summary>A thread's namespaces, in ordinal order.</summary>
    private sealed class ThreadData() : SortedDictionary<string, ThreadNamespace>(StringComparer.Ordinal)
    {
        public int CheckpointCount => Values.Sum(ns => ns.Checkpoints.Count);

        public StoredCheckpoint? RootLatest => TryGetValue("", out var root) ? root.Latest : null;

        public StoredCheckpoint? Newest => Values
            .Select(ns => ns.Latest)
            .OfType<StoredCheckpoint>()
            .MaxBy(stored => stored.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Everything stored for one (thread, namespace): LangGraph's <c>storage[thread][ns]</c> plus the blobs and
    /// writes keyed under it. Tracks its own byte count so that dropping it needs no bookkeeping.
    /// </summary>
    private sealed class ThreadNamespace(string threadId, string name)
    {
        public SortedList<string, StoredCheckpoint> Checkpoints { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string Channel, string Version), ChannelBytes> Blobs { get; } = [];

        /// <summary>
        /// Each checkpoint's writes in <see cref="StoredWrite.CompareTo"/> order: an array, not a tree or a list (a
        /// checkpoint has few, and they are kept for the saver's life).
        /// </summary>
        public Dictionary<string, StoredWrite[]> Writes { get; } = new(StringComparer.Ordinal);

        public long Bytes { get; private set; }

        private readonly List<(IReadOnlyDictionary<string, string> Map, PairMap<string> Copy)> _seenCopies = [];

        public StoredCheckpoint? Latest => Checkpoints.Count == 0 ? null : Checkpoints.Values[^1];

        public void SetCheckpoint(StoredCheckpoint stored)
        {
            if (Checkpoints.Remove(stored.Id, out var old))
            {
                Bytes -= old.MetadataBytes;
            }
            Checkpoints.Add(stored.Id, stored);
            Bytes += stored.MetadataBytes;
            // Only the latest is read by every run; the others are kept compact.
            if (!ReferenceEquals(Latest, stored))
            {
                stored.Compact(_seenCopies);
            }
            else if (Checkpoints.Count > 1)
            {
                Checkpoints.Values[^2].Compact(_seenCopies);
            }
        }

        public void SetBlob((string Channel, string Version) key, ChannelBytes value)
        {
            if (Blobs.Remove(key, out var old))
            {
                Bytes -= HeldBytes(old);
            }
            Blobs.Add(key, value);
            Bytes += HeldBytes(value);
        }

        private static int HeldBytes(ChannelBytes value) => value.Suffix.Length;

        public void SetWrite(string checkpointId, StoredWrite write, bool replace)
        {
            var writes = Writes.GetValueOrDefault(checkpointId, []);
            // Writes mostly come in order, so the place is found from the end.
            var at = writes.Length;
            while (at > 0 && writes[at - 1].CompareTo(write.TaskId, write.Idx) > 0)
            {
                at--;
            }
            if (at > 0 && writes[at - 1].CompareTo(write.TaskId, write.Idx) == 0)
            {
                if (!replace)
                {
                    return;
                }
                Bytes -= writes[at - 1].Value.Length;
                writes[at - 1] = write;
            }
            else
            {
                Writes[checkpointId] = [.. writes.AsSpan(0, at), write, .. writes.AsSpan(at)];
            }
            Bytes += write.Value.Length;
        }

        public CheckpointTuple ToTuple(StoredCheckpoint stored)
        {
            var id = stored.Id;
            var values = new Dictionary<string, ChannelBytes>(StringComparer.Ordinal);
            foreach (var (channel, version) in stored.Versions)
            {
                if (Blobs.TryGetValue((channel, version), out var blob))
                {
                    values[channel] = blob;
                }
            }
            var pending = Writes.TryGetValue(id, out var writes) ? new PendingWrite[writes.Length] : [];
            for (var i = 0; i < pending.Length; i++)
            {
                pending[i] = new PendingWrite(writes![i].TaskId, writes[i].Channel, writes[i].Value);
            }
            return new CheckpointTuple(
                new CheckpointConfig(threadId, name, id),
                stored.ToCheckpoint(new ChannelValueMap(values)),
                stored.Metadata,
                stored.ParentId is null ? null : new CheckpointConfig(threadId, name, stored.ParentId),
                pending);
        }

        /// <summary>The latest checkpoint with its writes and only the blobs it references; null when there is none.</summary>
        public ThreadNamespace? KeepLatest()
        {
            if (Latest is not { } latest)
            {
                return null;
            }
            var kept = new ThreadNamespace(threadId, name);
            kept.SetCheckpoint(latest);
            foreach (var (channel, version) in latest.Versions)
            {
                if (Blobs.TryGetValue((channel, version), out var blob))
                {
                    // The versions an extension builds on are dropped: keep it whole, so that they are freed.
                    kept.SetBlob((channel, version), blob.Base is null ? blob : ChannelBytes.Whole(blob.ToMemory()));
                }
            }
            kept.CopyWrites(this, latest.Id);
            return kept;
        }

        public ThreadNamespace CopyTo(string targetThreadId)
        {
            var copy = new ThreadNamespace(targetThreadId, name);
            foreach (var stored in Checkpoints.Values)
            {
                copy.SetCheckpoint(stored);
            }
            foreach (var (key, blob) in Blobs)
            {
                copy.SetBlob(key, blob);
            }
            foreach (var checkpointId in Writes.Keys)
            {
                copy.CopyWrites(this, checkpointId);
            }
            return copy;
        }

        private void CopyWrites(ThreadNamespace source, string checkpointId)
        {
            if (source.Writes.TryGetValue(checkpointId, out var writes))
            {
                foreach (var write in writes)
                {
                    SetWrite(checkpointId, write, replace: true);
                }
            }
        }
    }
}
