namespace GraphGen.Checkpointing;

/// <summary>A thread known to a saver.</summary>
/// <param name="ThreadId">The thread id.</param>
/// <param name="CheckpointCount">How many checkpoints the thread holds, across namespaces.</param>
/// <param name="LatestCheckpointId">The newest checkpoint id of the root namespace.</param>
/// <param name="UpdatedAt">When the newest checkpoint was written.</param>
public sealed record ThreadInfo(string ThreadId, int CheckpointCount, string? LatestCheckpointId, DateTimeOffset UpdatedAt);
