using System.Collections.Immutable;
using GraphGen;
using Microsoft.Extensions.AI;

namespace Quickstart;

// Plain records: the [GraphState] source generator writes their Update types, reducers and JSON serializers.

/// <summary>One last-value channel: the count.</summary>
[GraphState]
public partial record CounterState
{
    public int Count { get; init; }
}

/// <summary>A conversation: messages merged by id (the AddMessages reducer).</summary>
[GraphState]
public partial record ChatState
{
    [Reducer(typeof(AddMessages))]
    public ImmutableList<ChatMessage> Messages { get; init; } = [];
}
