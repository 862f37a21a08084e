namespace GraphGen.Checkpointing;

/// <summary>
/// Addresses a checkpoint (or the latest checkpoint of a thread) in a saver: LangGraph's
/// <c>configurable</c> keys <c>thread_id</c>, <c>checkpoint_ns</c> and <c>checkpoint_id</c>.
/// </summary>
/// <param name="ThreadId">The conversation thread; threads never see each other's data.</param>
/// <param name="CheckpointNs">The (sub)graph namespace; <c>""</c> for the root graph.</param>
/// <param name="CheckpointId">A specific checkpoint, or <see langword="null"/> for the thread's latest one.</param>
public sealed record CheckpointConfig(string ThreadId, string CheckpointNs = "", string? CheckpointId = null)
{
    /// <summary>The same thread and namespace, pointing at <paramref name="checkpointId"/>.</summary>
    public CheckpointConfig WithCheckpoint(string? checkpointId) => this with { CheckpointId = checkpointId };
}
