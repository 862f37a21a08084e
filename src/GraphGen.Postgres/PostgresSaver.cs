using System.Data;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using GraphGen.Checkpointing;
using Npgsql;
using NpgsqlTypes;

namespace GraphGen.Postgres;

/// <summary>
/// An <see cref="ICheckpointSaver"/> on PostgreSQL, for many stateless workers sharing one database: pooled connections
/// from an <see cref="NpgsqlDataSource"/>, LangGraph's table layout in a schema of your choice, one round trip per
/// checkpoint, channel values stored once per version and lists that grew stored as deltas (<see cref="DeltaStorage"/>).
/// </summary>
/// <remarks>
/// Every change to a thread takes the thread's advisory lock inside its transaction, so a put whose parent is no longer
/// the head fails with <see cref="CheckpointConflictException"/> whichever process wrote in between. Values stay
/// byte-exact (<c>bytea</c>); checkpoints are <c>json</c> and metadata <c>jsonb</c>, readable with <c>psql</c>, and
/// metadata filters are JSONB containment served by a GIN index.
/// </remarks>
public sealed class PostgresSaver : ICheckpointSaver, IAsyncDisposable
{
    private const int ListPageSize = 100;

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgresSql _sql;
    private readonly PostgresSaverOptions _options;
    private readonly ChannelValueCache<StoredValue> _cache;

    private PostgresSaver(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresSaverOptions options)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _options = options;
        _sql = new PostgresSql(options.Schema);
        _cache = new ChannelValueCache<StoredValue>(options.ValueCacheBytes, value => value.Bytes?.Length ?? ChannelValueCache.AbsentEntryBytes);
        var connection = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Database = $"{connection.Host}:{connection.Port}/{connection.Database} (schema {options.Schema})";
    }

    /// <summary>Server, database and schema, for messages.</summary>
    public string Database { get; }

    /// <summary>The schema the tables live in.</summary>
    public string Schema => _sql.Schema;

    /// <summary>
    /// Connects with <paramref name="connectionString"/> (an Npgsql connection string) through a pooled data source the
    /// saver owns, configured from <paramref name="options"/>, and brings the schema up to date.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string or schema name is malformed.</exception>
    /// <exception cref="SchemaVersionException">The schema was written by a newer GraphGen; nothing was changed.</exception>
    public static async Task<PostgresSaver> OpenAsync(string connectionString, PostgresSaverOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        options ??= new PostgresSaverOptions();
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"This is not a valid Npgsql connection string: {e.Message}", nameof(connectionString), e);
        }
        var settings = builder.ConnectionStringBuilder;
        if (options.MaxPoolSize is { } maxPoolSize)
        {
            settings.MaxPoolSize = maxPoolSize;
        }
        if (options.KeepAlive is { } keepAlive)
        {
            settings.KeepAlive = (int)keepAlive.TotalSeconds;
        }
        else if (settings.KeepAlive == 0)
        {
            settings.KeepAlive = 30;
        }
        if (options.ConnectionLifetime is { } lifetime)
        {
            settings.ConnectionLifetime = (int)lifetime.TotalSeconds;
        }
        if (!options.SynchronousCommit)
        {
            settings.Options = $"{settings.Options} -c synchronous_commit=off".Trim();
        }
        // The saver leaves no session state behind, so a connection going back to the pool needs no reset.
        settings.NoResetOnClose = true;
        if (settings.MaxAutoPrepare == 0)
        {
            // The saver runs a handful of statements over and over: prepare them once per connection.
            settings.MaxAutoPrepare = 32;
        }
        return await OpenAsync(builder.Build(), ownsDataSource: true, options, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Uses <paramref name="dataSource"/> (configured and owned by the caller: disposing the saver leaves it open) and
    /// brings the schema up to date.
    /// </summary>
    /// <exception cref="SchemaVersionException">The schema was written by a newer GraphGen; nothing was changed.</exception>
    public static Task<PostgresSaver> OpenAsync(NpgsqlDataSource dataSource, PostgresSaverOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return OpenAsync(dataSource, ownsDataSource: false, options ?? new PostgresSaverOptions(), ct);
    }

    private static async Task<PostgresSaver> OpenAsync(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresSaverOptions options, CancellationToken ct)
    {
        PostgresSaver? saver = null;
        try
        {
            saver = new PostgresSaver(dataSource, ownsDataSource, options);
            await PostgresSchema.MigrateAsync(dataSource, saver._sql, saver.Database, ct).ConfigureAwait(false);
            return saver;
        }
        catch
        {
            if (ownsDataSource)
            {
                await dataSource.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One round trip when the checkpoint's values are cached (a thread's next turn), two otherwise. A value the second
    /// statement does not find (deleted in between, or a version with no value not seen before) has the checkpoint read
    /// again in one transaction, so what is returned always comes from one snapshot.
    /// </remarks>
    public async ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        async ValueTask<StoredRow?> ReadRowAsync()
        {
            await using var command = config.CheckpointId is { } id
                ? Command(connection, _sql.SelectById, Text(config.ThreadId), Text(config.CheckpointNs), Text(id))
                : Command(connection, _sql.SelectLatest, Text(config.ThreadId), Text(config.CheckpointNs));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var rows = new StoredRows();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add(reader);
            }
            return rows.Finish();
        }
        if (await ReadRowAsync().ConfigureAwait(false) is not { } row)
        {
            return null;
        }
        if (await MaterializeAsync(connection, [row], inSnapshot: false, ct).ConfigureAwait(false) is { } tuples)
        {
            return tuples[0];
        }
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        return await ReadRowAsync().ConfigureAwait(false) is { } again
            ? (await MaterializeAsync(connection, [again], inSnapshot: true, ct).ConfigureAwait(false))![0]
            : null;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Without a <paramref name="config"/>, every thread's checkpoints come newest first across threads (ids are
    /// time-ordered). Up to 500 rows (one per pending write) are read by one statement in one round trip, their values
    /// (when not cached) by a second; should a value be missing there (deleted in between), the listing is read again as
    /// a longer one is: through a server-side cursor in pages, all from one snapshot, in a read transaction that stays
    /// open until enumeration ends. The filter is JSONB containment (<c>metadata @&gt; filter</c>).
    /// </remarks>
    public async IAsyncEnumerable<CheckpointTuple> ListAsync(
        CheckpointConfig? config,
        IReadOnlyDictionary<string, object?>? filter = null,
        CheckpointConfig? before = null,
        int? limit = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        SaverArguments.ValidateList(limit);
        var filterJson = filter is { Count: > 0 } ? Encoding.UTF8.GetString(MetadataValues.FilterToJson(filter)) : null;
        ct.ThrowIfCancellationRequested();
        if (limit == 0)
        {
            yield break;
        }
        // New parameter objects for each statement: a parameter belongs to one command.
        NpgsqlParameter[] Parameters()
        {
            var parameters = new List<NpgsqlParameter>(6);
            if (config is not null)
            {
                parameters.Add(Text(config.ThreadId));
                parameters.Add(Text(config.CheckpointNs));
            }
            if (config?.CheckpointId is { } id)
            {
                parameters.Add(Text(id));
            }
            if (before?.CheckpointId is { } beforeId)
            {
                parameters.Add(Text(beforeId));
            }
            if (filterJson is not null)
            {
                parameters.Add(Text(filterJson));
            }
            if (limit is { } max)
            {
                parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
            }
            return [.. parameters];
        }
        var query = _sql.List(config is not null, config?.CheckpointId is not null, before?.CheckpointId is not null, filterJson is not null, limit is not null);

        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        if (await ReadOnePageAsync(connection, query, Parameters(), ct).ConfigureAwait(false) is { } whole
            && await MaterializeAsync(connection, whole, inSnapshot: false, ct).ConfigureAwait(false) is { } tuples)
        {
            foreach (var tuple in tuples)
            {
                yield return tuple;
            }
            yield break;
        }
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
        var rows = new StoredRows();
        for (var first = true; ; first = false)
        {
            var page = new List<StoredRow>(ListPageSize);
            int fetched;
            // The cursor is declared in the same round trip as the first page is fetched.
            await using (var fetch = new NpgsqlBatch(connection))
            {
                if (first)
                {
                    Add(fetch, $"DECLARE graphgen_list NO SCROLL CURSOR FOR {query}", Parameters());
                }
                Add(fetch, $"FETCH {ListPageSize} FROM graphgen_list");
                // The reader skips the DECLARE, which returns no rows.
                await using var reader = await fetch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                fetched = await ReadRowsAsync(reader, rows, page, ct).ConfigureAwait(false);
            }
            // A short page is the last: its open checkpoint has all its writes. Otherwise they may go on in the next.
            var last = fetched < ListPageSize;
            if (last && rows.Finish() is { } final)
            {
                page.Add(final);
            }
            foreach (var tuple in (await MaterializeAsync(connection, page, inSnapshot: true, ct).ConfigureAwait(false))!)
            {
                yield return tuple;
            }
            if (last)
            {
                break;
            }
        }
    }

    /// <summary>
    /// A listing of at most <see cref="PostgresSaverOptions.ListOneStatementRows"/> rows as one statement: one round
    /// trip and a plan prepared once per connection (a cursor's query is planned each time). Null when there are more
    /// rows: those are read again through a cursor, in pages, from one transaction's snapshot (so a long listing first
    /// reads one more row than the limit for nothing).
    /// </summary>
    private async ValueTask<List<StoredRow>?> ReadOnePageAsync(NpgsqlConnection connection, string query, NpgsqlParameter[] parameters, CancellationToken ct)
    {
        var most = _options.ListOneStatementRows;
        if (most == 0)
        {
            return null;
        }
        await using var command = Command(connection, $"{query} LIMIT {most + 1}", parameters);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var rows = new StoredRows();
        var page = new List<StoredRow>();
        // The LIMIT bounds what is read: one row more than fits means the cursor.
        if (await ReadRowsAsync(reader, rows, page, ct).ConfigureAwait(false) > most)
        {
            return null;
        }
        if (rows.Finish() is { } final)
        {
            page.Add(final);
        }
        return page;
    }

    /// <summary>Reads the reader's rows into <paramref name="rows"/>, adding each checkpoint they complete to <paramref name="page"/>; returns how many rows it read.</summary>
    private static async ValueTask<int> ReadRowsAsync(NpgsqlDataReader reader, StoredRows rows, List<StoredRow> page, CancellationToken ct)
    {
        var read = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            read++;
            if (rows.Add(reader) is { } row)
            {
                page.Add(row);
            }
        }
        return read;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// One round trip: the head check, the new values and the checkpoint row go as one batch, which PostgreSQL runs as
    /// one transaction, so a conflict leaves nothing behind. A delta whose base this process has not seen yet costs one
    /// more round trip to read the base's chain length.
    /// </remarks>
    public async ValueTask<CheckpointConfig> PutAsync(
        CheckpointConfig config,
        Checkpoint checkpoint,
        CheckpointMetadata metadata,
        IReadOnlyDictionary<string, string> newVersions,
        CancellationToken ct = default)
    {
        var put = new CheckpointPut(config, checkpoint, metadata, newVersions);
        put.Validate();
        await PutInOneRoundTripAsync([put], ct).ConfigureAwait(false);
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
            await PutInOneRoundTripAsync([put], ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    /// <remarks>One round trip and one transaction for the whole batch when every put is accepted.</remarks>
    public ValueTask PutBatchAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct = default) =>
        SaverPut.StoreTogetherAsync(this, puts, PutInOneRoundTripAsync, ct);

    private async ValueTask PutInOneRoundTripAsync(IReadOnlyList<SaverPut> puts, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        var stored = new Dictionary<ChannelValueKey, StoredValue>();
        foreach (var put in puts)
        {
            if (put is CheckpointPut checkpoint)
            {
                await AddCheckpointAsync(connection, batch, checkpoint, stored, ct).ConfigureAwait(false);
            }
            else if (put is WritesPut { Writes.Count: > 0 } writes)
            {
                AddWrites(batch, writes);
            }
        }
        try
        {
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresSql.ConflictState)
        {
            // Exact for one put; for several, StoreTogetherAsync makes them one at a time to find the refused one.
            var first = (CheckpointPut)puts.First(put => put is CheckpointPut { Metadata.Source: not CheckpointSource.Fork });
            throw new CheckpointConflictException(first.Config.ThreadId, first.Config.CheckpointNs, first.Config.CheckpointId, e.MessageText.Length == 0 ? null : e.MessageText);
        }
        // Only committed values may be served from the cache.
        foreach (var (key, value) in stored)
        {
            _cache.Add(key, value);
        }
    }

    /// <summary>Adds a checkpoint's head check, new values and row to <paramref name="batch"/>.</summary>
    private async ValueTask AddCheckpointAsync(
        NpgsqlConnection connection, NpgsqlBatch batch, CheckpointPut put, Dictionary<ChannelValueKey, StoredValue> stored, CancellationToken ct)
    {
        var (config, checkpoint, metadata, newVersions) = put;
        var (threadId, checkpointNs) = (config.ThreadId, config.CheckpointNs);
        if (metadata.Source != CheckpointSource.Fork)
        {
            Add(batch, _sql.ClaimHead, Text(threadId), Text(checkpointNs), Text(config.CheckpointId));
        }
        foreach (var (channel, version) in newVersions)
        {
            // A new version without a value means the channel became empty: reading skips missing values.
            var key = new ChannelValueKey(threadId, checkpointNs, channel, version);
            if (checkpoint.GetChannelBytes(channel) is not { } value)
            {
                stored[key] = StoredValue.Absent;
                continue;
            }
            var append = checkpoint.Appends.TryGetValue(channel, out var a) ? a : (ChannelAppend?)null;
            var (baseVersion, shared, depth, chainBytes) = await PlanStorageAsync(connection, key, value.Length, append, stored, ct).ConfigureAwait(false);
            // Stored whole, the value is cached whole too, so that a cached chain is never longer than the stored one; a
            // whole value that is a slice of a larger buffer is copied, so it does not keep the rest.
            value = baseVersion is null || value.Base is null ? SaverArguments.HandedOver(value) : value;
            Add(batch, _sql.InsertBlob, Text(threadId), Text(checkpointNs), Text(channel), Text(version), Text(baseVersion),
                new NpgsqlParameter<int> { TypedValue = shared }, new NpgsqlParameter<int> { TypedValue = depth },
                new NpgsqlParameter<long> { TypedValue = chainBytes },
                new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = value.After(shared), NpgsqlDbType = NpgsqlDbType.Bytea });
            stored[key] = new StoredValue(value, depth, chainBytes);
        }
        Add(batch, _sql.InsertCheckpoint, Text(threadId), Text(checkpointNs), Text(checkpoint.Id), Text(config.CheckpointId),
            new NpgsqlParameter<long> { TypedValue = checkpoint.Ts.UtcTicks }, Text(Encoding.UTF8.GetString(CheckpointJson.Write(checkpoint))),
            Text(Encoding.UTF8.GetString(metadata.ToJson())));
    }

    /// <summary>Adds one task's writes to <paramref name="batch"/> as one statement.</summary>
    private void AddWrites(NpgsqlBatch batch, WritesPut put)
    {
        var (config, writes, taskId, taskPath) = put;
        // As in LangGraph: a batch of special writes only (error, interrupt, ...) replaces the previous one (the last
        // of one index wins); any other batch is insert-or-ignore, so re-running a task keeps the writes it saved first.
        var replace = writes.All(write => WriteChannels.IsSpecial(write.Channel));
        var rows = new Dictionary<int, (string Channel, byte[] Value)>(writes.Count);
        for (var position = 0; position < writes.Count; position++)
        {
            var (channel, value) = writes[position];
            var index = WriteChannels.IndexOf(channel, position);
            if (replace || !rows.ContainsKey(index))
            {
                rows[index] = (channel, SaverArguments.HandedOver(value));
            }
        }
        Add(batch, _sql.InsertWrites(replace), Text(config.ThreadId), Text(config.CheckpointNs), Text(config.CheckpointId), Text(taskId), Text(taskPath),
            new NpgsqlParameter<int[]> { TypedValue = [.. rows.Keys] },
            new NpgsqlParameter<string[]> { TypedValue = [.. rows.Values.Select(row => row.Channel)] },
            new NpgsqlParameter<byte[][]> { TypedValue = [.. rows.Values.Select(row => row.Value)] });
    }

    /// <inheritdoc/>
    public async ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(threadId);
        await DeleteThreadUnlessActiveAsync(threadId, long.MaxValue, ct).ConfigureAwait(false);
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
        foreach (var threadId in threadIds)
        {
            if (strategy == PruneStrategy.Delete)
            {
                await DeleteThreadUnlessActiveAsync(threadId, long.MaxValue, ct).ConfigureAwait(false);
            }
            else
            {
                await KeepLastAsync(threadId, 1, ct).ConfigureAwait(false);
            }
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
                deleted += await KeepLastAsync(thread.ThreadId, count, ct).ConfigureAwait(false);
            }
        }
        return deleted;
    }

    /// <summary>
    /// Retention: deletes every thread whose newest checkpoint is older than <paramref name="idleFor"/> (by
    /// <see cref="PostgresSaverOptions.TimeProvider"/>). A thread written to meanwhile is spared. Returns the deleted thread ids.
    /// </summary>
    public async ValueTask<IReadOnlyList<string>> DeleteIdleThreadsAsync(TimeSpan idleFor, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(idleFor, TimeSpan.Zero);
        var cutoff = (_options.TimeProvider.GetUtcNow() - idleFor).UtcTicks;
        var candidates = new List<string>();
        await using (var command = _dataSource.CreateCommand(_sql.SelectIdleThreads))
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = cutoff });
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                candidates.Add(reader.GetString(0));
            }
        }
        var deleted = new List<string>(candidates.Count);
        foreach (var threadId in candidates)
        {
            if (await DeleteThreadUnlessActiveAsync(threadId, cutoff, ct).ConfigureAwait(false))
            {
                deleted.Add(threadId);
            }
        }
        return deleted;
    }

    /// <summary>
    /// Retention: deletes writes and values that no checkpoint uses any more (left by checkpoints deleted outside the
    /// saver, or by a thread whose checkpoints were removed by hand). Returns how many rows were deleted.
    /// </summary>
    public async ValueTask<int> DeleteOrphanedValuesAsync(CancellationToken ct = default)
    {
        var threads = new List<string>();
        await using (var command = _dataSource.CreateCommand(_sql.SelectThreadsWithValues))
        await using (var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                threads.Add(reader.GetString(0));
            }
        }
        var deleted = 0;
        foreach (var threadId in threads)
        {
            await using var batch = _dataSource.CreateBatch();
            Add(batch, $"SELECT {_sql.LockThread("$1")}", Text(threadId));
            Add(batch, _sql.DeleteOrphanWrites, Text(threadId));
            Add(batch, _sql.DeleteOrphanBlobs, Text(threadId));
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            deleted += batch.BatchCommands[1].RecordsAffected + batch.BatchCommands[2].RecordsAffected;
            _cache.RemoveThread(threadId);
        }
        return deleted;
    }

    /// <inheritdoc/>
    /// <remarks>Checkpoint ids, versions and stored deltas are copied as they are, so the copy reads exactly like the source.</remarks>
    public async ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default)
    {
        SaverArguments.RequireThreadId(sourceThreadId, nameof(sourceThreadId));
        SaverArguments.RequireThreadId(targetThreadId, nameof(targetThreadId));
        await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockBoth = Command(connection, _sql.LockThreads, new NpgsqlParameter<string[]> { TypedValue = [sourceThreadId, targetThreadId] }))
        {
            await lockBoth.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await RequireSourceAndEmptyTargetAsync(this, connection, sourceThreadId, this, connection, targetThreadId, ct).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var copy in _sql.CopyThread)
        {
            Add(batch, copy, Text(sourceThreadId), Text(targetThreadId));
        }
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies a thread's whole history to <paramref name="targetThreadId"/> in another saver (another database or
    /// schema), exactly as stored. The source is locked while it is read, so the copy is one consistent state.
    /// </summary>
    /// <exception cref="ThreadNotFoundException">The source thread has no checkpoints.</exception>
    /// <exception cref="CheckpointConflictException">The target thread already has checkpoints.</exception>
    public ValueTask CopyThreadAsync(string sourceThreadId, PostgresSaver target, string targetThreadId, CancellationToken ct = default) =>
        TransferAsync(sourceThreadId, target, targetThreadId, deleteSource: false, ct);

    /// <summary>
    /// Moves a thread, whole history included, to <paramref name="target"/> (another database or schema): it is copied
    /// there and committed, then deleted here. Puts on the thread wait while it moves, then fail with
    /// <see cref="CheckpointConflictException"/> here, so no turn is lost; they continue on the target.
    /// </summary>
    /// <remarks>
    /// If the process dies between the two commits, the thread exists in both; the target holds the complete copy, and
    /// moving again reports the conflict rather than overwriting it.
    /// </remarks>
    /// <exception cref="ThreadNotFoundException">The thread has no checkpoints here.</exception>
    /// <exception cref="CheckpointConflictException">The target already has checkpoints for the thread.</exception>
    public ValueTask MoveThreadAsync(string threadId, PostgresSaver target, CancellationToken ct = default) =>
        TransferAsync(threadId, target, threadId, deleteSource: true, ct);

    /// <inheritdoc/>
    /// <remarks>
    /// Ordered by thread id bytewise (UTF-8), which is ordinal order except that characters above U+FFFF sort after
    /// U+E000–U+FFFF. <see cref="ThreadInfo.UpdatedAt"/> is the time of the root namespace's latest checkpoint, or of the
    /// newest checkpoint of any namespace when the root has none.
    /// </remarks>
    public async IAsyncEnumerable<ThreadInfo> ListThreadsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var command = _dataSource.CreateCommand(_sql.ListThreads);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            yield return new ThreadInfo(
                reader.GetString(0),
                reader.GetInt32(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                new DateTimeOffset(reader.IsDBNull(3) ? reader.GetInt64(4) : reader.GetInt64(3), TimeSpan.Zero));
        }
    }

    /// <summary>Closes the pooled connections when the saver built its own data source; the database stays as it is.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whole or delta: the columns of a value's row (base version, shared prefix, depth, chain bytes).</summary>
    private async ValueTask<(string? Base, int Shared, int Depth, long ChainBytes)> PlanStorageAsync(
        NpgsqlConnection connection, ChannelValueKey key, int length, ChannelAppend? append, Dictionary<ChannelValueKey, StoredValue> staged, CancellationToken ct)
    {
        if (!DeltaStorage.CanStoreAsDelta(append, key.Version, length) || append is not { } a)
        {
            return (null, 0, 0, 0);
        }
        var baseKey = key with { Version = a.BaseVersion };
        (int Depth, long ChainBytes)? chain = null;
        // The base may be a value staged earlier in the same batch, or one this process stored before.
        if ((staged.TryGetValue(baseKey, out var cached) || _cache.TryGet(baseKey, out cached)) && cached.Bytes is not null)
        {
            chain = (cached.Depth, cached.ChainBytes);
        }
        else
        {
            await using var command = Command(connection, _sql.SelectChainInfo, Text(key.ThreadId), Text(key.CheckpointNs), Text(key.Channel), Text(a.BaseVersion));
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                chain = (reader.GetInt32(0), reader.GetInt64(1));
            }
        }
        var suffixLength = length - a.SharedPrefix;
        return chain is { } c && !DeltaStorage.StoreWhole(c.Depth, c.ChainBytes, suffixLength, length)
            ? (a.BaseVersion, a.SharedPrefix, c.Depth + 1, c.ChainBytes + suffixLength)
            : (null, 0, 0, 0);
    }

    /// <summary>
    /// Turns rows into tuples: values come from the cache, the rest from one query for all rows' missing chains.
    /// Outside a snapshot (<paramref name="inSnapshot"/> false: the rows came from a statement of their own), null when a
    /// value is not found, since it may have been deleted after the rows were read; in one, such a version is empty.
    /// </summary>
    private async ValueTask<CheckpointTuple[]?> MaterializeAsync(NpgsqlConnection connection, IReadOnlyList<StoredRow> rows, bool inSnapshot, CancellationToken ct)
    {
        var shapes = new Checkpoint[rows.Count];
        var missing = new HashSet<ChannelValueKey>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            try
            {
                shapes[i] = CheckpointJson.Read(row.CheckpointJson, Empty);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new CorruptCheckpointException(row.ThreadId, row.Id, $"its stored checkpoint is malformed: {e.Message}", e);
            }
            foreach (var (channel, version) in shapes[i].ChannelVersions)
            {
                var key = new ChannelValueKey(row.ThreadId, row.CheckpointNs, channel, version);
                if (!_cache.TryGet(key, out _))
                {
                    missing.Add(key);
                }
            }
        }
        var fetched = missing.Count == 0 ? null : await ReadValuesAsync(connection, missing, ct).ConfigureAwait(false);
        if (!inSnapshot && fetched is not null && fetched.Count < missing.Count)
        {
            return null;
        }
        var tuples = new CheckpointTuple[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var values = new Dictionary<string, ChannelBytes>(shapes[i].ChannelVersions.Count, StringComparer.Ordinal);
            foreach (var (channel, version) in shapes[i].ChannelVersions)
            {
                var key = new ChannelValueKey(row.ThreadId, row.CheckpointNs, channel, version);
                if (_cache.TryGet(key, out var cached))
                {
                    if (cached.Bytes is { } bytes)
                    {
                        values[channel] = bytes;
                    }
                }
                else if (fetched is not null && fetched.TryGetValue(key, out var chain))
                {
                    var value = ChannelBytes.Whole(DeltaStorage.RebuildChain(chain.Links, row.ThreadId, row.Id, channel, version)!);
                    values[channel] = value;
                    _cache.Add(key, new StoredValue(value, chain.Depth, chain.ChainBytes));
                }
                else
                {
                    _cache.Add(key, StoredValue.Absent);
                }
            }
            tuples[i] = new CheckpointTuple(
                new CheckpointConfig(row.ThreadId, row.CheckpointNs, row.Id),
                shapes[i] with { ChannelValues = new ChannelValueMap(values) },
                row.Metadata,
                row.Parent is null ? null : new CheckpointConfig(row.ThreadId, row.CheckpointNs, row.Parent),
                row.Writes);
        }
        return tuples;
    }

    /// <summary>The chains of the given values, newest row first, with the depth and chain bytes of each value's own row.</summary>
    private async ValueTask<Dictionary<ChannelValueKey, StoredChain>> ReadValuesAsync(NpgsqlConnection connection, HashSet<ChannelValueKey> keys, CancellationToken ct)
    {
        await using var command = Command(connection, _sql.SelectChains,
            new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.ThreadId)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.CheckpointNs)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Channel)] },
            new NpgsqlParameter<string[]> { TypedValue = [.. keys.Select(k => k.Version)] });
        var chains = new Dictionary<ChannelValueKey, StoredChain>(keys.Count);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var key = new ChannelValueKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
            var link = (reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<byte[]>(8));
            if (chains.TryGetValue(key, out var chain))
            {
                chain.Links.Add(link);
            }
            else
            {
                // Rows come ordered by their distance from the value asked for: the first is the value's own row.
                chains[key] = new StoredChain([link], reader.GetInt32(6), reader.GetInt64(7));
            }
        }
        return chains;
    }

    /// <summary>
    /// Gathers the rows of <see cref="PostgresSql"/>'s selects, a row per pending write, back into one stored row per
    /// checkpoint; rows of one checkpoint are adjacent.
    /// </summary>
    private sealed class StoredRows
    {
        private StoredRow? _open;
        private List<PendingWrite>? _writes;

        /// <summary>Takes the reader's row; returns the previous checkpoint when this row starts another.</summary>
        public StoredRow? Add(NpgsqlDataReader reader)
        {
            var threadId = reader.GetString(PostgresSql.ColThread);
            var checkpointNs = reader.GetString(PostgresSql.ColNs);
            var id = reader.GetString(PostgresSql.ColId);
            StoredRow? done = null;
            if (_open is null || _open.Id != id || _open.ThreadId != threadId || _open.CheckpointNs != checkpointNs)
            {
                done = Finish();
                _open = ReadRow(reader, threadId, checkpointNs, id);
            }
            if (!reader.IsDBNull(PostgresSql.ColWriteTask))
            {
                (_writes ??= []).Add(new PendingWrite(
                    reader.GetString(PostgresSql.ColWriteTask), reader.GetString(PostgresSql.ColWriteChannel), reader.GetFieldValue<byte[]>(PostgresSql.ColWriteBlob)));
            }
            return done;
        }

        /// <summary>The checkpoint still open, with its writes; null when there is none.</summary>
        public StoredRow? Finish()
        {
            var row = _writes is null ? _open : _open! with { Writes = [.. _writes] };
            (_open, _writes) = (null, null);
            return row;
        }

        private static StoredRow ReadRow(NpgsqlDataReader reader, string threadId, string checkpointNs, string id)
        {
            CheckpointMetadata metadata;
            try
            {
                metadata = CheckpointMetadata.FromJson(reader.GetFieldValue<byte[]>(PostgresSql.ColMetadata));
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                throw new CorruptCheckpointException(threadId, id, $"its stored metadata is malformed: {e.Message}", e);
            }
            return new StoredRow(
                threadId,
                checkpointNs,
                id,
                reader.IsDBNull(PostgresSql.ColParent) ? null : reader.GetString(PostgresSql.ColParent),
                reader.GetFieldValue<byte[]>(PostgresSql.ColCheckpoint),
                metadata,
                []);
        }
    }

    /// <summary>Deletes a thread unless it has a checkpoint at or after <paramref name="cutoffTicks"/>; true when it was deleted.</summary>
    private async ValueTask<bool> DeleteThreadUnlessActiveAsync(string threadId, long cutoffTicks, CancellationToken ct)
    {
        await using var batch = _dataSource.CreateBatch();
        Add(batch, $"SELECT {_sql.LockThread("$1")}", Text(threadId));
        foreach (var delete in _sql.DeleteThreadUnlessActive)
        {
            Add(batch, delete, Text(threadId), new NpgsqlParameter<long> { TypedValue = cutoffTicks });
        }
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        _cache.RemoveThread(threadId);
        return batch.BatchCommands[^1].RecordsAffected > 0;
    }

    /// <summary>Keeps the newest <paramref name="count"/> checkpoints per namespace of a thread; returns how many were deleted.</summary>
    private async ValueTask<int> KeepLastAsync(string threadId, int count, CancellationToken ct)
    {
        await using var batch = _dataSource.CreateBatch();
        Add(batch, $"SELECT {_sql.LockThread("$1")}", Text(threadId));
        Add(batch, _sql.DeleteOlderCheckpoints, Text(threadId), new NpgsqlParameter<long> { TypedValue = count });
        Add(batch, _sql.DeleteOrphanWrites, Text(threadId));
        Add(batch, _sql.DeleteOrphanBlobs, Text(threadId));
        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        _cache.RemoveThread(threadId);
        return batch.BatchCommands[1].RecordsAffected;
    }

    private async ValueTask TransferAsync(string sourceThreadId, PostgresSaver target, string targetThreadId, bool deleteSource, CancellationToken ct)
    {
        SaverArguments.RequireThreadId(sourceThreadId, nameof(sourceThreadId));
        SaverArguments.RequireThreadId(targetThreadId, nameof(targetThreadId));
        ArgumentNullException.ThrowIfNull(target);
        if (ReferenceEquals(target, this) && !deleteSource)
        {
            await CopyThreadAsync(sourceThreadId, targetThreadId, ct).ConfigureAwait(false);
            return;
        }
        await using var source = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var sourceTransaction = await source.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockSource = Command(source, $"SELECT {_sql.LockThread("$1")}", Text(sourceThreadId)))
        {
            await lockSource.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await using var destination = await target._dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var targetTransaction = await destination.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockTarget = Command(destination, $"SELECT {target._sql.LockThread("$1")}", Text(targetThreadId)))
        {
            await lockTarget.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await RequireSourceAndEmptyTargetAsync(this, source, sourceThreadId, target, destination, targetThreadId, ct).ConfigureAwait(false);
        var targetTables = target._sql.ThreadTables;
        var sourceTables = _sql.ThreadTables;
        for (var t = 0; t < sourceTables.Length; t++)
        {
            var (table, columns) = sourceTables[t];
            var list = string.Join(", ", columns);
            await using var read = Command(source, $"SELECT {list} FROM {table} WHERE thread_id = $1", Text(sourceThreadId));
            await using var reader = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using var import = await destination.BeginBinaryImportAsync($"COPY {targetTables[t].Table} ({list}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
            var types = Enumerable.Range(0, columns.Length).Select(i => reader.GetPostgresType(i).Name switch { "jsonb" => NpgsqlDbType.Jsonb, "json" => NpgsqlDbType.Json, _ => (NpgsqlDbType?)null }).ToArray();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                await import.StartRowAsync(ct).ConfigureAwait(false);
                await import.WriteAsync(targetThreadId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                for (var i = 1; i < columns.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        await import.WriteNullAsync(ct).ConfigureAwait(false);
                    }
                    else if (types[i] is { } json)
                    {
                        await import.WriteAsync(reader.GetString(i), json, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await import.WriteAsync(reader.GetValue(i), ct).ConfigureAwait(false);
                    }
                }
            }
            await import.CompleteAsync(ct).ConfigureAwait(false);
        }
        await targetTransaction.CommitAsync(ct).ConfigureAwait(false);
        if (deleteSource)
        {
            await using var batch = new NpgsqlBatch(source);
            foreach (var delete in _sql.DeleteThreadUnlessActive)
            {
                Add(batch, delete, Text(sourceThreadId), new NpgsqlParameter<long> { TypedValue = long.MaxValue });
            }
            await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            _cache.RemoveThread(sourceThreadId);
        }
        await sourceTransaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask RequireSourceAndEmptyTargetAsync(
        PostgresSaver sourceSaver, NpgsqlConnection source, string sourceThreadId,
        PostgresSaver targetSaver, NpgsqlConnection target, string targetThreadId, CancellationToken ct)
    {
        await using (var count = Command(source, sourceSaver._sql.CountCheckpoints, Text(sourceThreadId)))
        {
            if ((long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 0)
            {
                throw new ThreadNotFoundException(sourceThreadId);
            }
        }
        await using (var count = Command(target, targetSaver._sql.CountCheckpoints, Text(targetThreadId)))
        {
            if ((long)(await count.ExecuteScalarAsync(ct).ConfigureAwait(false))! == 0)
            {
                return;
            }
        }
        await using var head = Command(target, targetSaver._sql.SelectHead, Text(targetThreadId), Text(""));
        throw new CheckpointConflictException(targetThreadId, "", null, await head.ExecuteScalarAsync(ct).ConfigureAwait(false) as string);
    }

    private static NpgsqlParameter Text(string? value) => new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        AddParameters(command.Parameters, parameters);
        return command;
    }

    private static void Add(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        AddParameters(command.Parameters, parameters);
        batch.BatchCommands.Add(command);
    }

    private static void AddParameters(NpgsqlParameterCollection collection, params NpgsqlParameter[] parameters)
    {
        foreach (var parameter in parameters)
        {
            collection.Add(parameter);
        }
    }

    private static readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Empty = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>
    /// What the cache keeps per version: the value, and its row's place in a delta chain (for the next delta on it);
    /// <see cref="Absent"/> for a version known to have no value (an emptied channel), so reading it costs no query.
    /// </summary>
    private readonly record struct StoredValue(ChannelBytes? Bytes, int Depth, long ChainBytes)
    {
        public static StoredValue Absent => default;
    }

    private sealed record StoredChain(List<(string? BaseVersion, int SharedPrefix, byte[] Blob)> Links, int Depth, long ChainBytes);

    private sealed record StoredRow(
        string ThreadId, string CheckpointNs, string Id, string? Parent, byte[] CheckpointJson, CheckpointMetadata Metadata, PendingWrite[] Writes);
}
