using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen;

/// <summary>
/// Reducer for chat histories, after LangGraph's <c>add_messages</c>: new messages are appended, a message whose
/// <see cref="ChatMessage.MessageId"/> is already in the list replaces it in place, and removal markers made by
/// <see cref="Remove"/> and <see cref="RemoveAll"/> delete messages.
/// </summary>
/// <remarks>
/// The messages of an update are applied one after another, each seeing the result of the ones before it, so
/// splitting an update in two never changes the result (apart from the new ids given to id-less messages).
/// LangGraph differs in one corner: a message removed and re-added in the same update goes back to its old place
/// there; here it is appended, as it would be across two updates.
/// </remarks>
public static class AddMessages
{
    // A marker is an ordinary ChatMessage flagged in AdditionalProperties, so it travels through pending writes
    // and AIJsonUtilities like any message.
    private const string RemoveFlag = "graphgen.remove";
    private const string RemoveAllId = "__remove_all__";

    /// <summary>Applies the messages of <paramref name="update"/> to <paramref name="current"/> in order.</summary>
    /// <param name="current">The history; null is treated as empty. Messages already in it are kept as they are.</param>
    /// <param name="update">
    /// Messages to add or replace, and removal markers. A message without an id is added as a copy with a new id;
    /// the caller's instance is not changed.
    /// </param>
    /// <exception cref="InvalidUpdateException">A marker removes an id that is not in the history.</exception>
    public static ImmutableList<ChatMessage> Reduce(ImmutableList<ChatMessage>? current, IEnumerable<ChatMessage> update)
    {
        var result = (current ?? []).ToBuilder();
        // Removed messages are overwritten by their marker and dropped at the end, so positions stay valid.
        var removed = false;

        foreach (var message in update)
        {
            var id = message.MessageId;
            var removal = IsRemoval(message);
            if (removal && id == RemoveAllId)
            {
                result.Clear();
                removed = false;
                continue;
            }

            var index = id is null ? -1 : IndexOf(result, id);
            if (index >= 0)
            {
                // A message replaces its namesake in place; a marker takes the place until the final sweep.
                result[index] = message;
                removed |= removal;
            }
            else if (removal)
            {
                throw new InvalidUpdateException(
                    $"Cannot remove message '{id}': the history has no message with that id. " +
                    "Remove only ids read from the current state, and each id once.");
            }
            else
            {
                result.Add(id is null ? WithNewId(message) : message);
            }
        }

        if (removed)
        {
            result.RemoveAll(IsRemoval);
        }
        return result.ToImmutable();
    }

    /// <summary>A marker that, written to an <see cref="AddMessages"/> channel, removes the message with <paramref name="messageId"/>.</summary>
    /// <param name="messageId">The <see cref="ChatMessage.MessageId"/> of the message to remove.</param>
    public static ChatMessage Remove(string messageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        return new ChatMessage { MessageId = messageId, AdditionalProperties = new() { [RemoveFlag] = true } };
    }

    /// <summary>A marker that removes every message: those in the history and those before it in the same update.</summary>
    public static ChatMessage RemoveAll() => Remove(RemoveAllId);

    /// <summary>True when <paramref name="message"/> is a marker made by <see cref="Remove"/> or <see cref="RemoveAll"/>.</summary>
    /// <param name="message">The message to test.</param>
    public static bool IsRemoval(ChatMessage message) =>
        message.AdditionalProperties?.TryGetValue(RemoveFlag, out var flag) == true
        // A marker read back from JSON carries the flag as a JsonElement, not as a bool.
        && flag is true or JsonElement { ValueKind: JsonValueKind.True };

    /// <summary>The position of the live message with <paramref name="id"/>, or -1; a removed one does not count.</summary>
    /// <remarks>
    /// A scan, newest first (replacements usually target recent messages): it allocates nothing, which matters more
    /// on this hot path than its O(n) per id-carrying message; id-less messages, the common case, skip it.
    /// </remarks>
    private static int IndexOf(ImmutableList<ChatMessage>.Builder result, string id)
    {
        for (var i = result.Count - 1; i >= 0; i--)
        {
            var message = result[i];
            if (message.MessageId == id)
            {
                return IsRemoval(message) ? -1 : i;
            }
        }
        return -1;
    }

    private static ChatMessage WithNewId(ChatMessage message)
    {
        // Clone is shallow, which is enough: only MessageId differs, and the caller's message stays as it was.
        var copy = message.Clone();
        copy.MessageId = Guid.NewGuid().ToString("N");
        return copy;
    }
}
