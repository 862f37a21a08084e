using GraphGen.Postgres;
using Npgsql;

namespace GraphGen.Postgres.Tests;

/// <summary>
/// The PostgreSQL server tests run against: <c>GRAPHGEN_TEST_POSTGRES</c> (an Npgsql connection string). Without it a test
/// skips with the reason; with <c>GRAPHGEN_REQUIRE_POSTGRES=1</c> a missing server fails it instead. Each test works in
/// schemas of its own, dropped afterwards, so tests run in parallel on one database.
/// </summary>
public sealed class PostgresTestServer : IAsyncDisposable
{
    private readonly List<string> _schemas = [];

    private PostgresTestServer(string connectionString)
    {
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The server's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>A data source for running SQL directly, as another tool (or a disk fault) would.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The configured server; skips (or, when required, fails) the running test when there is none.</summary>
    public static PostgresTestServer Connect()
    {
        var connectionString = Environment.GetEnvironmentVariable("GRAPHGEN_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            const string why = "No PostgreSQL server: set GRAPHGEN_TEST_POSTGRES to an Npgsql connection string (.ci/run starts one).";
            if (Environment.GetEnvironmentVariable("GRAPHGEN_REQUIRE_POSTGRES") == "1")
            {
                Assert.Fail(why + " GRAPHGEN_REQUIRE_POSTGRES=1 makes this a failure.");
            }
            Assert.Skip(why);
        }
        return new PostgresTestServer(connectionString);
    }

    /// <summary>A new schema name, dropped when the server is disposed.</summary>
    public string NewSchema()
    {
        var schema = "test_" + Guid.NewGuid().ToString("N")[..16];
        lock (_schemas)
        {
            _schemas.Add(schema);
        }
        return schema;
    }

    /// <summary>A saver on a new schema of its own (or on <paramref name="schema"/>).</summary>
    public Task<PostgresSaver> OpenAsync(string? schema = null, PostgresSaverOptions? options = null) =>
        PostgresSaver.OpenAsync(ConnectionString, (options ?? new PostgresSaverOptions()) with { Schema = schema ?? NewSchema() });

    /// <summary>Runs SQL; returns the first column of the first row.</summary>
    public async Task<object?> ScalarAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs SQL that returns a count.</summary>
    public async Task<long> CountAsync(string sql) => Convert.ToInt64(await ScalarAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Drops the schemas the test made and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var schema in _schemas)
        {
            await ScalarAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        }
        await DataSource.DisposeAsync();
    }
}
