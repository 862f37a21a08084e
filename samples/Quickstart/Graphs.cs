using GraphGen;
using Microsoft.Extensions.AI;

namespace Quickstart;

/// <summary>START → increment → END.</summary>
[Graph<CounterState>]
[Edge(nameof(Increment), Graph.End)]
public static partial class CounterGraph
{
    [Node, Entry]
    private static CounterState.Update Increment(CounterState state) => new() { Count = state.Count + 1 };
}

/// <summary>
/// START → chat → END. The "model" is offline and deterministic: it remembers a name only if the thread's own
/// history contains it, which shows that threads never see each other's messages.
/// </summary>
[Graph<ChatState>]
[Edge(nameof(Chat), Graph.End)]
public static partial class ChatGraph
{
    [Node, Entry]
    private static ChatState.Update Chat(ChatState state) => new() { Messages = [new(ChatRole.Assistant, Reply(state))] };

    private static string Reply(ChatState state)
    {
        var name = state.Messages
            .Where(m => m.Role == ChatRole.User)
            .Select(m => m.Text.IndexOf("I'm ", StringComparison.Ordinal) is var i and >= 0 ? m.Text[(i + 4)..].TrimEnd('.', '!') : null)
            .LastOrDefault(n => n is not null);
        if (state.Messages[^1].Text.Contains("my name", StringComparison.OrdinalIgnoreCase))
        {
            return name is null ? "I don't know your name yet." : $"Your name is {name}.";
        }
        return name is null ? "Hello!" : $"Nice to meet you, {name}!";
    }
}
