namespace GraphGen.Checkpointing;

/// <summary>What <see cref="ICheckpointSaver.PruneAsync"/> keeps of each thread.</summary>
public enum PruneStrategy
{
    /// <summary>Keep only the latest checkpoint of each namespace (and the data it needs); drop the rest of the history.</summary>
    KeepLatest,
    /// <summary>Delete the threads entirely.</summary>
    Delete,
}
