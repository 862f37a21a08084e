using System.Diagnostics;
using System.Text.Json.Nodes;
using GraphGen.Checkpointing;
using GraphGen.Postgres;
using Npgsql;

namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>
/// <c>postgres</c>: a <see cref="PostgresSaver"/> with its default options on the server of <c>GRAPHGEN_TEST_POSTGRES</c>,
/// in a fresh schema per (workload, rep), dropped afterwards. <c>db_bytes</c> is the sum of <c>pg_total_relation_size</c>
/// over the schema's tables, right after the workload (no VACUUM), as for the peer. Every command or batch the saver
/// sends is one round trip; their count per saver is written to standard error.
/// </summary>
/// <remarks><c>postgres-async-commit</c> is the same with <see cref="PostgresSaverOptions.SynchronousCommit"/> off.</remarks>
public sealed class PostgresWorkloadSaverFactory : IWorkloadSaverFactory
{
    private readonly PostgresSaverOptions _options;
    private readonly NpgsqlDataSource _admin;
    private readonly string _connectionString;

    /// <summary>Connects to the server of <c>GRAPHGEN_TEST_POSTGRES</c>.</summary>
    /// <exception cref="InvalidOperationException">The variable is not set.</exception>
    public PostgresWorkloadSaverFactory(bool synchronousCommit = true)
    {
        _options = new PostgresSaverOptions { SynchronousCommit = synchronousCommit };
        _connectionString = ConnectionString
            ?? throw new InvalidOperationException("The postgres saver needs a server: set GRAPHGEN_TEST_POSTGRES to an Npgsql connection string (bash .ci/postgres prints one).");
        _admin = NpgsqlDataSource.Create(_connectionString);
    }

    /// <summary>The server's connection string, or null when none is configured.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable("GRAPHGEN_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <inheritdoc/>
    public string Name => _options.SynchronousCommit ? "postgres" : "postgres-async-commit";

    /// <inheritdoc/>
    public async ValueTask<JsonObject> DescribeAsync(CancellationToken ct = default)
    {
        await using var command = _admin.CreateCommand("""
            SELECT current_setting('server_version'), current_setting('synchronous_commit'), current_setting('shared_buffers'),
                   coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)
            """);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await reader.ReadAsync(ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["saver"] = nameof(PostgresSaver),
            ["server_version"] = reader.GetString(0),
            ["synchronous_commit"] = reader.GetString(1),
            ["shared_buffers"] = reader.GetString(2),
            ["tls"] = reader.GetBoolean(3),
            ["saver_synchronous_commit"] = _options.SynchronousCommit,
            ["value_cache_bytes"] = _options.ValueCacheBytes,
            ["npgsql"] = typeof(NpgsqlDataSource).Assembly.GetName().Version?.ToString(),
        };
    }

    /// <inheritdoc/>
    public async ValueTask<IWorkloadSaver> CreateAsync(string tag, CancellationToken ct = default)
    {
        var schema = $"graphgen_{(_options.SynchronousCommit ? "" : "ac_")}{tag.ToLowerInvariant()}";
        await DropAsync(schema, ct).ConfigureAwait(false);
        var roundTrips = new RoundTripCounter();
        var saver = await PostgresSaver.OpenAsync(_connectionString, _options with { Schema = schema }, ct).ConfigureAwait(false);
        roundTrips.Reset();
        return new PostgresWorkloadSaver(this, saver, schema, roundTrips);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _admin.DisposeAsync();

    private async ValueTask DropAsync(string schema, CancellationToken ct)
    {
        await using var command = _admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private sealed class PostgresWorkloadSaver(PostgresWorkloadSaverFactory factory, PostgresSaver saver, string schema, RoundTripCounter roundTrips) : IWorkloadSaver
    {
        public ICheckpointSaver Saver => saver;

        public async ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default)
        {
            await Console.Error.WriteLineAsync($"postgres {schema}: {roundTrips.Count} round trips").ConfigureAwait(false);
            await using var command = factory._admin.CreateCommand("""
                SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind = 'r'
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
            var bytes = (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            await using (var parts = factory._admin.CreateCommand("""
                SELECT c.relname, pg_relation_size(c.oid), coalesce(pg_total_relation_size(c.reltoastrelid), 0), pg_indexes_size(c.oid),
                       pg_relation_size(c.oid, 'fsm') + pg_relation_size(c.oid, 'vm'), (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY 1
                """))
            {
                parts.Parameters.Add(new NpgsqlParameter<string> { TypedValue = schema });
                await using var reader = await parts.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    await Console.Error.WriteLineAsync($"postgres {schema}.{reader.GetString(0)}: heap {reader.GetInt64(1)}, toast {reader.GetInt64(2)}, indexes {reader.GetInt64(3)} ({reader.GetInt64(5)}), fsm+vm {reader.GetInt64(4)}").ConfigureAwait(false);
                }
            }
            return new StorageSize(bytes, "sum of pg_total_relation_size over the schema's tables (no VACUUM)");
        }

        public async ValueTask DisposeAsync()
        {
            roundTrips.Dispose();
            await saver.DisposeAsync().ConfigureAwait(false);
            await factory.DropAsync(schema, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Counts the commands and batches Npgsql sends (its "Npgsql" activity source traces each one).</summary>
    private sealed class RoundTripCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private long _count;

        public RoundTripCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
                ActivityStopped = activity =>
                {
                    if (activity.Kind == ActivityKind.Client && activity.OperationName != "connect")
                    {
                        Interlocked.Increment(ref _count);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public long Count => Interlocked.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public void Dispose() => _listener.Dispose();
    }
}
