using GraphGen;
using Microsoft.Extensions.AI;

namespace Chatbot;

/// <summary>
/// Chat with the model; once the thread holds more than six messages, fold all but the last two into the summary
/// and remove them from the state (the LangGraph "summarize conversation" pattern).
/// </summary>
[Graph<ChatState>]
[Edge(nameof(Summarize), Graph.End)]
public static partial class ChatGraph
{
    [Node, Entry]
    private static async Task<ChatState.Update> Chat(ChatState state, IChatClient llm, CancellationToken ct)
    {
        IEnumerable<ChatMessage> prompt = state.Summary is null
            ? state.Messages
            : [new(ChatRole.System, $"Summary of the conversation so far: {state.Summary}"), .. state.Messages];
        var response = await llm.GetResponseAsync(prompt, cancellationToken: ct);
        return new() { Messages = response.Messages };
    }

    [Node]
    private static async Task<ChatState.Update> Summarize(ChatState state, IChatClient llm, CancellationToken ct)
    {
        var request = state.Summary is null
            ? "Create a summary of the conversation above."
            : $"This is the summary so far: {state.Summary}. Extend it with the new messages above.";
        var response = await llm.GetResponseAsync([.. state.Messages, new(ChatRole.User, request)], cancellationToken: ct);
        var dropped = state.Messages.SkipLast(2).Select(m => AddMessages.Remove(m.MessageId!));
        return new() { Summary = response.Text, Messages = dropped };
    }

    [Route(From = nameof(Chat), To = [nameof(Summarize), Graph.End])]
    private static string AfterChat(ChatState state) => state.Messages.Count > 6 ? nameof(Summarize) : Graph.End;
}
