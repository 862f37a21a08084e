using GraphGen.Checkpointing;

namespace GraphGen.Conformance;

/// <summary>The conformance suite against <see cref="InMemorySaver"/>.</summary>
public sealed class InMemorySaverConformance : CheckpointSaverConformance
{
    /// <inheritdoc/>
    protected override Task<ICheckpointSaver> CreateSaverAsync() => Task.FromResult<ICheckpointSaver>(new InMemorySaver());
}
