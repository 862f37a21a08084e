using System.Text.Json;

namespace GraphGen.Tests.States;

/// <summary>
/// A state written by hand against the contract, without the generator: proves the contract alone is enough
/// (runtime-built states, other languages). Shaped like what the generator emits.
/// </summary>
public sealed record HandWrittenCounterState : IGraphState<HandWrittenCounterState>
{
    public int Count { get; init; }

    public static StateSchema<HandWrittenCounterState> Schema { get; } = new HandWrittenCounterSchema();

    public sealed class Update : StateUpdate<HandWrittenCounterState>
    {
        public int Count { get => Get<int>(0); init => Set(0, value); }
    }

    private sealed class HandWrittenCounterSchema() : StateSchema<HandWrittenCounterState>([new("count", IsLastValue: true)])
    {
        public override HandWrittenCounterState CreateInitial() => new();

        public override StateUpdate<HandWrittenCounterState> CreateUpdate() => new Update();

        public override HandWrittenCounterState Apply(HandWrittenCounterState state, ReadOnlySpan<StateUpdate<HandWrittenCounterState>> updates)
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

        public override void WriteChannel(Utf8JsonWriter writer, HandWrittenCounterState state, int channel) => writer.WriteNumberValue(state.Count);

        public override HandWrittenCounterState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values, HandWrittenCounterState basis) =>
            basis with { Count = values.TryGetValue("count", out var v) ? JsonSerializer.Deserialize(v.Span, TestJson.Default.Int32) : basis.Count };

        public override void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<HandWrittenCounterState> update, int channel) =>
            writer.WriteNumberValue(((Update)update).Count);

        public override object? ReadUpdateValue(ref Utf8JsonReader reader, int channel) => reader.GetInt32();
    }
}
