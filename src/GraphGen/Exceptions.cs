namespace GraphGen;

/// <summary>A graph was wired wrongly: unknown node, no entry, unreachable node, duplicate name.</summary>
public sealed class GraphValidationException(string message) : GraphGenException(message);

/// <summary>A checkpointed graph was called without <c>GraphConfig.ThreadId</c>.</summary>
public sealed class MissingThreadIdException(string operation) : GraphGenException(
    $"{operation} needs a thread id because the graph was compiled with a checkpointer. " +
    "Pass a config that names the conversation thread, for example new GraphConfig { ThreadId = \"user-42\" }.")
{
    /// <summary>The call that was missing the thread id.</summary>
    public string Operation { get; } = operation;
}

/// <summary>An update could not be applied: two nodes wrote a last-value channel in one step, or an unknown node was named.</summary>
public sealed class InvalidUpdateException(string message) : GraphGenException(message);

/// <summary>The run took more supersteps than the recursion limit allows.</summary>
public sealed class GraphRecursionException(int limit, string? threadId) : GraphGenException(
    $"The graph ran {limit} supersteps{(threadId is null ? "" : $" on thread '{threadId}'")} without reaching END. " +
    "Check the routes for a cycle that never exits, or raise GraphConfig.RecursionLimit.")
{
    /// <summary>The limit that was reached.</summary>
    public int Limit { get; } = limit;
}

/// <summary>A node threw. The writes of its siblings in the same superstep are saved; invoking again resumes and re-runs only the failed node.</summary>
public sealed class NodeFailedException(string node, int step, string? threadId, Exception inner, IReadOnlyList<string>? alsoFailed = null) : GraphGenException(
    $"Node '{node}' failed in step {step}{(threadId is null ? "" : $" of thread '{threadId}'")}: {inner.Message}" +
    (alsoFailed is { Count: > 0 } ? $" Nodes {string.Join(", ", alsoFailed.Select(n => $"'{n}'"))} failed in the same step too." : ""), inner)
{
    /// <summary>Other nodes of the same superstep that failed too (their errors are saved with their tasks).</summary>
    public IReadOnlyList<string> AlsoFailed { get; } = alsoFailed ?? [];

    /// <summary>The node that threw.</summary>
    public string Node { get; } = node;

    /// <summary>The superstep it ran in.</summary>
    public int Step { get; } = step;

    /// <summary>The thread, when the graph is checkpointed.</summary>
    public string? ThreadId { get; } = threadId;
}

/// <summary>
/// A checkpoint was written on top of a parent that is no longer the thread's latest checkpoint: another run
/// wrote to the same thread in between. Nothing was stored; re-read the thread and try again.
/// </summary>
public sealed class CheckpointConflictException(string threadId, string checkpointNs, string? expectedParent, string? actualHead) : GraphGenException(
    $"Thread '{threadId}'{(checkpointNs.Length == 0 ? "" : $" (namespace '{checkpointNs}')")} was changed by another run: " +
    $"this checkpoint's parent is {Describe(expectedParent)} but the thread's latest checkpoint is {Describe(actualHead)}. " +
    "Nothing was written; load the thread's state again and retry, or serialize runs per thread.")
{
    /// <summary>The thread that was written concurrently.</summary>
    public string ThreadId { get; } = threadId;

    /// <summary>The checkpoint namespace of the rejected write.</summary>
    public string CheckpointNs { get; } = checkpointNs;

    /// <summary>The parent the rejected write expected to extend.</summary>
    public string? ExpectedParent { get; } = expectedParent;

    /// <summary>The thread's actual latest checkpoint.</summary>
    public string? ActualHead { get; } = actualHead;

    private static string Describe(string? id) => id is null ? "none (a new thread)" : $"'{id}'";
}

/// <summary>A thread has no checkpoints where some were required.</summary>
public sealed class ThreadNotFoundException(string threadId) : GraphGenException($"Thread '{threadId}' has no checkpoints.")
{
    /// <summary>The missing thread.</summary>
    public string ThreadId { get; } = threadId;
}

/// <summary>A config named a checkpoint id that the thread does not have.</summary>
public sealed class CheckpointNotFoundException(string threadId, string checkpointId) : GraphGenException(
    $"Thread '{threadId}' has no checkpoint '{checkpointId}'. List the thread's history to see the ids it has.")
{
    /// <summary>The thread that was searched.</summary>
    public string ThreadId { get; } = threadId;

    /// <summary>The id that was not found.</summary>
    public string CheckpointId { get; } = checkpointId;
}

/// <summary>Stored data could not be read back: a corrupt or truncated value, or JSON that does not fit the state type.</summary>
public sealed class CorruptCheckpointException(string threadId, string checkpointId, string what, Exception? inner = null) : GraphGenException(
    $"Checkpoint '{checkpointId}' of thread '{threadId}' could not be read: {what}", inner)
{
    /// <summary>The thread of the unreadable checkpoint.</summary>
    public string ThreadId { get; } = threadId;

    /// <summary>The unreadable checkpoint.</summary>
    public string CheckpointId { get; } = checkpointId;
}

/// <summary>A database holds a schema newer than this version of GraphGen knows; nothing was changed in it.</summary>
public sealed class SchemaVersionException(string database, int storedVersion, int knownVersion) : GraphGenException(
    $"Database '{database}' has checkpoint schema version {storedVersion}, but this GraphGen knows versions up to {knownVersion}. " +
    "It was written by a newer GraphGen; upgrade this application's GraphGen packages instead of opening it with an older one.")
{
    /// <summary>The database (file, or server and schema).</summary>
    public string Database { get; } = database;

    /// <summary>The schema version the database has.</summary>
    public int StoredVersion { get; } = storedVersion;

    /// <summary>The newest schema version this code knows.</summary>
    public int KnownVersion { get; } = knownVersion;
}
