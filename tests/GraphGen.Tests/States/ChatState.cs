using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.States;

/// <summary>A hand-written chat state: <c>Messages</c> merges by id (AddMessages); <c>Summary</c> is last-value.</summary>
public sealed record ChatState : IGraphState<ChatState>
{
    public ImmutableList<ChatMessage> Messages { get; init; } = [];

    public string? Summary { get; init; }

    public static StateSchema<ChatState> Schema { get; } = new ChatSchema();

    public sealed class Update : StateUpdate<ChatState>
    {
        private ImmutableList<ChatMessage> _messages = [];
        private string? _summary;

        public IEnumerable<ChatMessage> Messages { get => _messages; init => SetMessages(value); }

        public string? Summary { get => _summary; init => SetSummary(value); }

        internal void SetMessages(IEnumerable<ChatMessage> value) { _messages = [.. value]; MarkWritten(0); }

        internal void SetSummary(string? value) { _summary = value; MarkWritten(1); }
    }

    private sealed class ChatSchema : StateSchema<ChatState>
    {
        public override IReadOnlyList<StateChannel> Channels { get; } = [new("messages", IsLastValue: false), new("summary", IsLastValue: true)];

        public override ChatState CreateInitial() => new();

        public override StateUpdate<ChatState> CreateUpdate() => new Update();

        public override ChatState Apply(ChatState state, ReadOnlySpan<StateUpdate<ChatState>> updates)
        {
            var (messages, summary) = (state.Messages, state.Summary);
            foreach (var u in updates)
            {
                var update = (Update)u;
                if (update.Writes(0)) messages = AddMessages.Reduce(messages, update.Messages);
                if (update.Writes(1)) summary = update.Summary;
            }
            return new ChatState { Messages = messages, Summary = summary };
        }

        public override void WriteChannel(Utf8JsonWriter writer, ChatState state, int channel)
        {
            if (channel == 0) MessageJson.WriteMessages(writer, state.Messages);
            else MessageJson.WriteString(writer, state.Summary);
        }

        public override ChatState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) => new()
        {
            Messages = values.TryGetValue("messages", out var m) ? MessageJson.ReadMessages(m.Span) : [],
            Summary = values.TryGetValue("summary", out var s) ? JsonSerializer.Deserialize(s.Span, TestJson.Default.String) : null,
        };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<ChatState> u, int channel)
        {
            var update = (Update)u;
            if (channel == 0) MessageJson.WriteMessages(writer, update.Messages);
            else MessageJson.WriteString(writer, update.Summary);
        }

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<ChatState> u, int channel)
        {
            var update = (Update)u;
            if (channel == 0) update.SetMessages(MessageJson.ReadMessages(ref reader));
            else update.SetSummary(reader.TokenType == JsonTokenType.Null ? null : reader.GetString());
        }
    }
}
