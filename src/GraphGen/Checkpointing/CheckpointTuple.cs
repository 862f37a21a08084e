namespace GraphGen.Checkpointing;

/// <summary>A checkpoint as a saver returns it, with where it is, where it came from, and its pending writes.</summary>
/// <param name="Config">Thread, namespace and this checkpoint's id.</param>
/// <param name="Checkpoint">The channel values and versions.</param>
/// <param name="Metadata">Source, step, run id and custom entries.</param>
/// <param name="ParentConfig">The checkpoint this one was created from, if any.</param>
/// <param name="PendingWrites">Writes saved against this checkpoint, ordered by task id then index.</param>
public sealed record CheckpointTuple(
    CheckpointConfig Config,
    Checkpoint Checkpoint,
    CheckpointMetadata Metadata,
    CheckpointConfig? ParentConfig,
    IReadOnlyList<PendingWrite> PendingWrites);
