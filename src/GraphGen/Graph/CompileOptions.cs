using GraphGen.Checkpointing;
using Microsoft.Extensions.Logging;

namespace GraphGen;

/// <summary>How a graph is compiled: where it checkpoints and which nodes it stops at.</summary>
public sealed record CompileOptions
{
    /// <summary>The saver every step is checkpointed to; without one the graph keeps no memory between calls.</summary>
    public ICheckpointSaver? Checkpointer { get; init; }

    /// <summary>The cross-thread memory store nodes reach through <see cref="NodeContext.Store"/>.</summary>
    public Store.IStore? Store { get; init; }

    /// <summary>Nodes to stop before (<see cref="Graph.All"/> for all); resume by invoking again.</summary>
    public IReadOnlyCollection<string>? InterruptBefore { get; init; }

    /// <summary>Nodes to stop after (<see cref="Graph.All"/> for all).</summary>
    public IReadOnlyCollection<string>? InterruptAfter { get; init; }

    /// <summary>When checkpoints are written; <see cref="GraphGen.Durability.Async"/> by default.</summary>
    public Durability Durability { get; init; } = Durability.Async;

    /// <summary>
    /// With <see cref="GraphGen.Durability.Async"/>, how long the checkpoints of a step wait, once node code starts, for
    /// the next steps' checkpoints, so that fast steps share one batch (one SQLite transaction, one PostgreSQL round
    /// trip) while a slow node finds its input stored a moment after it started. The call still returns only when
    /// everything is stored. 2 ms by default; <see cref="TimeSpan.Zero"/> sends every step's checkpoints at once.
    /// </summary>
    public TimeSpan CheckpointGatherTime { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Services for node parameters and <see cref="NodeContext.Services"/>.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>Creates the loggers nodes receive; taken from <see cref="Services"/> when unset.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// How many threads' latest states the graph keeps deserialized, so the next call on a thread skips parsing its
    /// stored values when nothing else wrote to it meanwhile; 0 turns the cache off.
    /// </summary>
    public int StateCacheSize { get; init; } = 64;

    /// <summary>A name for traces and diagrams.</summary>
    public string? Name { get; init; }
}
