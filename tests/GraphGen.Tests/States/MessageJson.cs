using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.States;

/// <summary>ChatMessage lists through Microsoft.Extensions.AI's AOT-safe JSON options, for the hand-written chat states.</summary>
internal static class MessageJson
{
    private static readonly JsonTypeInfo<ChatMessage> MessageInfo =
        (JsonTypeInfo<ChatMessage>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));

    public static void WriteString(Utf8JsonWriter writer, string? value)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value);
    }

    public static void WriteMessages(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
    {
        writer.WriteStartArray();
        foreach (var message in messages)
        {
            JsonSerializer.Serialize(writer, message, MessageInfo);
        }
        writer.WriteEndArray();
    }

    public static ImmutableList<ChatMessage> ReadMessages(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return ReadMessages(ref reader);
    }

    public static ImmutableList<ChatMessage> ReadMessages(ref Utf8JsonReader reader)
    {
        var builder = ImmutableList.CreateBuilder<ChatMessage>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            builder.Add(JsonSerializer.Deserialize(ref reader, MessageInfo)!);
        }
        return builder.ToImmutable();
    }
}
