using GraphGen.Checkpointing;
using GraphGen.Postgres;
using GraphGen.Postgres.Tests;

namespace GraphGen.Conformance;

/// <summary>
/// The conformance suite against <see cref="PostgresSaver"/> with every listing read through its cursor, the path
/// listings of more than 500 rows take (the suite's own listings are shorter, so the other class covers the one
/// statement they read by default).
/// </summary>
public sealed class PostgresSaverCursorConformance : CheckpointSaverConformance
{
    private static readonly PostgresSaverOptions CursorOnly = new() { ListOneStatementRows = 0 };
    private PostgresTestServer? _server;
    private string? _schema;

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> CreateSaverAsync()
    {
        _server = PostgresTestServer.Connect();
        _schema = _server.NewSchema();
        return await _server.OpenAsync(_schema, CursorOnly);
    }

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> ReopenSaverAsync(ICheckpointSaver saver)
    {
        await ((PostgresSaver)saver).DisposeAsync();
        return await _server!.OpenAsync(_schema, CursorOnly);
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeSaverAsync(ICheckpointSaver saver)
    {
        await ((PostgresSaver)saver).DisposeAsync();
        await _server!.DisposeAsync();
    }
}
