namespace GraphGen;

/// <summary>Per-call settings: which thread (and checkpoint) to run on, limits, metadata and overrides.</summary>
public sealed record GraphConfig
{
    /// <summary>The conversation thread; required whenever the graph has a checkpointer.</summary>
    public string? ThreadId { get; init; }

    /// <summary>The checkpoint namespace; <c>""</c> for the root graph.</summary>
    public string CheckpointNs { get; init; } = "";

    /// <summary>
    /// A checkpoint to start from instead of the thread's latest: the run replays from it (nodes before it are not
    /// re-run) on a new branch that becomes the thread's head.
    /// </summary>
    public string? CheckpointId { get; init; }

    /// <summary>The most supersteps one call may run before <see cref="GraphRecursionException"/>.</summary>
    public int RecursionLimit { get; init; } = 25;

    /// <summary>Custom entries copied into the metadata of every checkpoint the call writes (filterable in history).</summary>
    public IReadOnlyDictionary<string, object?>? Metadata { get; init; }

    /// <summary>Nodes to stop before, for this call (adds to the compiled ones).</summary>
    public IReadOnlyCollection<string>? InterruptBefore { get; init; }

    /// <summary>Nodes to stop after, for this call (adds to the compiled ones).</summary>
    public IReadOnlyCollection<string>? InterruptAfter { get; init; }

    /// <summary>Overrides the compiled durability for this call.</summary>
    public Durability? Durability { get; init; }

    /// <summary>Overrides the compiled service provider for this call.</summary>
    public IServiceProvider? Services { get; init; }

    /// <summary>A caller-chosen run id; a new one is made when unset.</summary>
    public string? RunId { get; init; }

    /// <summary>A config for <paramref name="threadId"/> (optionally at <paramref name="checkpointId"/>).</summary>
    public static GraphConfig ForThread(string threadId, string? checkpointId = null) => new() { ThreadId = threadId, CheckpointId = checkpointId };
}
