using Microsoft.Data.Sqlite;

namespace GraphGen.Sqlite;

/// <summary>The saver's tables and the ordered migrations that create them, recorded in <c>graphgen_migrations</c>.</summary>
internal static class SqliteSchema
{
    /// <summary>Migration i (from 1) is <c>Migrations[i - 1]</c>; append only, never edit a released one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE checkpoints (
            thread_id TEXT NOT NULL,
            checkpoint_ns TEXT NOT NULL DEFAULT '',
            checkpoint_id TEXT NOT NULL,
            parent_checkpoint_id TEXT,
            ts INTEGER NOT NULL,          -- UTC ticks of the checkpoint's time, for idle-thread retention
            checkpoint TEXT NOT NULL,     -- versions and versions seen, without values (CheckpointJson)
            metadata TEXT NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
        );
        CREATE TABLE checkpoint_blobs (
            thread_id TEXT NOT NULL,
            checkpoint_ns TEXT NOT NULL DEFAULT '',
            channel TEXT NOT NULL,
            version TEXT NOT NULL,
            base_version TEXT,            -- NULL: blob is the whole value; else the value is base's first shared_prefix bytes + blob
            shared_prefix INTEGER NOT NULL DEFAULT 0,
            depth INTEGER NOT NULL DEFAULT 0,
            chain_bytes INTEGER NOT NULL DEFAULT 0,
            blob BLOB NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
        );
        CREATE TABLE checkpoint_writes (
            thread_id TEXT NOT NULL,
            checkpoint_ns TEXT NOT NULL DEFAULT '',
            checkpoint_id TEXT NOT NULL,
            task_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            channel TEXT NOT NULL,
            task_path TEXT NOT NULL DEFAULT '',
            value BLOB NOT NULL,
            PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
        );
        """,
    ];

    /// <summary>The schema version this code writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/> in one write transaction, so two processes opening a new
    /// file at once apply each migration once.
    /// </summary>
    /// <exception cref="SchemaVersionException">The database was written by a newer GraphGen.</exception>
    public static void Migrate(SqliteConnection connection, string dataSource)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, "CREATE TABLE IF NOT EXISTS graphgen_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM graphgen_migrations";
        var applied = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (applied > CurrentVersion)
        {
            throw new SchemaVersionException(dataSource, applied, CurrentVersion);
        }
        for (var version = applied + 1; version <= CurrentVersion; version++)
        {
            Execute(connection, Migrations[version - 1]);
            using var record = connection.CreateCommand();
            record.CommandText = "INSERT INTO graphgen_migrations (version, applied_at) VALUES ($v, $at)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
