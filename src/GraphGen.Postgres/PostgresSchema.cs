using System.Globalization;
using Npgsql;

namespace GraphGen.Postgres;

/// <summary>
/// The saver's tables, modelled on LangGraph's (checkpoints, checkpoint_blobs, checkpoint_writes, checkpoint_migrations),
/// and the ordered migrations that create them. All run in one transaction under an advisory lock, so two workers
/// starting at once apply each migration once; nothing needs autocommit (no <c>CREATE INDEX CONCURRENTLY</c>).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Migration i (from 1) is <c>Migrations(sql)[i - 1]</c>, a list of statements; append only, never edit a released one.</summary>
    private static string[][] Migrations(PostgresSql sql) =>
    [
        [
            // Text keys compare bytewise (COLLATE "C"): thread ids are exact and list in ordinal order, whatever the database's locale.
            $"""
            CREATE TABLE {sql.Checkpoints} (
                thread_id text COLLATE "C" NOT NULL,
                checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
                checkpoint_id text COLLATE "C" NOT NULL,
                parent_checkpoint_id text COLLATE "C",
                ts bigint NOT NULL,              -- UTC ticks (100 ns; timestamptz keeps only microseconds), for retention
                checkpoint jsonb NOT NULL,       -- versions and versions seen, without values (CheckpointJson); json from migration 2
                metadata jsonb NOT NULL DEFAULT '{"{}"}',
                PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id))
            """,
            $"CREATE INDEX checkpoints_newest_idx ON {sql.Checkpoints} (checkpoint_id, thread_id, checkpoint_ns)",
            $"CREATE INDEX checkpoints_metadata_idx ON {sql.Checkpoints} USING gin (metadata jsonb_path_ops)",
            $"""
            CREATE TABLE {sql.Blobs} (
                thread_id text COLLATE "C" NOT NULL,
                checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
                channel text COLLATE "C" NOT NULL,
                version text COLLATE "C" NOT NULL,
                base_version text COLLATE "C",   -- NULL: blob is the whole value; else base's first shared_prefix bytes + blob
                shared_prefix integer NOT NULL DEFAULT 0,
                depth integer NOT NULL DEFAULT 0,
                chain_bytes bigint NOT NULL DEFAULT 0,
                blob bytea NOT NULL,             -- the value's UTF-8 JSON bytes, exactly as written
                PRIMARY KEY (thread_id, checkpoint_ns, channel, version))
            """,
            $"""
            CREATE TABLE {sql.Writes} (
                thread_id text COLLATE "C" NOT NULL,
                checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
                checkpoint_id text COLLATE "C" NOT NULL,
                task_id text COLLATE "C" NOT NULL,
                idx integer NOT NULL,
                channel text COLLATE "C" NOT NULL,
                task_path text COLLATE "C" NOT NULL DEFAULT '',
                blob bytea NOT NULL,
                PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx))
            """,
            // The optimistic-concurrency check of a put, run first in its batch: an error rolls the whole batch back.
            $"""
            CREATE FUNCTION {sql.ClaimHeadFunction}(p_thread text, p_ns text, p_parent text) RETURNS void
            LANGUAGE plpgsql VOLATILE AS $body$
            DECLARE head text;
            BEGIN
                PERFORM {sql.LockThread("p_thread")};
                SELECT checkpoint_id INTO head FROM {sql.Checkpoints}
                WHERE thread_id = p_thread AND checkpoint_ns = p_ns ORDER BY checkpoint_id DESC LIMIT 1;
                IF head IS DISTINCT FROM p_parent THEN
                    RAISE EXCEPTION USING ERRCODE = '{PostgresSql.ConflictState}', MESSAGE = coalesce(head, '');
                END IF;
            END
            $body$
            """,
        ],
        [
            // The checkpoint JSON is never searched, only read back whole: as json (text, validated on insert) it goes
            // out as stored, where jsonb is rebuilt into text for every row read (about 1 µs per listed checkpoint).
            $"ALTER TABLE {sql.Checkpoints} ALTER COLUMN checkpoint TYPE json USING checkpoint::json",
        ],
    ];

    /// <summary>The schema version this code writes.</summary>
    public static int CurrentVersion { get; } = Migrations(new PostgresSql("probe")).Length;

    /// <summary>Brings the schema to <see cref="CurrentVersion"/>, creating it if needed.</summary>
    /// <exception cref="SchemaVersionException">The schema was written by a newer GraphGen; nothing was changed.</exception>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, PostgresSql sql, string database, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock(hashtext('graphgen_migrations'), hashtext('{sql.Schema}'))", ct).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sql.Schema });
            if (!(bool)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))!)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA \"{sql.Schema}\"", ct).ConfigureAwait(false);
            }
        }
        await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {sql.Migrations} (v integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", ct).ConfigureAwait(false);
        int applied;
        await using (var read = new NpgsqlCommand($"SELECT coalesce(max(v), 0) FROM {sql.Migrations}", connection))
        {
            applied = Convert.ToInt32(await read.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        if (applied > CurrentVersion)
        {
            throw new SchemaVersionException(database, applied, CurrentVersion);
        }
        var migrations = Migrations(sql);
        for (var version = applied + 1; version <= CurrentVersion; version++)
        {
            foreach (var statement in migrations[version - 1])
            {
                await ExecuteAsync(connection, statement, ct).ConfigureAwait(false);
            }
            await ExecuteAsync(connection, $"INSERT INTO {sql.Migrations} (v) VALUES ({version})", ct).ConfigureAwait(false);
        }
        await transaction.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
