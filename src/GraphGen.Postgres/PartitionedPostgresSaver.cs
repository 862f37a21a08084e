using System.Runtime.CompilerServices;
using System.Text;
using GraphGen.Checkpointing;

namespace GraphGen.Postgres;

/// <summary>
/// Scale-out beyond one database: threads are spread over several <see cref="PostgresSaver"/>s (partitions, usually in
/// different databases) by a stable hash of the thread id, and each thread lives wholly in one of them. Everything about
/// one thread goes to its partition; listings without a thread merge all partitions.
/// </summary>
/// <remarks>
/// The partition of a thread is jump consistent hashing of the FNV-1a hash of its UTF-8 bytes: the same in every process
/// and every .NET version, and growing from n to n + 1 partitions moves only about 1/(n + 1) of the threads. After adding a
/// partition, <see cref="RebalanceAsync"/> moves those threads to it.
/// </remarks>
public sealed class PartitionedPostgresSaver : ICheckpointSaver, IAsyncDisposable
{
    private readonly PostgresSaver[] _partitions;
    private readonly bool _ownsPartitions;

    /// <summary>Partitions threads over <paramref name="partitions"/>, in this order (the order decides where threads live: keep it stable).</summary>
    /// <param name="partitions">The savers, one per database (or schema).</param>
    /// <param name="ownsPartitions">Whether disposing this saver disposes the partitions.</param>
    public PartitionedPostgresSaver(IEnumerable<PostgresSaver> partitions, bool ownsPartitions = true)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        _partitions = [.. partitions];
        if (_partitions.Length == 0)
        {
            throw new ArgumentException("A partitioned saver needs at least one partition.", nameof(partitions));
        }
        _ownsPartitions = ownsPartitions;
    }

    /// <summary>The partitions, in routing order.</summary>
    public IReadOnlyList<PostgresSaver> Partitions => _partitions;

    /// <summary>The index of the partition that holds <paramref name="threadId"/> among <paramref name="partitionCount"/> partitions.</summary>
    public static int PartitionIndex(string threadId, int partitionCount)
    {
        ArgumentNullException.ThrowIfNull(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        // FNV-1a, 64 bits, over the UTF-8 bytes: stable across processes, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(threadId))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        // Jump consistent hash (Lamping and Veach, 2014).
        long bucket = -1, next = 0;
        while (next < partitionCount)
        {
            bucket = next;
            hash = hash * 2862933555777941757UL + 1;
            next = (long)((bucket + 1) * ((double)(1L << 31) / ((hash >> 33) + 1)));
        }
        return (int)bucket;
    }

    /// <summary>The partition that holds <paramref name="threadId"/>.</summary>
    public PostgresSaver PartitionOf(string threadId) => _partitions[PartitionIndex(threadId, _partitions.Length)];

    /// <inheritdoc/>
    public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        return PartitionOf(config.ThreadId).GetTupleAsync(config, ct);
    }

    /// <inheritdoc/>
    /// <remarks>Without a <paramref name="config"/>, the partitions' listings are merged newest first.</remarks>
    public IAsyncEnumerable<CheckpointTuple> ListAsync(
        CheckpointConfig? config,
        IReadOnlyDictionary<string, object?>? filter = null,
        CheckpointConfig? before = null,
        int? limit = null,
        CancellationToken ct = default)
    {
        if (config is not null)
        {
            return PartitionOf(config.ThreadId).ListAsync(config, filter, before, limit, ct);
        }
        SaverArguments.ValidateList(limit);
        var merged = Merge(_partitions.Select(p => p.ListAsync(null, filter, before, limit, ct)), NewestFirst, ct);
        return limit is { } max ? merged.Take(max) : merged;
    }

    /// <inheritdoc/>
    public ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config, Checkpoint checkpoint, CheckpointMetadata metadata, IReadOnlyDictionary<string, string> newVersions, CancellationToken ct = default)
    {
        SaverArguments.ValidatePut(config, checkpoint, metadata, newVersions);
        return PartitionOf(config.ThreadId).PutAsync(config, checkpoint, metadata, newVersions, ct);
    }

    /// <inheritdoc/>
    public ValueTask PutWritesAsync(CheckpointConfig config, IReadOnlyList<ChannelWrite> writes, string taskId, string taskPath = "", CancellationToken ct = default)
    {
        SaverArguments.ValidatePutWrites(config, writes, taskId, taskPath);
        return PartitionOf(config.ThreadId).PutWritesAsync(config, writes, taskId, taskPath, ct);
    }

    /// <inheritdoc/>
    /// <remarks>A batch for one thread (what a graph run sends) is one round trip to its partition.</remarks>
    public async ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default)
    {
        SaverPut.RequireBatch(puts);
        if (puts.Count > 0 && puts.All(put => put.Config?.ThreadId == puts[0].Config?.ThreadId) && puts[0].Config?.ThreadId is { } threadId)
        {
            await PartitionOf(threadId).PutBatchAsync(puts, ct).ConfigureAwait(false);
            return;
        }
        foreach (var put in puts)
        {
            await put.ApplyAsync(this, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadId);
        return PartitionOf(threadId).DeleteThreadAsync(threadId, ct);
    }

    /// <inheritdoc/>
    public async ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadIds);
        if (strategy is not (PruneStrategy.KeepLatest or PruneStrategy.Delete))
        {
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown prune strategy.");
        }
        foreach (var group in threadIds.GroupBy(PartitionOf))
        {
            await group.Key.PruneAsync([.. group], strategy, ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>When the two threads live in different partitions, the history is copied between the databases as stored.</remarks>
    public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default)
    {
        SaverArguments.RequireThreadId(sourceThreadId, nameof(sourceThreadId));
        SaverArguments.RequireThreadId(targetThreadId, nameof(targetThreadId));
        return PartitionOf(sourceThreadId).CopyThreadAsync(sourceThreadId, PartitionOf(targetThreadId), targetThreadId, ct);
    }

    /// <inheritdoc/>
    /// <remarks>The partitions' listings merged in thread id order (bytewise UTF-8, as each partition orders them).</remarks>
    public IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default) =>
        Merge(_partitions.Select(p => p.ListThreadsAsync(ct)), (a, b) => Utf8Order(a.ThreadId, b.ThreadId), ct);

    /// <summary>Retention on every partition: see <see cref="PostgresSaver.KeepLastAsync(int, CancellationToken)"/>.</summary>
    public async ValueTask<int> KeepLastAsync(int count, CancellationToken ct = default)
    {
        var deleted = 0;
        foreach (var partition in _partitions)
        {
            deleted += await partition.KeepLastAsync(count, ct).ConfigureAwait(false);
        }
        return deleted;
    }

    /// <summary>Retention on every partition: see <see cref="PostgresSaver.DeleteIdleThreadsAsync"/>.</summary>
    public async ValueTask<IReadOnlyList<string>> DeleteIdleThreadsAsync(TimeSpan idleFor, CancellationToken ct = default)
    {
        var deleted = new List<string>();
        foreach (var partition in _partitions)
        {
            deleted.AddRange(await partition.DeleteIdleThreadsAsync(idleFor, ct).ConfigureAwait(false));
        }
        return deleted;
    }

    /// <summary>
    /// Moves every thread that is not in its partition (after partitions were added) to the one it belongs to, and
    /// returns how many moved. Run it while workers use the new partition list: a put racing a move fails with
    /// <see cref="CheckpointConflictException"/> and succeeds when retried, since the thread is then where it belongs.
    /// </summary>
    public async ValueTask<int> RebalanceAsync(CancellationToken ct = default)
    {
        var moved = 0;
        foreach (var partition in _partitions)
        {
            var misplaced = await partition.ListThreadsAsync(ct).Where(t => PartitionOf(t.ThreadId) != partition).ToListAsync(ct).ConfigureAwait(false);
            foreach (var thread in misplaced)
            {
                await partition.MoveThreadAsync(thread.ThreadId, PartitionOf(thread.ThreadId), ct).ConfigureAwait(false);
                moved++;
            }
        }
        return moved;
    }

    /// <summary>Disposes the partitions, if this saver owns them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsPartitions)
        {
            foreach (var partition in _partitions)
            {
                await partition.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static int NewestFirst(CheckpointTuple a, CheckpointTuple b)
    {
        var order = Utf8Order(b.Config.CheckpointId!, a.Config.CheckpointId!);
        if (order == 0)
        {
            order = Utf8Order(a.Config.ThreadId, b.Config.ThreadId);
        }
        return order != 0 ? order : Utf8Order(a.Config.CheckpointNs, b.Config.CheckpointNs);
    }

    /// <summary>Bytewise UTF-8 order (PostgreSQL's <c>COLLATE "C"</c>): ordinal, except that surrogates sort after U+E000–U+FFFF.</summary>
    private static int Utf8Order(string a, string b)
    {
        var common = a.AsSpan().CommonPrefixLength(b);
        if (common == a.Length || common == b.Length)
        {
            return a.Length.CompareTo(b.Length);
        }
        return Rank(a[common]).CompareTo(Rank(b[common]));

        static int Rank(char c) => c < 0xD800 ? c : c < 0xE000 ? c + 0x2000 : c - 0x800;
    }

    /// <summary>Merges sorted sequences into one sorted sequence, reading each as far as needed.</summary>
    private static async IAsyncEnumerable<T> Merge<T>(IEnumerable<IAsyncEnumerable<T>> sources, Comparison<T> order, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var readers = sources.Select(source => source.GetAsyncEnumerator(ct)).ToList();
        try
        {
            var live = new List<IAsyncEnumerator<T>>(readers.Count);
            foreach (var reader in readers)
            {
                if (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    live.Add(reader);
                }
            }
            while (live.Count > 0)
            {
                var first = 0;
                for (var i = 1; i < live.Count; i++)
                {
                    if (order(live[i].Current, live[first].Current) < 0)
                    {
                        first = i;
                    }
                }
                yield return live[first].Current;
                if (!await live[first].MoveNextAsync().ConfigureAwait(false))
                {
                    live.RemoveAt(first);
                }
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
