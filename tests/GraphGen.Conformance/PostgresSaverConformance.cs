using GraphGen.Checkpointing;
using GraphGen.Postgres;
using GraphGen.Postgres.Tests;

namespace GraphGen.Conformance;

/// <summary>The conformance suite against <see cref="PostgresSaver"/>, each case in a schema of its own (skipped without a server).</summary>
public class PostgresSaverConformance : CheckpointSaverConformance
{
    private PostgresTestServer? _server;
    private string? _schema;

    /// <summary>The options the saver is opened with (null: the defaults).</summary>
    protected virtual PostgresSaverOptions? Options => null;

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> CreateSaverAsync()
    {
        _server = PostgresTestServer.Connect();
        _schema = _server.NewSchema();
        return await _server.OpenAsync(_schema, Options);
    }

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> ReopenSaverAsync(ICheckpointSaver saver)
    {
        await ((PostgresSaver)saver).DisposeAsync();
        return await _server!.OpenAsync(_schema, Options);
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeSaverAsync(ICheckpointSaver saver)
    {
        await ((PostgresSaver)saver).DisposeAsync();
        await _server!.DisposeAsync();
    }
}
