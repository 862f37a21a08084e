using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.States;

/// <summary>A chat state whose Messages reducer is AddMessages wrapped in Trim(keep last 10, keep system messages).</summary>
public sealed record TrimmedChatState : IGraphState<TrimmedChatState>
{
    public const int KeepLast = 10;

    public ImmutableList<ChatMessage> Messages { get; init; } = [];

    public static StateSchema<TrimmedChatState> Schema { get; } = new TrimmedSchema();

    public sealed class Update : StateUpdate<TrimmedChatState>
    {
        private ImmutableList<ChatMessage> _messages = [];

        public IEnumerable<ChatMessage> Messages { get => _messages; init => Set(value); }

        internal void Set(IEnumerable<ChatMessage> value) { _messages = [.. value]; MarkWritten(0); }
    }

    private sealed class TrimmedSchema : StateSchema<TrimmedChatState>
    {
        public override IReadOnlyList<StateChannel> Channels { get; } = [new("messages", IsLastValue: false)];

        public override TrimmedChatState CreateInitial() => new();

        public override StateUpdate<TrimmedChatState> CreateUpdate() => new Update();

        public override TrimmedChatState Apply(TrimmedChatState state, ReadOnlySpan<StateUpdate<TrimmedChatState>> updates)
        {
            var messages = state.Messages;
            foreach (var update in updates)
            {
                messages = Trim.KeepLast(AddMessages.Reduce(messages, ((Update)update).Messages), KeepLast, keepSystem: true);
            }
            return new TrimmedChatState { Messages = messages };
        }

        public override void WriteChannel(Utf8JsonWriter writer, TrimmedChatState state, int channel) => MessageJson.WriteMessages(writer, state.Messages);

        public override TrimmedChatState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) =>
            new() { Messages = values.TryGetValue("messages", out var m) ? MessageJson.ReadMessages(m.Span) : [] };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<TrimmedChatState> update, int channel) =>
            MessageJson.WriteMessages(writer, ((Update)update).Messages);

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<TrimmedChatState> update, int channel) =>
            ((Update)update).Set(MessageJson.ReadMessages(ref reader));
    }
}
