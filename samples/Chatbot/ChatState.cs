using System.Collections.Immutable;
using GraphGen;
using Microsoft.Extensions.AI;

namespace Chatbot;

/// <summary>The conversation: messages merge by id; the summary of what was dropped is last-value.</summary>
[GraphState]
public partial record ChatState
{
    [Reducer(typeof(AddMessages))]
    public ImmutableList<ChatMessage> Messages { get; init; } = [];

    public string? Summary { get; init; }
}
