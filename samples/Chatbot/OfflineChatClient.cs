using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Chatbot;

/// <summary>
/// A deterministic stand-in for a real model, so the sample runs offline: it remembers facts stated in the
/// conversation it is given (names, favourite things), answers questions about them, and writes summaries.
/// Replace it with any <see cref="IChatClient"/> (OpenAI, Ollama, Azure) in <c>Program.cs</c>.
/// </summary>
public sealed partial class OfflineChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var history = messages.ToList();
        var last = history[^1].Text;
        var facts = Facts(history);
        string reply;
        if (last.StartsWith("Create a summary", StringComparison.Ordinal) || last.StartsWith("This is the summary so far", StringComparison.Ordinal))
        {
            reply = facts.Count == 0 ? "We chatted; nothing to remember yet." : "The user said: " + string.Join("; ", facts.Select(f => $"{f.Key} is {f.Value}")) + ".";
        }
        else if (QuestionPattern().Match(last) is { Success: true } question)
        {
            var key = question.Groups["key"].Value.ToLowerInvariant();
            reply = facts.TryGetValue(key, out var value) ? $"Your {key} is {value}." : $"I don't know your {key} yet.";
        }
        else if (FactPattern().Matches(last) is { Count: > 0 } stated)
        {
            reply = "Got it: " + string.Join(", ", stated.Select(m => $"your {m.Groups["key"].Value.ToLowerInvariant()} is {m.Groups["value"].Value}")) + ".";
        }
        else
        {
            reply = $"You said \"{last}\". I have {history.Count} messages in view.";
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Facts the user stated ("my name is Ada"), including those carried in a summary ("name is Ada").</summary>
    private static Dictionary<string, string> Facts(IEnumerable<ChatMessage> history)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var message in history.Where(m => m.Role == ChatRole.User || m.Role == ChatRole.System))
        {
            foreach (Match match in FactPattern().Matches(message.Text))
            {
                facts[match.Groups["key"].Value.ToLowerInvariant()] = match.Groups["value"].Value;
            }
        }
        return facts;
    }

    [GeneratedRegex(@"(?:[Mm]y |\b)(?<key>name|favourite \w+|city) is (?<value>[\w ]+?)(?=[.,;!]|$)")]
    private static partial Regex FactPattern();

    [GeneratedRegex(@"[Ww]hat(?:'s| is) my (?<key>name|favourite \w+|city)\?")]
    private static partial Regex QuestionPattern();
}
