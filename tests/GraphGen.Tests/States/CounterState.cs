using System.Text.Json;

namespace GraphGen.Tests.States;

/// <summary>A hand-written state with one last-value channel, shaped like what the generator emits.</summary>
public sealed record CounterState : IGraphState<CounterState>
{
    public int Count { get; init; }

    public static StateSchema<CounterState> Schema { get; } = new CounterSchema();

    public sealed class Update : StateUpdate<CounterState>
    {
        private int _count;

        public int Count
        {
            get => _count;
            init => Set(value);
        }

        internal void Set(int value)
        {
            _count = value;
            MarkWritten(0);
        }
    }

    private sealed class CounterSchema : StateSchema<CounterState>
    {
        public override IReadOnlyList<StateChannel> Channels { get; } = [new("count", IsLastValue: true)];

        public override CounterState CreateInitial() => new();

        public override StateUpdate<CounterState> CreateUpdate() => new Update();

        public override CounterState Apply(CounterState state, ReadOnlySpan<StateUpdate<CounterState>> updates)
        {
            var count = state.Count;
            foreach (var update in updates)
            {
                if (update.Writes(0))
                {
                    count = ((Update)update).Count;
                }
            }
            return state with { Count = count };
        }

        public override void WriteChannel(Utf8JsonWriter writer, CounterState state, int channel) => writer.WriteNumberValue(state.Count);

        public override CounterState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) =>
            new() { Count = values.TryGetValue("count", out var v) ? JsonSerializer.Deserialize(v.Span, TestJson.Default.Int32) : 0 };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<CounterState> update, int channel) =>
            writer.WriteNumberValue(((Update)update).Count);

        public override void ReadUpdateChannel(ref Utf8JsonReader reader, StateUpdate<CounterState> update, int channel) =>
            ((Update)update).Set(reader.GetInt32());
    }
}
