using System.Collections.Immutable;

namespace GraphGen.Sqlite.Tests;

[GraphState]
public partial record CounterState
{
    public int Count { get; init; }
}

[GraphState]
public partial record LogState
{
    public int Turn { get; init; }

    [Reducer(typeof(Append))]
    public ImmutableList<string> Items { get; init; } = [];
}

[Graph<CounterState>]
[Edge(nameof(Increment), Graph.End)]
public static partial class CounterGraph
{
    [Node, Entry]
    public static CounterState.Update Increment(CounterState state) => new() { Count = state.Count + 1 };
}

[Graph<LogState>]
[Edge(nameof(Grow), Graph.End)]
public static partial class LogGraph
{
    [Node, Entry]
    public static LogState.Update Grow(LogState state) => new() { Items = [$"item {state.Turn}: " + new string('x', 200)] };
}
