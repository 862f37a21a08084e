using System.Collections.Immutable;

namespace GraphGen.Postgres.Tests;

[GraphState]
public partial record CounterState
{
    public int Count { get; init; }
}

[GraphState]
public partial record ChatLog
{
    [Reducer(typeof(Append))]
    public ImmutableList<string> Messages { get; init; } = [];
}

[Graph<CounterState>]
[Edge(nameof(Increment), Graph.End)]
public static partial class CounterGraph
{
    [Node, Entry]
    public static CounterState.Update Increment(CounterState state) => new() { Count = state.Count + 1 };
}

/// <summary>W2's chat graph: the node answers the last message with an echo.</summary>
[Graph<ChatLog>]
[Edge(nameof(Respond), Graph.End)]
public static partial class EchoGraph
{
    [Node, Entry]
    public static ChatLog.Update Respond(ChatLog state) => new() { Messages = ["echo: " + state.Messages[^1]] };
}
