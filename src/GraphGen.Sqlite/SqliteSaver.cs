using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using GraphGen.Checkpointing;
using Microsoft.Data.Sqlite;

namespace GraphGen.Sqlite;

/// <summary>
/// An <see cref="ICheckpointSaver"/> on one SQLite file: the embedded default. WAL journaling, one transaction per
/// checkpoint, prepared statements reused per connection, channel values stored once per version, and lists that
/// grew stored as deltas (<see cref="DeltaStorage"/>), so a long conversation costs what it appended.
/// </summary>
/// <remarks>
/// Safe for many concurrent runs in one process (writes take turns in process; reads run in parallel on their own
/// connections) and for several processes on one file (SQLite's locks, waiting up to
/// <see cref="SqliteSaverOptions.BusyTimeout"/>). The tables are readable with <c>sqlite3</c>: checkpoints and
/// metadata are JSON text, whole channel values UTF-8 JSON blobs.
/// </remarks>
public sealed class SqliteSaver : ICheckpointSaver, IDisposable
{
    private const int MaxIdleSessions = 8;

    private readonly string _connectionString;
    private readonly SqliteSaverOptions _options;
    // Null entries are versions known to have no value (an emptied channel), so reading them costs no query either.
    private readonly ChannelValueCache<ChannelBytes?> _cache;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    // SQLite has one writer per database; taking turns here avoids its sleep-and-retry busy handler in process.
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ConcurrentQueue<WaitingBatch> _waiting = new();
    private bool _disposed;

    private SqliteSaver(string connectionString, string dataSource, SqliteSaverOptions options)
    {
        _connectionString = connectionString;
        DataSource = dataSource;
        _options = options;
        _cache = new ChannelValueCache<ChannelBytes?>(options.ValueCacheBytes, value => value?.Length ?? ChannelValueCache.AbsentEntryBytes);
    }

    /// <summary>The database file.</summary>
    public string DataSource { get; }

    /// <summary>
    /// Opens (creating if needed) the database at <paramref name="pathOrConnectionString"/> — a file path such as
    /// <c>checkpoints.db</c>, or a Microsoft.Data.Sqlite connection string — and brings its schema up to date.
    /// </summary>
    /// <exception cref="SchemaVersionException">The file was written by a newer GraphGen.</exception>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    public static SqliteSaver Open(string pathOrConnectionString, SqliteSaverOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);
        options ??= new SqliteSaverOptions();
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = pathOrConnectionString.Contains('=', StringComparison.Ordinal)
                ? new SqliteConnectionStringBuilder(pathOrConnectionString)
                : new SqliteConnectionStringBuilder { DataSource = pathOrConnectionString };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"'{pathOrConnectionString}' is neither a file path nor a valid SQLite connection string: {e.Message}", nameof(pathOrConnectionString), e);
        }
        // The saver keeps its own connections open; a pool would only hold the file open after Dispose.
        builder.Pooling = false;
        builder.DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds);
        var saver = new SqliteSaver(builder.ToString(), builder.DataSource, options);
        var session = saver.Rent();
        try
        {
            SqliteSchema.Migrate(session.Connection, builder.DataSource);
        }
        catch
        {
            session.Dispose();
            throw;
        }
        saver.Return(session);
        return saver;
    }

    /// <inheritdoc/>
    public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ct.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(session =>
        {
            // Open until the tuple is built: its values and writes are read in the snapshot of this row.
            using var reader = config.CheckpointId is { } id
                ? session.Query(Sql.SelectById, ("$t", config.ThreadId), ("$ns", config.CheckpointNs), ("$id", id))
                : session.Query(Sql.SelectLatest, ("$t", config.ThreadId), ("$ns", config.CheckpointNs));
            return reader.Read() ? ReadTuple(session, config.ThreadId, config.CheckpointNs, reader) : null;
        }));
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Without a <paramref name="config"/>, every thread's checkpoints come newest first across threads (ids are
    /// time-ordered). Rows stream: the read transaction stays open until enumeration ends.
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
        if (limit == 0)
        {
            yield break;
        }
        await Task.CompletedTask.ConfigureAwait(false);
        var sql = Sql.List(config is not null, config?.CheckpointId is not null, before?.CheckpointId is not null);
        var session = Rent();
        var returned = 0;
        try
        {
            session.Begin(write: false);
            var parameters = new List<(string, object?)>(4);
            if (config is not null)
            {
                parameters.Add(("$t", config.ThreadId));
                parameters.Add(("$ns", config.CheckpointNs));
            }
            if (config?.CheckpointId is { } id)
            {
                parameters.Add(("$id", id));
            }
            if (before?.CheckpointId is { } beforeId)
            {
                parameters.Add(("$before", beforeId));
            }
            using var reader = session.Query(sql, CollectionsMarshal.AsSpan(parameters));
            // A checkpoint's row comes once per pending write it has (once with no write when it has none), so its
            // writes are read with it rather than by a query per checkpoint.
            var more = reader.Read();
            while (more)
            {
                ct.ThrowIfCancellationRequested();
                // A thread's listing has its thread and namespace already: no strings to read for them per row.
                var threadId = config?.ThreadId ?? reader.GetString(Sql.ColThread);
                var metadata = ReadMetadata(threadId, reader);
                var matches = metadata.Matches(filter);
                var (checkpointNs, checkpointId, parent, checkpointJson) = matches
                    ? (config?.CheckpointNs ?? reader.GetString(Sql.ColNs), reader.GetString(Sql.ColId), reader.IsDBNull(Sql.ColParent) ? null : reader.GetString(Sql.ColParent), reader.GetFieldValue<byte[]>(Sql.ColCheckpoint))
                    : default;
                var row = reader.GetInt64(Sql.ColRowId);
                List<PendingWrite>? writes = null;
                do
                {
                    if (matches && !reader.IsDBNull(Sql.ColWriteTask))
                    {
                        (writes ??= []).Add(ReadWrite(reader, Sql.ColWriteTask));
                    }
                    more = reader.Read();
                }
                while (more && reader.GetInt64(Sql.ColRowId) == row);
                if (!matches)
                {
                    continue;
                }
                yield return BuildTuple(session, threadId, checkpointNs!, checkpointId!, parent, checkpointJson!, metadata, writes is null ? [] : [.. writes]);
                if (++returned == limit)
                {
                    break;
                }
            }
        }
        finally
        {
            session.Rollback();
            Return(session);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config,
        Checkpoint checkpoint,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, string> newVersions,
        CancellationToken ct = default)
    {
        var put = new CheckpointPut(config, checkpoint, metadata, newVersions);
        put.Validate();
        await PutInOneTransactionAsync([put], ct).ConfigureAwait(false);
        return config.WithCheckpoint(checkpoint.Id);
    }

    /// <inheritdoc/>
    public async ValueTask PutWritesAsync(
        CheckpointConfig config,
        IReadOnlyList<ChannelWrite> writes,
        string taskId,
        string taskPath = "",
        CancellationToken ct = default)
    {
        var put = new WritesPut(config, writes, taskId, taskPath);
        put.Validate();
        if (writes.Count > 0)
        {
            await PutInOneTransactionAsync([put], ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One transaction (one commit, one sync to disk) for the whole batch when every put is accepted. It runs on the
    /// thread pool, so a graph run's next steps overlap the commit (and queue their puts as the next batch).
    /// </remarks>
    public ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default) =>
        new(Task.Run(() => SaverPut.StoreTogetherAsync(this, puts, PutInOneTransactionAsync, ct).AsTask(), ct));

    /// <summary>
    /// Stores <paramref name="puts"/> in one transaction. Batches that wait for the write gate meanwhile (other runs'
    /// steps) are stored with them (group commit: one commit for all), each under its own savepoint, so a refused
    /// batch is rolled back alone and fails alone.
    /// </summary>
    private async ValueTask PutInOneTransactionAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // JSON is written before taking the write gate, to keep it short.
        var batch = new WaitingBatch(puts, [.. puts.Select(put => put is CheckpointPut c
            ? (Encoding.UTF8.GetString(CheckpointJson.Write(c.Checkpoint)), Encoding.UTF8.GetString(c.Metadata.ToJson()))
            : default((string, string)))]);
        _waiting.Enqueue(batch);
        // Not cancellable from here on: a queued batch may already be stored by another writer's transaction.
        await _writeGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!batch.Done.Task.IsCompleted)
            {
                var group = new List<WaitingBatch>();
                while (_waiting.TryDequeue(out var waiting))
                {
                    group.Add(waiting);
                }
                StoreGroup(group);
            }
        }
        finally
        {
            _writeGate.Release();
        }
        await batch.Done.Task.ConfigureAwait(false);
    }

    private void StoreGroup(List<WaitingBatch> group)
    {
        SqliteSession? session = null;
        try
        {
            session = Rent();
            session.Begin(write: true);
            foreach (var batch in group)
            {
                if (group.Count == 1)
                {
                    Stage(session, batch);
                    continue;
                }
                session.Execute("SAVEPOINT batch");
                try
                {
                    Stage(session, batch);
                }
                catch (Exception e)
                {
                    session.Execute("ROLLBACK TO batch");
                    batch.Stored.Clear();
                    batch.Failure = e;
                }
                session.Execute("RELEASE batch");
            }
            session.Commit();
        }
        catch (Exception e)
        {
            // The transaction is rolled back: every batch of the group fails, with its own error if it had one.
            foreach (var batch in group)
            {
                batch.Done.TrySetException(batch.Failure ?? e);
            }
            return;
        }
        finally
        {
            if (session is not null)
            {
                session.Rollback();
                Return(session);
            }
        }
        foreach (var batch in group)
        {
            if (batch.Failure is { } failure)
            {
                batch.Done.TrySetException(failure);
                continue;
            }
            // Only committed values may be served from the cache.
            foreach (var (key, value) in batch.Stored)
            {
                _cache.Add(key, value);
            }
            batch.Done.TrySetResult();
        }
    }

    private void Stage(SqliteSession session, WaitingBatch batch)
    {
        for (var i = 0; i < batch.Puts.Count; i++)
        {
            if (batch.Puts[i] is CheckpointPut checkpoint)
            {
                StoreCheckpoint(session, checkpoint, batch.Json[i].Checkpoint, batch.Json[i].Metadata, batch.Stored);
            }
            else
            {
                StoreWrites(session, (WritesPut)batch.Puts[i]);
            }
        }
    }

    /// <summary>Puts waiting for the write gate, with their JSON, and what becomes of them.</summary>
    private sealed class WaitingBatch(IReadOnlyList<SaverPut> puts, (string Checkpoint, string Metadata)[] json)
    {
        public IReadOnlyList<SaverPut> Puts => puts;

        public (string Checkpoint, string Metadata)[] Json => json;

        /// <summary>The values the batch stored, for the cache once committed.</summary>
        public List<(ChannelValueKey Key, ChannelBytes? Value)> Stored { get; } = [];

        public Exception? Failure { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void StoreCheckpoint(SqliteSession session, CheckpointPut put, string checkpointJson, string metadataJson, List<(ChannelValueKey Key, ChannelBytes? Value)> stored)
    {
        var (config, checkpoint, metadata, newVersions) = put;
        var (threadId, checkpointNs) = (config.ThreadId, config.CheckpointNs);
        var head = session.Scalar<string>(Sql.SelectHead, ("$t", threadId), ("$ns", checkpointNs));
        if (metadata.Source != CheckpointSource.Fork && config.CheckpointId != head)
        {
            throw new CheckpointConflictException(threadId, checkpointNs, config.CheckpointId, head);
        }
        foreach (var (channel, version) in newVersions)
        {
            // A new version without a value means the channel became empty: reading skips missing blobs.
            var value = checkpoint.GetChannelBytes(channel);
            if (value is not null)
            {
                value = StoreValue(session, threadId, checkpointNs, channel, version, value, checkpoint.Appends.TryGetValue(channel, out var a) ? a : null);
            }
            stored.Add((new ChannelValueKey(threadId, checkpointNs, channel, version), value));
        }
        session.Execute(Sql.InsertCheckpoint,
            ("$t", threadId), ("$ns", checkpointNs), ("$id", checkpoint.Id), ("$parent", config.CheckpointId),
            ("$ts", checkpoint.Ts.UtcTicks), ("$checkpoint", checkpointJson), ("$metadata", metadataJson));
    }

    private static void StoreWrites(SqliteSession session, WritesPut put)
    {
        var (config, writes, taskId, taskPath) = put;
        // As in LangGraph: a batch of special writes only (error, interrupt, ...) replaces the previous one;
        // any other batch is insert-or-ignore, so re-running a task keeps the writes it saved first.
        var sql = writes.All(write => WriteChannels.IsSpecial(write.Channel)) ? Sql.ReplaceWrite : Sql.InsertWrite;
        for (var position = 0; position < writes.Count; position++)
        {
            var (channel, value) = writes[position];
            session.Execute(sql,
                ("$t", config.ThreadId), ("$ns", config.CheckpointNs), ("$id", config.CheckpointId), ("$task", taskId),
                ("$idx", WriteChannels.IndexOf(channel, position)), ("$channel", channel), ("$path", taskPath), ("$value", SaverArguments.HandedOver(value)));
        }
    }

    /// <inheritdoc/>
    public async ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadId);
        ct.ThrowIfCancellationRequested();
        await Write(session => DeleteThread(session, threadId), ct).ConfigureAwait(false);
        _cache.RemoveThread(threadId);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="PruneStrategy.KeepLatest"/> keeps, per namespace, the latest checkpoint, its pending writes and the
    /// values it needs (for a delta, the chain it is rebuilt from); every other row of the thread is deleted.
    /// </remarks>
    public async ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadIds);
        if (strategy is not (PruneStrategy.KeepLatest or PruneStrategy.Delete))
        {
            throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown prune strategy.");
        }
        ct.ThrowIfCancellationRequested();
        foreach (var threadId in threadIds)
        {
            await Write(session =>
            {
                if (strategy == PruneStrategy.Delete)
                {
                    DeleteThread(session, threadId);
                }
                else
                {
                    KeepLast(session, threadId, 1);
                }
            }, ct).ConfigureAwait(false);
            _cache.RemoveThread(threadId);
        }
    }

    /// <summary>
    /// Retention: keeps the newest <paramref name="count"/> checkpoints of every thread and namespace, with their
    /// writes and the values they need, and deletes the rest. Returns how many checkpoints were deleted.
    /// </summary>
    public async ValueTask<int> KeepLastAsync(int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var deleted = 0;
        await foreach (var thread in ListThreadsAsync(ct).ConfigureAwait(false))
        {
            if (thread.CheckpointCount > count)
            {
                await Write(session => deleted += KeepLast(session, thread.ThreadId, count), ct).ConfigureAwait(false);
                _cache.RemoveThread(thread.ThreadId);
            }
        }
        return deleted;
    }

    /// <summary>
    /// Retention: deletes every thread whose newest checkpoint is older than <paramref name="idleFor"/> (by
    /// <see cref="SqliteSaverOptions.TimeProvider"/>). Returns the deleted thread ids.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> DeleteIdleThreadsAsync(TimeSpan idleFor, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idleFor, TimeSpan.Zero);
        var cutoff = (_options.TimeProvider.GetUtcNow() - idleFor).UtcTicks;
        var idle = new List<string>();
        await Write(session =>
        {
            using (var reader = session.Query(Sql.SelectIdleThreads, ("$cutoff", cutoff)))
            {
                while (reader.Read())
                {
                    idle.Add(reader.GetString(0));
                }
            }
            foreach (var threadId in idle)
            {
                DeleteThread(session, threadId);
            }
        }, ct).ConfigureAwait(false);
        foreach (var threadId in idle)
        {
            _cache.RemoveThread(threadId);
        }
        return idle;
    }

    /// <inheritdoc/>
    /// <remarks>Checkpoint ids, versions and stored deltas are copied as they are, so the copy reads exactly like the source.</remarks>
    public async ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default)
    {
        SaverArguments.RequireThreadId(sourceThreadId, nameof(sourceThreadId));
        SaverArguments.RequireThreadId(targetThreadId, nameof(targetThreadId));
        ct.ThrowIfCancellationRequested();
        await Write(session =>
        {
            if (session.Scalar<long>(Sql.CountCheckpoints, ("$t", sourceThreadId)) == 0)
            {
                throw new ThreadNotFoundException(sourceThreadId);
            }
            if (session.Scalar<long>(Sql.CountCheckpoints, ("$t", targetThreadId)) > 0)
            {
                throw new CheckpointConflictException(targetThreadId, "", null, session.Scalar<string>(Sql.SelectHead, ("$t", targetThreadId), ("$ns", "")));
            }
            foreach (var copy in Sql.CopyThread)
            {
                session.Execute(copy, ("$source", sourceThreadId), ("$target", targetThreadId));
            }
        }, ct).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="ThreadInfo.UpdatedAt"/> is the time of the root namespace's latest checkpoint, or of the newest
    /// checkpoint of any namespace when the root has none.
    /// </remarks>
    public async IAsyncEnumerable<ThreadInfo> ListThreadsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
        var session = Rent();
        try
        {
            using var reader = session.Query(Sql.ListThreads);
            while (reader.Read())
            {
                ct.ThrowIfCancellationRequested();
                yield return new ThreadInfo(
                    reader.GetString(0),
                    reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    new DateTimeOffset(reader.IsDBNull(3) ? reader.GetInt64(4) : reader.GetInt64(3), TimeSpan.Zero));
            }
        }
        finally
        {
            Return(session);
        }
    }

    /// <summary>
    /// Copies the whole database to <paramref name="path"/> while it stays in use (SQLite's online backup), as one
    /// consistent snapshot. An existing file at <paramref name="path"/> is replaced.
    /// </summary>
    public async ValueTask BackupAsync(string path, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ct.ThrowIfCancellationRequested();
        await Task.Run(() =>
        {
            var session = Rent();
            try
            {
                using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                target.Open();
                session.Connection.BackupDatabase(target);
            }
            finally
            {
                Return(session);
            }
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Closes every connection; the file stays as it is.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
        _writeGate.Dispose();
    }

    /// <summary>
    /// Stores a value whole or as a delta; returns it as the cache should hold it: as given when stored as a delta, else
    /// whole, so that a cached chain is never longer than the stored one (plus the steps of one run).
    /// </summary>
    private ChannelBytes StoreValue(SqliteSession session, string threadId, string checkpointNs, string channel, string version, ChannelBytes value, ChannelAppend? append)
    {
        // A whole value is cached as handed over; a slice of a larger buffer is copied, so it does not keep the rest.
        value = value.Base is null ? SaverArguments.HandedOver(value) : value;
        if (DeltaStorage.CanStoreAsDelta(append, version, value.Length) && append is { } a)
        {
            using var reader = session.Query(Sql.SelectChainInfo, ("$t", threadId), ("$ns", checkpointNs), ("$channel", channel), ("$version", a.BaseVersion));
            if (reader.Read())
            {
                var depth = reader.GetInt32(0);
                var chainBytes = reader.GetInt64(1);
                var suffixLength = value.Length - a.SharedPrefix;
                reader.Close();
                if (!DeltaStorage.StoreWhole(depth, chainBytes, suffixLength, value.Length))
                {
                    session.Execute(Sql.InsertBlob,
                        ("$t", threadId), ("$ns", checkpointNs), ("$channel", channel), ("$version", version),
                        ("$base", a.BaseVersion), ("$shared", a.SharedPrefix), ("$depth", depth + 1), ("$chain", chainBytes + suffixLength),
                        ("$blob", value.After(a.SharedPrefix).ToArray()));
                    return value;
                }
            }
        }
        var whole = SaverArguments.HandedOver(value);
        session.Execute(Sql.InsertBlob,
            ("$t", threadId), ("$ns", checkpointNs), ("$channel", channel), ("$version", version),
            ("$base", null), ("$shared", 0), ("$depth", 0), ("$chain", 0), ("$blob", SaverArguments.HandedOver(whole.Suffix)));
        return whole;
    }

    private CheckpointTuple ReadTuple(SqliteSession session, string threadId, string checkpointNs, SqliteDataReader row)
    {
        var id = row.GetString(Sql.ColId);
        return BuildTuple(session, threadId, checkpointNs, id,
            row.IsDBNull(Sql.ColParent) ? null : row.GetString(Sql.ColParent),
            row.GetFieldValue<byte[]>(Sql.ColCheckpoint),
            ReadMetadata(threadId, row),
            row.GetBoolean(Sql.ColHasWrites) ? ReadWrites(session, threadId, checkpointNs, id) : []);
    }

    private CheckpointTuple BuildTuple(
        SqliteSession session, string threadId, string checkpointNs, string id, string? parent, byte[] checkpointJson, CheckpointMetadata metadata, PendingWrite[] writes)
    {
        Checkpoint checkpoint;
        try
        {
            var shape = CheckpointJson.Read(checkpointJson, Empty);
            var values = new Dictionary<string, ChannelBytes>(shape.ChannelVersions.Count, StringComparer.Ordinal);
            foreach (var (channel, version) in shape.ChannelVersions)
            {
                if (ReadValue(session, threadId, checkpointNs, id, channel, version) is { } value)
                {
                    values[channel] = value;
                }
            }
            checkpoint = shape with { ChannelValues = new ChannelValueMap(values) };
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new CorruptCheckpointException(threadId, id, $"its stored checkpoint is malformed: {e.Message}", e);
        }
        var parentConfig = parent is null ? null : new CheckpointConfig(threadId, checkpointNs, parent);
        return new CheckpointTuple(new CheckpointConfig(threadId, checkpointNs, id), checkpoint, metadata, parentConfig, writes);
    }

    private static CheckpointMetadata ReadMetadata(string threadId, SqliteDataReader row)
    {
        try
        {
            return CheckpointMetadata.FromJson(row.GetFieldValue<byte[]>(Sql.ColMetadata));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new CorruptCheckpointException(threadId, row.GetString(Sql.ColId), $"its stored metadata is malformed: {e.Message}", e);
        }
    }

    /// <summary>A stored value, rebuilt from its delta chain when needed; null when the version has no value (an emptied channel).</summary>
    private ChannelBytes? ReadValue(SqliteSession session, string threadId, string checkpointNs, string checkpointId, string channel, string version)
    {
        var key = new ChannelValueKey(threadId, checkpointNs, channel, version);
        if (_cache.TryGet(key, out var cached))
        {
            return cached;
        }
        var chain = new List<(string? Base, int Shared, byte[] Blob)>();
        using (var reader = session.Query(Sql.SelectChain, ("$t", threadId), ("$ns", checkpointNs), ("$channel", channel), ("$version", version)))
        {
            while (reader.Read())
            {
                chain.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)));
            }
        }
        var value = DeltaStorage.RebuildChain(chain, threadId, checkpointId, channel, version) is { } bytes ? ChannelBytes.Whole(bytes) : null;
        _cache.Add(key, value);
        return value;
    }

    private static PendingWrite[] ReadWrites(SqliteSession session, string threadId, string checkpointNs, string checkpointId)
    {
        using var reader = session.Query(Sql.SelectWrites, ("$t", threadId), ("$ns", checkpointNs), ("$id", checkpointId));
        List<PendingWrite>? writes = null;
        while (reader.Read())
        {
            (writes ??= []).Add(ReadWrite(reader, 0));
        }
        return writes is null ? [] : [.. writes];
    }

    /// <summary>The pending write in columns task id, channel, value from <paramref name="first"/> on.</summary>
    private static PendingWrite ReadWrite(SqliteDataReader row, int first) =>
        new(row.GetString(first), row.GetString(first + 1), row.GetFieldValue<byte[]>(first + 2));

    private static void DeleteThread(SqliteSession session, string threadId)
    {
        foreach (var delete in Sql.DeleteThread)
        {
            session.Execute(delete, ("$t", threadId));
        }
    }

    /// <summary>Keeps the newest <paramref name="count"/> checkpoints per namespace of a thread; returns how many were deleted.</summary>
    private static int KeepLast(SqliteSession session, string threadId, int count)
    {
        var deleted = session.Execute(Sql.DeleteOlderCheckpoints, ("$t", threadId), ("$keep", count));
        if (deleted > 0)
        {
            session.Execute(Sql.DeleteOrphanWrites, ("$t", threadId));
            session.Execute(Sql.DeleteOrphanBlobs, ("$t", threadId));
        }
        return deleted;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a session without an explicit transaction. A query that starts it must keep its
    /// reader open while the others run: SQLite holds the read transaction (one snapshot) an open statement started
    /// until the last statement of the connection finishes, so BEGIN and ROLLBACK would be two statements for nothing.
    /// </summary>
    private T Read<T>(Func<SqliteSession, T> read)
    {
        var session = Rent();
        try
        {
            return read(session);
        }
        finally
        {
            Return(session);
        }
    }

    private async ValueTask Write(Action<SqliteSession> write, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        var session = Rent();
        try
        {
            session.Begin(write: true);
            write(session);
            session.Commit();
        }
        finally
        {
            session.Rollback();
            Return(session);
            _writeGate.Release();
        }
    }

    private SqliteSession Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var session))
        {
            return session;
        }
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        session = new SqliteSession(connection);
        session.Execute("PRAGMA journal_mode=WAL");
        session.Execute(_options.Synchronous == SqliteSynchronous.Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
        session.Execute($"PRAGMA busy_timeout={(long)_options.BusyTimeout.TotalMilliseconds}");
        return session;
    }

    private void Return(SqliteSession session)
    {
        if (_disposed || _idle.Count >= MaxIdleSessions)
        {
            session.Dispose();
            return;
        }
        _idle.Add(session);
    }

    private static readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Empty = new Dictionary<string, ReadOnlyMemory<byte>>();
}
