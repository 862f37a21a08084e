using System.Collections.Immutable;

namespace GraphGen.Benchmarks.Workloads;

// The states of W1–W6, channel for channel as ../shared/bench/peer/bench.mjs declares them: a property without a
// reducer is the peer's LastValue channel (`Annotation()`), [Reducer(typeof(Append))] its `(a, b) => a.concat(b)`.

/// <summary>W1: <c>{count: LastValue}</c>. Null until the first run writes it, like the peer's <c>undefined</c>.</summary>
[GraphState]
public partial record CounterState
{
    public int? Count { get; init; }
}

/// <summary>W2, W3, W6: <c>{messages: append}</c>.</summary>
[GraphState]
public partial record ChatState
{
    [Reducer(typeof(Append))]
    public ImmutableList<Message> Messages { get; init; } = [];
}

/// <summary>A chat message as the peer writes it: a plain <c>{role, content}</c> object.</summary>
public sealed record Message(string Role, string Content);

/// <summary>W4: <c>{counter: LastValue, log: append}</c>.</summary>
[GraphState]
public partial record PipelineState
{
    public int? Counter { get; init; }

    [Reducer(typeof(Append))]
    public ImmutableList<string> Log { get; init; } = [];
}

/// <summary>W5: <c>{turn: LastValue, items: append}</c>; every turn appends one <see cref="Blob1k"/> string.</summary>
[GraphState]
public partial record BigState
{
    public int Turn { get; init; }

    [Reducer(typeof(Append))]
    public ImmutableList<string> Items { get; init; } = [];
}
