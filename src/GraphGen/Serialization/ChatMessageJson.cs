using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace GraphGen;

/// <summary>
/// Writes and reads a <see cref="ChatMessage"/> exactly as <see cref="AIJsonUtilities.DefaultOptions"/> does. Called
/// by generated serializers: writing goes through Microsoft.Extensions.AI's own metadata, and reading takes a fast
/// path for the common message (role, text contents, message id, author name, creation time) that allocates only the
/// message itself, falling back to Microsoft.Extensions.AI for anything else.
/// </summary>
public static class ChatMessageJson
{
    private static JsonTypeInfo<ChatMessage>? s_info;

    private static JsonTypeInfo<ChatMessage> Info =>
        s_info ??= (JsonTypeInfo<ChatMessage>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));

    /// <summary>Writes <paramref name="value"/> (or null) as <see cref="AIJsonUtilities.DefaultOptions"/> does.</summary>
    public static void Write(Utf8JsonWriter writer, ChatMessage? value) => JsonSerializer.Serialize(writer, value!, Info);

    /// <summary>
    /// Reads the message starting at the reader's current token and leaves the reader on its last token, as
    /// <c>JsonSerializer.Deserialize(ref reader, ...)</c> with <see cref="AIJsonUtilities.DefaultOptions"/> does, with
    /// the same result.
    /// </summary>
    /// <exception cref="JsonException">The JSON is not a chat message.</exception>
    public static ChatMessage? Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            var copy = reader;
            if (TryReadCommon(ref copy) is { } message)
            {
                reader = copy;
                return message;
            }
        }
        // Anything the fast path does not know: other contents, additional properties, names in another case (the
        // options match names ignoring case), duplicates, nulls, unknown properties, values of the wrong kind.
        return JsonSerializer.Deserialize(ref reader, Info);
    }

    // Properties seen, so that a duplicate (last one wins in System.Text.Json) goes to the fallback.
    private const int SeenRole = 1, SeenContents = 2, SeenMessageId = 4, SeenAuthorName = 8, SeenCreatedAt = 16;

    /// <summary>The message, or null when the JSON has anything but what <see cref="Read"/>'s fast path handles.</summary>
    internal static ChatMessage? TryReadCommon(ref Utf8JsonReader reader)
    {
        var seen = 0;
        ChatRole role = default;
        List<AIContent>? contents = null;
        string? messageId = null, authorName = null;
        DateTimeOffset createdAt = default;
        while (true)
        {
            if (!reader.Read())
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }
            int property;
            if (reader.ValueTextEquals("role"u8))
            {
                property = SeenRole;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || RoleOf(ref reader) is not { } value)
                {
                    return null;
                }
                role = value;
            }
            else if (reader.ValueTextEquals("contents"u8))
            {
                property = SeenContents;
                if (!reader.Read() || (contents = TryReadTextContents(ref reader)) is null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("messageId"u8))
            {
                property = SeenMessageId;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }
                messageId = reader.GetString();
            }
            else if (reader.ValueTextEquals("authorName"u8))
            {
                property = SeenAuthorName;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }
                authorName = reader.GetString();
            }
            else if (reader.ValueTextEquals("createdAt"u8))
            {
                property = SeenCreatedAt;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out createdAt))
                {
                    return null;
                }
            }
            else
            {
                return null;
            }
            if ((seen & property) != 0)
            {
                return null;
            }
            seen |= property;
        }

        // Only what the JSON has is set, as System.Text.Json does: a missing role stays the constructor's User, and
        // the AuthorName setter turns white space into null either way.
        var message = new ChatMessage();
        if ((seen & SeenRole) != 0)
        {
            message.Role = role;
        }
        if (contents is not null)
        {
            message.Contents = contents;
        }
        if ((seen & SeenMessageId) != 0)
        {
            message.MessageId = messageId;
        }
        if ((seen & SeenAuthorName) != 0)
        {
            message.AuthorName = authorName;
        }
        if ((seen & SeenCreatedAt) != 0)
        {
            message.CreatedAt = createdAt;
        }
        return message;
    }

    /// <summary>The role of the current string: the shared instances for the four common roles, else a new one.</summary>
    private static ChatRole? RoleOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("user"u8))
        {
            return ChatRole.User;
        }
        if (reader.ValueTextEquals("assistant"u8))
        {
            return ChatRole.Assistant;
        }
        if (reader.ValueTextEquals("system"u8))
        {
            return ChatRole.System;
        }
        if (reader.ValueTextEquals("tool"u8))
        {
            return ChatRole.Tool;
        }
        // ChatRole rejects empty and white-space names; the fallback reports that as Microsoft.Extensions.AI does.
        var name = reader.GetString();
        return string.IsNullOrWhiteSpace(name) ? null : new ChatRole(name);
    }

    /// <summary>An array of <c>{"$type":"text","text":"..."}</c> objects as a list of <see cref="TextContent"/>, else null.</summary>
    private static List<AIContent>? TryReadTextContents(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return null;
        }
        var contents = new List<AIContent>(1);
        while (true)
        {
            if (!reader.Read())
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return contents;
            }
            // The type discriminator must come first, as System.Text.Json requires by default.
            if (reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("$type"u8)
                || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("text"u8)
                || !reader.Read())
            {
                return null;
            }
            string? text = null;
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("text"u8) || !reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return null;
                }
                text = reader.GetString();
                if (!reader.Read())
                {
                    return null;
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                return null;
            }
            contents.Add(new TextContent(text));
        }
    }
}
