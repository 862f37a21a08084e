using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace GraphGen.Sqlite;

/// <summary>
/// One open connection and the statements prepared on it, reused for the life of the saver (preparing a statement
/// costs more than running a small one). Not thread-safe: the saver lends a session to one operation at a time.
/// </summary>
internal sealed partial class SqliteSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection { get; } = connection;

    /// <summary>The prepared command for <paramref name="sql"/>, with a parameter for every <c>$name</c> in it.</summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in ParameterName().Matches(sql).Select(match => match.Value).Distinct(StringComparer.Ordinal))
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
            command.Prepare();
            _commands[sql] = command;
        }
        return command;
    }

    /// <summary>Runs a statement that returns no rows; returns the number of rows changed.</summary>
    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => Bind(sql, parameters).ExecuteNonQuery();

    /// <summary>The first column of the first row, or the default when there is none.</summary>
    public T? Scalar<T>(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteScalar() is T value ? value : default;

    /// <summary>Runs a query; the reader must be disposed before the same statement runs again.</summary>
    public SqliteDataReader Query(string sql, params ReadOnlySpan<(string Name, object? Value)> parameters) => Bind(sql, parameters).ExecuteReader();

    /// <summary>Starts a transaction: <c>IMMEDIATE</c> takes the write lock at once, so a writer never fails half-way on a lock upgrade.</summary>
    public void Begin(bool write) => Execute(write ? "BEGIN IMMEDIATE" : "BEGIN");

    public void Commit() => Execute("COMMIT");

    /// <summary>Rolls back if a transaction is open (a failed statement may already have ended it).</summary>
    public void Rollback()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0)
        {
            Execute("ROLLBACK");
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        Connection.Dispose();
    }

    private SqliteCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
        return command;
    }

    [GeneratedRegex(@"\$\w+")]
    private static partial Regex ParameterName();
}
