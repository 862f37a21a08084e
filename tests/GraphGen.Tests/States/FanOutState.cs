using System.Collections.Immutable;
using System.Text.Json;

namespace GraphGen.Tests.States;

/// <summary>
/// A hand-written state for parallel work: <c>Items</c> appends, <c>Total</c> sums, <c>Topic</c> is last-value.
/// </summary>
public sealed record FanOutState : IGraphState<FanOutState>
{
    public string Topic { get; init; } = "";

    public ImmutableList<string> Items { get; init; } = [];

    public int Total { get; init; }

    public static StateSchema<FanOutState> Schema { get; } = new FanOutSchema();

    public sealed class Update : StateUpdate<FanOutState>
    {
        private string _topic = "";
        private ImmutableList<string> _items = [];
        private int _total;

        public string Topic { get => _topic; init => SetTopic(value); }

        public IEnumerable<string> Items { get => _items; init => SetItems(value); }

        public int Total { get => _total; init => SetTotal(value); }

        internal void SetTopic(string value) { _topic = value; MarkWritten(0); }

        internal void SetItems(IEnumerable<string> value) { _items = [.. value]; MarkWritten(1); }

        internal void SetTotal(int value) { _total = value; MarkWritten(2); }
    }

    private sealed class FanOutSchema : StateSchema<FanOutState>
    {
        public override IReadOnlyList<StateChannel> Channels { get; } =
            [new("topic", IsLastValue: true), new("items", IsLastValue: false), new("total", IsLastValue: false)];

        public override FanOutState CreateInitial() => new();

        public override StateUpdate<FanOutState> CreateUpdate() => new Update();

        public override FanOutState Apply(FanOutState state, ReadOnlySpan<StateUpdate<FanOutState>> updates)
        {
            var (topic, items, total) = (state.Topic, state.Items, state.Total);
            foreach (var u in updates)
            {
                var update = (Update)u;
                if (update.Writes(0)) topic = update.Topic;
                if (update.Writes(1)) items = Append.Reduce(items, update.Items);
                if (update.Writes(2)) total = Sum.Reduce(total, update.Total);
            }
            return new FanOutState { Topic = topic, Items = items, Total = total };
        }

        public override void WriteChannel(Utf8JsonWriter writer, FanOutState state, int channel)
        {
            switch (channel)
            {
                case 0: writer.WriteStringValue(state.Topic); break;
                case 1: JsonSerializer.Serialize(writer, state.Items, TestJson.Default.ImmutableListString); break;
                default: writer.WriteNumberValue(state.Total); break;
            }
        }

        public override FanOutState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) => new()
        {
            Topic = values.TryGetValue("topic", out var t) ? JsonSerializer.Deserialize(t.Span, TestJson.Default.String) ?? "" : "",
            Items = values.TryGetValue("items", out var i) ? JsonSerializer.Deserialize(i.Span, TestJson.Default.ImmutableListString) ?? [] : [],
            Total = values.TryGetValue("total", out var n) ? JsonSerializer.Deserialize(n.Span, TestJson.Default.Int32) : 0,
        };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<FanOutState> u, int channel)
        {
            var update = (Update)u;
            switch (channel)
            {
                case 0: writer.WriteStringValue(update.Topic); break;
                case 1: JsonSerializer.Serialize(writer, (ImmutableList<string>)update.Items, TestJson.Default.ImmutableListString); break;
                default: writer.WriteNumberValue(update.Total); break;
            }
        }

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<FanOutState> u, int channel)
        {
            var update = (Update)u;
            switch (channel)
            {
                case 0: update.SetTopic(reader.GetString() ?? ""); break;
                case 1: update.SetItems(JsonSerializer.Deserialize(ref reader, TestJson.Default.ImmutableListString) ?? []); break;
                default: update.SetTotal(reader.GetInt32()); break;
            }
        }
    }
}
