using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>What <c>StreamAsync</c> emits; combine flags to receive several kinds.</summary>
[Flags]
public enum StreamMode
{
    /// <summary>The full state after every superstep (<see cref="ValuesPart{TState}"/>).</summary>
    Values = 1,
    /// <summary>Each node's update as its superstep completes (<see cref="UpdatesPart{TState}"/>).</summary>
    Updates = 2,
    /// <summary>Task starts, task results and checkpoints (<see cref="DebugPart{TState}"/>).</summary>
    Debug = 4,
    /// <summary>Data nodes write with <see cref="NodeContext.Write"/> (<see cref="CustomPart{TState}"/>).</summary>
    Custom = 8,
}

/// <summary>One item of a stream.</summary>
/// <param name="Step">The superstep it belongs to.</param>
public abstract record StreamPart<TState>(int Step) where TState : IGraphState<TState>;

/// <summary>The full state after a superstep.</summary>
public sealed record ValuesPart<TState>(int Step, TState Values) : StreamPart<TState>(Step) where TState : IGraphState<TState>;

/// <summary>A node's update.</summary>
public sealed record UpdatesPart<TState>(int Step, string Node, StateUpdate<TState> Update) : StreamPart<TState>(Step) where TState : IGraphState<TState>;

/// <summary>Data a node wrote to the stream.</summary>
public sealed record CustomPart<TState>(int Step, string Node, object? Data) : StreamPart<TState>(Step) where TState : IGraphState<TState>;

/// <summary>The run stopped at interrupts (emitted in every mode).</summary>
public sealed record InterruptPart<TState>(int Step, IReadOnlyList<string> Next, IReadOnlyList<Interrupt> Interrupts) : StreamPart<TState>(Step) where TState : IGraphState<TState>;

/// <summary>What a debug event reports.</summary>
public enum DebugEventKind
{
    /// <summary>A task is starting.</summary>
    TaskStarted,
    /// <summary>A task finished (or failed: see <see cref="DebugPart{TState}.Error"/>).</summary>
    TaskFinished,
    /// <summary>A checkpoint was written (see <see cref="DebugPart{TState}.Checkpoint"/>).</summary>
    Checkpoint,
}

/// <summary>A debug event.</summary>
public sealed record DebugPart<TState>(int Step, DebugEventKind Kind, string? Node, string? TaskId, CheckpointConfig? Checkpoint, string? Error)
    : StreamPart<TState>(Step) where TState : IGraphState<TState>;
