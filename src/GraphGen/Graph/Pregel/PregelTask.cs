namespace GraphGen;

/// <summary>One node to run in a superstep: a pull task (triggered by channels) or a push task (from a send).</summary>
internal sealed class PregelTask<TState>(string id, string node, TState input, IReadOnlyList<string> triggers, bool isPush)
    where TState : IGraphState<TState>
{
    public string Id { get; } = id;

    public string Node { get; } = node;

    /// <summary>The state the node sees: the step's state for pull tasks, the send's argument for push tasks.</summary>
    public TState Input { get; } = input;

    /// <summary>The channels that triggered a pull task; they are marked seen when the step is applied.</summary>
    public IReadOnlyList<string> Triggers { get; } = triggers;

    public bool IsPush { get; } = isPush;

    /// <summary>The task's result, set when it ran or when its saved writes were found.</summary>
    public TaskOutput<TState>? Output { get; set; }
}
