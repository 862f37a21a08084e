using GraphGen.Checkpointing;
using GraphGen.Postgres;
using GraphGen.Postgres.Tests;

namespace GraphGen.Conformance;

/// <summary>
/// The conformance suite against <see cref="PartitionedPostgresSaver"/> over three partitions (a schema each, standing in
/// for three databases), so every case spreads its threads and listings merge across partitions.
/// </summary>
public sealed class PartitionedPostgresSaverConformance : CheckpointSaverConformance
{
    private PostgresTestServer? _server;
    private string[] _schemas = [];

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> CreateSaverAsync()
    {
        _server = PostgresTestServer.Connect();
        _schemas = [_server.NewSchema(), _server.NewSchema(), _server.NewSchema()];
        return await OpenAsync();
    }

    /// <inheritdoc/>
    protected override async Task<ICheckpointSaver> ReopenSaverAsync(ICheckpointSaver saver)
    {
        await ((PartitionedPostgresSaver)saver).DisposeAsync();
        return await OpenAsync();
    }

    /// <inheritdoc/>
    protected override async ValueTask DisposeSaverAsync(ICheckpointSaver saver)
    {
        await ((PartitionedPostgresSaver)saver).DisposeAsync();
        await _server!.DisposeAsync();
    }

    private async Task<ICheckpointSaver> OpenAsync()
    {
        var partitions = new List<PostgresSaver>();
        foreach (var schema in _schemas)
        {
            partitions.Add(await _server!.OpenAsync(schema));
        }
        return new PartitionedPostgresSaver(partitions);
    }
}
