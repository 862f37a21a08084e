using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace GraphGen.Benchmarks;

/// <summary>
/// Applying one update of 10 messages to a 40-message chat through the generated reducers. Target: nothing is
/// allocated beyond the new state (the record and the new list nodes).
/// </summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private static readonly StateSchema<BenchChatState> Schema = SchemaOf<BenchChatState>();
    private BenchChatState _state = null!;
    private StateUpdate<BenchChatState>[] _updates = null!;

    [GlobalSetup]
    public void Setup()
    {
        _state = new BenchChatState { Messages = [.. Enumerable.Range(0, 40).Select(i => new ChatMessage(ChatRole.User, $"old {i}") { MessageId = $"old{i}" })] };
        var update = new BenchChatState.Update
        {
            Messages = [.. Enumerable.Range(0, 10).Select(i => new ChatMessage(ChatRole.Assistant, $"new {i}") { MessageId = $"new{i}" })],
            Turns = 1,
        };
        _updates = [update];
    }

    [Benchmark]
    public BenchChatState Apply10Messages() => Schema.Apply(_state, _updates);

    private static StateSchema<T> SchemaOf<T>() where T : IGraphState<T> => T.Schema;
}
