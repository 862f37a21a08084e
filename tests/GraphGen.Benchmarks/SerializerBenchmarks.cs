using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace GraphGen.Benchmarks;

/// <summary>
/// Writing and reading a 20-message chat state: GraphGen's generated serializer against System.Text.Json's
/// source-generated one on the same record. Target: at least as fast, no more allocations.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private static readonly StateSchema<BenchChatState> Schema = SchemaOf<BenchChatState>();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private BenchChatState _state = null!;
    private byte[] _generatedJson = null!;
    private byte[] _stjJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        var messages = Enumerable.Range(0, 20).Select(i => new ChatMessage(i % 2 == 0 ? ChatRole.User : ChatRole.Assistant, $"message number {i} with some text")
        {
            MessageId = $"m{i:D4}",
        });
        _state = new BenchChatState { Messages = [.. messages], Summary = "a summary", Turns = 10 };
        _generatedJson = Schema.SerializeState(_state);
        _stjJson = JsonSerializer.SerializeToUtf8Bytes(_state, BenchJsonContext.Default.BenchChatState);
    }

    [Benchmark(Baseline = true)]
    public int WriteSystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _state, BenchJsonContext.Default.BenchChatState);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int WriteGenerated()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        Schema.WriteState(writer, _state);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public BenchChatState ReadSystemTextJson() => JsonSerializer.Deserialize(_stjJson, BenchJsonContext.Default.BenchChatState)!;

    [Benchmark]
    public BenchChatState ReadGenerated() => Schema.DeserializeState(_generatedJson);

    private static StateSchema<T> SchemaOf<T>() where T : IGraphState<T> => T.Schema;
}
