using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>A thread's state at one checkpoint, as <c>GetStateAsync</c> and history return it.</summary>
public sealed record StateSnapshot<TState> where TState : IGraphState<TState>
{
    /// <summary>
    /// The channel values. Read-only by contract: they may be the instances the graph keeps for the thread's next call,
    /// and the snapshots of one history listing share the list items they have in common (mutable items such as
    /// <c>ChatMessage</c> included).
    /// </summary>
    public required TState Values { get; init; }

    /// <summary>The nodes the next superstep would run; empty when the run reached END.</summary>
    public required IReadOnlyList<string> Next { get; init; }

    /// <summary>Where this checkpoint is; null for a thread that has none yet.</summary>
    public CheckpointConfig? Config { get; init; }

    /// <summary>Source, step, run id and custom entries; null for a thread that has no checkpoint yet.</summary>
    public CheckpointMetadata? Metadata { get; init; }

    /// <summary>When the checkpoint was written.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The checkpoint this one came from.</summary>
    public CheckpointConfig? ParentConfig { get; init; }

    /// <summary>The tasks of the next superstep, with errors and interrupts they already hit.</summary>
    public required IReadOnlyList<PregelTaskInfo> Tasks { get; init; }

    /// <summary>Pending interrupts waiting for a resume value.</summary>
    public required IReadOnlyList<Interrupt> Interrupts { get; init; }
}

/// <summary>A task of the next superstep.</summary>
/// <param name="Id">The deterministic task id (pending writes are keyed by it).</param>
/// <param name="Name">The node it runs.</param>
/// <param name="Error">The error message if it already failed once.</param>
/// <param name="Interrupts">Interrupts it raised and that are still pending.</param>
/// <param name="Completed">True when its writes are already saved (it will not run again).</param>
public sealed record PregelTaskInfo(string Id, string Name, string? Error, IReadOnlyList<Interrupt> Interrupts, bool Completed);
