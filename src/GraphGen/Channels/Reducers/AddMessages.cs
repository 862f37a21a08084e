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
        // Position of each id in result, built on the first lookup so that appending id-less messages stays
        // cheap; it keeps an update of m messages O(n + m) rather than O(n * m).
        Dictionary<string, int>? positions = null;
        // Removed messages are overwritten by their marker and dropped at the end, so positions stay valid.
        var removed = false;

        foreach (var message in update)
        {
            var id = message.MessageId;
            var removal = IsRemoval(message);
            if (removal && id == RemoveAllId)
            {
                result.Clear();
                positions?.Clear();
                removed = false;
                continue;
            }

            var index = id is null ? -1 : IndexOf(result, ref positions, id);
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
                var added = id is null ? WithNewId(message) : message;
                if (positions is not null)
                {
                    positions[added.MessageId!] = result.Count;
                }
                result.Add(added);
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
    private static int IndexOf(ImmutableList<ChatMessage>.Builder result, ref Dictionary<string, int>? positions, string id)
    {
        if (positions is null)
        {
            positions = new Dictionary<string, int>(result.Count, StringComparer.Ordinal);
            var i = 0;
            foreach (var message in result)
            {
                if (message.MessageId is { } existing)
                {
                    positions[existing] = i;
                }
                i++;
            }
        }
        return positions.TryGetValue(id, out var index) && !IsRemoval(result[index]) ? index : -1;
    }

    private static ChatMessage WithNewId(ChatMessage message)
    {
        // Clone is shallow, which is enough: only MessageId differs, and the caller's message stays as it was.
        var copy = message.Clone();
        copy.MessageId = Guid.NewGuid().ToString("N");
        return copy;
    }
}
