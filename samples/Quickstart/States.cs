using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GraphGen;
using Microsoft.Extensions.AI;

namespace Quickstart;

// These two states are written by hand against GraphGen's state contract. The [GraphState] source generator
// emits exactly this shape (channel table, Update type, reducers, serializers) from a plain annotated record.

/// <summary>One last-value channel: the count.</summary>
public sealed record CounterState : IGraphState<CounterState>
{
    public int Count { get; init; }

    public static StateSchema<CounterState> Schema { get; } = new CounterSchema();

    public sealed class Update : StateUpdate<CounterState>
    {
        private int _count;

        public int Count { get => _count; init => Set(value); }

        internal void Set(int value) { _count = value; MarkWritten(0); }
    }

    private sealed class CounterSchema : StateSchema<CounterState>
    {
        public override IReadOnlyList<StateChannel> Channels { get; } = [new("count", IsLastValue: true)];

        public override CounterState CreateInitial() => new();

        public override StateUpdate<CounterState> CreateUpdate() => new Update();

        public override CounterState Apply(CounterState state, ReadOnlySpan<StateUpdate<CounterState>> updates)
        {
            foreach (var update in updates)
            {
                state = state with { Count = ((Update)update).Count };
            }
            return state;
        }

        public override void WriteChannel(Utf8JsonWriter writer, CounterState state, int channel) => writer.WriteNumberValue(state.Count);

        public override CounterState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) =>
            new() { Count = values.TryGetValue("count", out var v) ? int.Parse(v.Span) : 0 };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<CounterState> update, int channel) =>
            writer.WriteNumberValue(((Update)update).Count);

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<CounterState> update, int channel) =>
            ((Update)update).Set(reader.GetInt32());
    }
}

/// <summary>A conversation: messages merged by id (the AddMessages reducer).</summary>
public sealed record ChatState : IGraphState<ChatState>
{
    public ImmutableList<ChatMessage> Messages { get; init; } = [];

    public static StateSchema<ChatState> Schema { get; } = new ChatSchema();

    public sealed class Update : StateUpdate<ChatState>
    {
        private ImmutableList<ChatMessage> _messages = [];

        public IEnumerable<ChatMessage> Messages { get => _messages; init => Set(value); }

        internal void Set(IEnumerable<ChatMessage> value) { _messages = [.. value]; MarkWritten(0); }
    }

    private sealed class ChatSchema : StateSchema<ChatState>
    {
        private static readonly JsonTypeInfo<ChatMessage> MessageInfo =
            (JsonTypeInfo<ChatMessage>)AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatMessage));

        public override IReadOnlyList<StateChannel> Channels { get; } = [new("messages", IsLastValue: false)];

        public override ChatState CreateInitial() => new();

        public override StateUpdate<ChatState> CreateUpdate() => new Update();

        public override ChatState Apply(ChatState state, ReadOnlySpan<StateUpdate<ChatState>> updates)
        {
            foreach (var update in updates)
            {
                state = state with { Messages = AddMessages.Reduce(state.Messages, ((Update)update).Messages) };
            }
            return state;
        }

        public override void WriteChannel(Utf8JsonWriter writer, ChatState state, int channel) => Write(writer, state.Messages);

        public override ChatState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values)
        {
            if (!values.TryGetValue("messages", out var json))
            {
                return new();
            }
            var reader = new Utf8JsonReader(json.Span);
            reader.Read();
            return new() { Messages = Read(ref reader) };
        }

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<ChatState> update, int channel) =>
            Write(writer, ((Update)update).Messages);

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<ChatState> update, int channel) =>
            ((Update)update).Set(Read(ref reader));

        private static void Write(Utf8JsonWriter writer, IEnumerable<ChatMessage> messages)
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                JsonSerializer.Serialize(writer, message, MessageInfo);
            }
            writer.WriteEndArray();
        }

        private static ImmutableList<ChatMessage> Read(ref Utf8JsonReader reader)
        {
            var messages = ImmutableList.CreateBuilder<ChatMessage>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                messages.Add(JsonSerializer.Deserialize(ref reader, MessageInfo)!);
            }
            return messages.ToImmutable();
        }
    }
}
