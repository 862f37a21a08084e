using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>What a run ended with.</summary>
/// <param name="State">The state after the last superstep.</param>
/// <param name="Next">Nodes that would run next; non-empty when the run stopped at an interrupt.</param>
/// <param name="Interrupts">Pending dynamic interrupts and their payloads.</param>
/// <param name="Checkpoint">The last checkpoint written, or null without a checkpointer.</param>
public sealed record GraphResult<TState>(
    TState State,
    IReadOnlyList<string> Next,
    IReadOnlyList<Interrupt> Interrupts,
    CheckpointConfig? Checkpoint) where TState : IGraphState<TState>
{
    /// <summary>True when the run stopped before reaching END (a breakpoint or a dynamic interrupt).</summary>
    public bool IsInterrupted => Next.Count > 0;
}
