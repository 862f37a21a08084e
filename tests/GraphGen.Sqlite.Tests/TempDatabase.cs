using GraphGen.Sqlite;
using Microsoft.Data.Sqlite;

namespace GraphGen.Sqlite.Tests;

/// <summary>A fresh database file in a temp folder, deleted (with its WAL files) afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphgen-sqlite-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "checkpoints.db");

    public SqliteSaver Open(SqliteSaverOptions? options = null) => SqliteSaver.Open(Path, options);

    /// <summary>Runs SQL on the file directly, as another tool (or a disk fault) would.</summary>
    public void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public long Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
