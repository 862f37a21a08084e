using System.Globalization;
using System.Text.Json.Nodes;
using GraphGen.Checkpointing;
using GraphGen.Sqlite;
using Microsoft.Data.Sqlite;

namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>
/// <c>sqlite</c>: a <see cref="SqliteSaver"/> with its default options on a fresh file per (workload, rep), in a temp
/// folder under <c>$SQLITE_DIR</c> (the peer's variable; default: the system temp folder). <c>db_bytes</c> is the file
/// size after <c>PRAGMA wal_checkpoint(TRUNCATE)</c>.
/// </summary>
public sealed class SqliteWorkloadSaverFactory : IWorkloadSaverFactory
{
    private readonly SqliteSaverOptions _options = new();
    private readonly DirectoryInfo _folder;

    /// <summary>Creates the temp folder the database files go to; disposing deletes it.</summary>
    public SqliteWorkloadSaverFactory()
    {
        var parent = Environment.GetEnvironmentVariable("SQLITE_DIR") is { Length: > 0 } dir ? dir : Path.GetTempPath();
        _folder = Directory.CreateDirectory(Path.Combine(parent, "graphgen-workloads-" + Guid.NewGuid().ToString("N")[..8]));
    }

    /// <inheritdoc/>
    public string Name => "sqlite";

    /// <summary>The SQLite library Microsoft.Data.Sqlite loaded.</summary>
    public static string LibraryVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return Scalar(connection, "SELECT sqlite_version()");
    }

    /// <summary>Opens a probe database like the workloads do and reads back the journal mode the saver left on the file.</summary>
    public async ValueTask<JsonObject> DescribeAsync(CancellationToken ct = default)
    {
        await using var probe = await CreateAsync("probe", ct).ConfigureAwait(false);
        using var connection = Connect(PathFor("probe"));
        return new JsonObject
        {
            ["saver"] = nameof(SqliteSaver),
            ["journal_mode"] = Scalar(connection, "PRAGMA journal_mode"),
            ["synchronous"] = _options.Synchronous.ToString().ToLowerInvariant(),
            ["busy_timeout_ms"] = (long)_options.BusyTimeout.TotalMilliseconds,
            ["value_cache_bytes"] = _options.ValueCacheBytes,
            ["folder"] = _folder.FullName,
        };
    }

    /// <inheritdoc/>
    public ValueTask<IWorkloadSaver> CreateAsync(string tag, CancellationToken ct = default)
    {
        var path = PathFor(tag);
        DeleteFiles(path);
        return ValueTask.FromResult<IWorkloadSaver>(new SqliteWorkloadSaver(SqliteSaver.Open(path, _options), path));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return ValueTask.CompletedTask;
    }

    private string PathFor(string tag) => Path.Combine(_folder.FullName, $"graphgen-{tag}.db");

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }

    private static void DeleteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class SqliteWorkloadSaver(SqliteSaver saver, string path) : IWorkloadSaver
    {
        public ICheckpointSaver Saver => saver;

        public ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default)
        {
            // From a connection of our own: the saver's idle connections hold no transaction, so nothing blocks it.
            using (var connection = Connect(path))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                using var reader = command.ExecuteReader();
                if (reader.Read() && reader.GetInt64(0) != 0)
                {
                    throw new InvalidOperationException($"PRAGMA wal_checkpoint(TRUNCATE) on {path} was blocked by a reader; db_bytes would include the WAL.");
                }
            }
            return ValueTask.FromResult(new StorageSize(new FileInfo(path).Length, "db file after wal_checkpoint(TRUNCATE)"));
        }

        public ValueTask DisposeAsync()
        {
            saver.Dispose();
            DeleteFiles(path);
            return ValueTask.CompletedTask;
        }
    }
}
