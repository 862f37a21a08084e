using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Serialization;

/// <summary>
/// <see cref="ChatMessageJson"/> against Microsoft.Extensions.AI's own serializer: on what AIJsonUtilities writes and
/// on hand-altered JSON, it reads the same message (compared by what AIJsonUtilities writes for it) and stops at the
/// same token, or both fail; and generated chat channels write what AIJsonUtilities writes.
/// </summary>
public class ChatMessageJsonTests
{
    private const int Runs = 300;

    private static readonly JsonSerializerOptions AIJson = AIJsonUtilities.DefaultOptions;

    [Fact]
    public void Random_messages_read_as_AIJsonUtilities_reads_them()
    {
        for (var seed = 0; seed < Runs; seed++)
        {
            var random = new Random(seed);
            var message = RandomMessage(random);
            foreach (var json in new[] { Serialize(message, indented: false), Serialize(message, indented: true) })
            {
                AssertReadsLikeAIJson(json, $"seed {seed}");
            }
        }
    }

    [Fact]
    public void The_fast_path_takes_every_text_only_message_AIJsonUtilities_writes()
    {
        for (var seed = 0; seed < Runs; seed++)
        {
            var random = new Random(seed);
            var message = RandomMessage(random, textOnly: true);
            var json = Serialize(message, indented: seed % 2 == 0);
            var reader = new Utf8JsonReader(json);
            reader.Read();

            var fast = ChatMessageJson.TryReadCommon(ref reader);

            Assert.NotNull(fast);
            Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
            Assert.Equal(json.Length, reader.BytesConsumed);
            Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(Serialize(fast, indented: seed % 2 == 0)));
        }
    }

    [Fact]
    public void The_fast_path_leaves_everything_else_to_AIJsonUtilities()
    {
        string[] others =
        [
            """{"role":"user","contents":[{"$type":"functionCall","callId":"c","name":"f"}]}""",
            """{"role":"user","contents":[{"$type":"text","text":"a","additionalProperties":{"k":1}}]}""",
            """{"role":"user","additionalProperties":{"k":"v"}}""",
            """{"Role":"user"}""",
            """{"role":"user","role":"tool"}""",
            """{"role":null}""",
            """{"role":" "}""",
            """{"messageId":null}""",
            """{"contents":null}""",
            """{"contents":[null]}""",
            """{"contents":[{"text":"a","$type":"text"}]}""",
            """{"contents":[{"$type":"text","text":"a","TEXT":"b"}]}""",
            """{"unknown":1}""",
            """{"text":"not a property that is read"}""",
            """{"createdAt":"not a date"}""",
        ];
        foreach (var json in others)
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            reader.Read();
            Assert.Null(ChatMessageJson.TryReadCommon(ref reader));
        }
    }

    [Fact]
    public void Altered_JSON_reads_as_AIJsonUtilities_reads_it()
    {
        // What other writers (or hand edits) may store: other names' case, unknown and duplicate properties,
        // nulls, escapes, other order, extra content properties, values of the wrong kind.
        for (var seed = 0; seed < Runs; seed++)
        {
            var random = new Random(seed);
            var node = JsonNode.Parse(Serialize(RandomMessage(random, textOnly: random.Next(3) > 0), indented: false))!.AsObject();
            for (var edits = 1 + random.Next(3); edits > 0; edits--)
            {
                Alter(node, random);
            }
            var json = Encoding.UTF8.GetBytes(Escape(node.ToJsonString(), random));
            AssertReadsLikeAIJson(json, $"seed {seed}: {Encoding.UTF8.GetString(json)}");
        }
    }

    [Fact]
    public void Messages_in_an_array_leave_the_reader_where_AIJsonUtilities_does()
    {
        var random = new Random(7);
        var messages = Enumerable.Range(0, 30).Select(_ => RandomMessage(random)).ToList();
        var json = JsonSerializer.SerializeToUtf8Bytes(messages, AIJson.GetTypeInfo(typeof(List<ChatMessage>)));

        var reader = new Utf8JsonReader(json);
        reader.Read();
        var read = new List<ChatMessage>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            read.Add(ChatMessageJson.Read(ref reader)!);
        }

        Assert.Equal(json.Length, reader.BytesConsumed);
        Assert.Equal(
            Encoding.UTF8.GetString(json),
            Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(read, AIJson.GetTypeInfo(typeof(List<ChatMessage>)))));
    }

    [Fact]
    public void Null_reads_as_null()
    {
        var reader = new Utf8JsonReader("null"u8);
        reader.Read();

        Assert.Null(ChatMessageJson.Read(ref reader));
    }

    [Fact]
    public void A_chat_channel_writes_what_AIJsonUtilities_writes_and_reads_what_it_wrote()
    {
        var schema = RoundTrip.Schema<ChatState>();
        var channel = schema.IndexOf("messages");
        for (var seed = 0; seed < Runs / 10; seed++)
        {
            var random = new Random(seed);
            var messages = Enumerable.Range(0, random.Next(6)).Select(_ => RandomMessage(random)).ToImmutableList();

            // GraphGen → AIJsonUtilities: the same bytes as AIJsonUtilities writing the list to a stored-value writer.
            var written = schema.SerializeChannel(new ChatState { Messages = messages }, channel);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                JsonSerializer.Serialize(writer, messages, AIJson.GetTypeInfo(typeof(ImmutableList<ChatMessage>)));
            }
            Assert.Equal(Encoding.UTF8.GetString(buffer.WrittenSpan), Encoding.UTF8.GetString(written));

            // AIJsonUtilities → GraphGen: what it wrote (with its default escaping) reads back as the same messages.
            var aiJson = JsonSerializer.SerializeToUtf8Bytes(messages, AIJson.GetTypeInfo(typeof(ImmutableList<ChatMessage>)));
            var read = schema.ReadState(new Dictionary<string, ReadOnlyMemory<byte>> { ["messages"] = aiJson }).Messages;
            Assert.Equal(
                Encoding.UTF8.GetString(aiJson),
                Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(read, AIJson.GetTypeInfo(typeof(ImmutableList<ChatMessage>)))));
        }
    }

    /// <summary>Reads <paramref name="json"/> both ways and compares results, or that both failed.</summary>
    private static void AssertReadsLikeAIJson(byte[] json, string because)
    {
        ChatMessage? expected = null;
        Exception? expectedError = null;
        long expectedEnd = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            expected = JsonSerializer.Deserialize<ChatMessage>(ref reader, AIJson);
            expectedEnd = reader.BytesConsumed;
        }
        catch (Exception e)
        {
            expectedError = e;
        }

        ChatMessage? actual = null;
        Exception? actualError = null;
        long actualEnd = 0;
        try
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            actual = ChatMessageJson.Read(ref reader);
            actualEnd = reader.BytesConsumed;
        }
        catch (Exception e)
        {
            actualError = e;
        }

        if (expectedError is not null || actualError is not null)
        {
            Assert.True(expectedError is not null && actualError is not null, $"{because}: only one failed: {expectedError ?? actualError}");
            Assert.Equal(expectedError!.GetType(), actualError!.GetType());
            return;
        }
        Assert.Equal(expectedEnd, actualEnd);
        Assert.Equal(Describe(expected), Describe(actual));
    }

    /// <summary>Everything AIJsonUtilities writes, plus the content types (which it writes as discriminators anyway).</summary>
    private static string Describe(ChatMessage? message) =>
        message is null ? "null" : Encoding.UTF8.GetString(Serialize(message, indented: false)) + " " + string.Join(",", message.Contents.Select(c => c.GetType().Name));

    private static byte[] Serialize(ChatMessage message, bool indented)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            JsonSerializer.Serialize(writer, message, AIJson);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static ChatMessage RandomMessage(Random random, bool textOnly = false)
    {
        var values = new RandomValues(random.Next());
        ChatRole[] roles = [ChatRole.User, ChatRole.Assistant, ChatRole.System, ChatRole.Tool, new("critic"), new("User")];
        var message = new ChatMessage { Role = roles[random.Next(roles.Length)] };
        var contents = new List<AIContent>();
        for (var i = random.Next(4); i > 0; i--)
        {
            contents.Add((textOnly ? 0 : random.Next(6)) switch
            {
                1 => new FunctionCallContent("call" + random.Next(9), "lookup", new Dictionary<string, object?> { ["q"] = values.String() }),
                2 => new FunctionResultContent("call" + random.Next(9), values.String()),
                3 => new TextContent(values.String()) { AdditionalProperties = new() { ["score"] = random.Next(100) } },
                4 => new UriContent(new Uri("https://example.com/" + random.Next(99) + ".png"), "image/png"),
                _ => new TextContent(random.Next(8) == 0 ? null : values.String()),
            });
        }
        if (random.Next(8) > 0)
        {
            message.Contents = contents;
        }
        if (random.Next(3) > 0)
        {
            message.MessageId = random.Next(6) == 0 ? values.String() : "m" + random.Next(1000);
        }
        if (random.Next(3) == 0)
        {
            message.AuthorName = random.Next(4) == 0 ? " " : values.String();
        }
        if (random.Next(3) == 0)
        {
            message.CreatedAt = values.DateTimeOffset();
        }
        if (!textOnly && random.Next(4) == 0)
        {
            message.AdditionalProperties = new() { ["k"] = values.String(), ["n"] = random.Next() };
        }
        return message;
    }

    private static void Alter(JsonObject message, Random random)
    {
        var names = message.Select(p => p.Key).ToList();
        switch (random.Next(9))
        {
            case 0:
                message["unknown" + random.Next(3)] = JsonNode.Parse("""{"a":[1,{"b":null}],"c":"d"}""");
                break;
            case 1 when names.Count > 0:
                var name = names[random.Next(names.Count)];
                var value = message[name];
                message.Remove(name);
                message[random.Next(2) == 0 ? name.ToUpperInvariant() : char.ToUpperInvariant(name[0]) + name[1..]] = value;
                break;
            case 2 when names.Count > 0:
                message[names[random.Next(names.Count)]] = null;
                break;
            case 3 when names.Count > 1:
                // Reverse the order of the properties.
                var properties = message.ToList();
                message.Clear();
                foreach (var (key, node) in Enumerable.Reverse(properties))
                {
                    message[key] = node;
                }
                break;
            case 4 when message["contents"] is JsonArray { Count: > 0 } contents && contents[0] is JsonObject first:
                // Move the type discriminator after the text, or add a property System.Text.Json skips.
                if (random.Next(2) == 0 && first["text"] is { } text)
                {
                    first.Remove("text");
                    var rest = first.ToList();
                    first.Clear();
                    first["text"] = text;
                    foreach (var (key, node) in rest)
                    {
                        first[key] = node;
                    }
                }
                else
                {
                    first["extra"] = 1;
                }
                break;
            case 5:
                message["role"] = random.Next(2) == 0 ? 5 : "";
                break;
            case 6:
                message["messageId"] = random.Next(2) == 0 ? JsonValue.Create(12) : JsonNode.Parse("[\"x\"]");
                break;
            case 7:
                message["createdAt"] = random.Next(2) == 0 ? "2024-02-30T00:00:00Z" : "2024-01-01";
                break;
            default:
                message["text"] = "the message's Text is computed and not read";
                break;
        }
    }

    /// <summary>Sometimes writes property names and short strings with \u escapes (same JSON value, other bytes).</summary>
    private static string Escape(string json, Random random)
    {
        if (random.Next(3) > 0)
        {
            return json;
        }
        string[] targets = ["\"role\"", "\"$type\"", "\"text\"", "\"user\"", "\"contents\"", "\"messageId\""];
        var target = targets[random.Next(targets.Length)];
        var escaped = "\"" + string.Concat(target[1..^1].Select(c => random.Next(2) == 0 ? $"\\u{(int)c:x4}" : c.ToString())) + "\"";
        return json.Replace(target, escaped);
    }
}
