using GraphGen.Checkpointing;
using GraphGen.Sqlite;

namespace GraphGen.Conformance;

/// <summary>The conformance suite against <see cref="SqliteSaver"/>, each case on its own file in a temp folder.</summary>
public sealed class SqliteSaverConformance : CheckpointSaverConformance
{
    private readonly string _folder = Directory.CreateTempSubdirectory("graphgen-conformance-").FullName;

    private string DatabasePath => Path.Combine(_folder, "checkpoints.db");

    /// <inheritdoc/>
    protected override Task<ICheckpointSaver> CreateSaverAsync() => Task.FromResult<ICheckpointSaver>(SqliteSaver.Open(DatabasePath));

    /// <inheritdoc/>
    protected override Task<ICheckpointSaver> ReopenSaverAsync(ICheckpointSaver saver)
    {
        ((SqliteSaver)saver).Dispose();
        return Task.FromResult<ICheckpointSaver>(SqliteSaver.Open(DatabasePath));
    }

    /// <inheritdoc/>
    protected override ValueTask DisposeSaverAsync(ICheckpointSaver saver)
    {
        ((SqliteSaver)saver).Dispose();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
