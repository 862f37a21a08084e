using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.AI;

namespace GraphGen.Benchmarks;

/// <summary>
/// Writing and reading a 20-message chat state: GraphGen's generated serializer against System.Text.Json's
/// source-generated one on the same record. Target: at least as fast, no more allocations. Two shapes: messages
/// as Microsoft.Extensions.AI ChatMessage (which both sides hand to M.E.AI's own serializer) and as plain records.
/// </summary>
[MemoryDiagnoser]
public class SerializerBenchmarks
{
    private static readonly StateSchema<BenchChatState> Schema = SchemaOf<BenchChatState>();
    private static readonly StateSchema<BenchRecordChatState> RecordSchema = SchemaOf<BenchRecordChatState>();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private BenchChatState _state = null!;
    private BenchRecordChatState _recordState = null!;
    private byte[] _generatedJson = null!;
    private byte[] _stjJson = null!;
    private byte[] _recordGeneratedJson = null!;
    private byte[] _recordStjJson = null!;

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
        var records = Enumerable.Range(0, 20).Select(i => new BenchMessage(
            new Guid(i, 0, 0, new byte[8]), i % 2 == 0 ? BenchRole.User : BenchRole.Assistant, $"message number {i} with some text",
            new DateTimeOffset(2026, 1, 1, 12, i, 0, TimeSpan.FromHours(1)), ["chat", $"t{i}"]));
        _recordState = new BenchRecordChatState { Messages = [.. records], Summary = "a summary", Turns = 10 };
        _recordGeneratedJson = RecordSchema.SerializeState(_recordState);
        _recordStjJson = JsonSerializer.SerializeToUtf8Bytes(_recordState, BenchJsonContext.Default.BenchRecordChatState);
    }

    [Benchmark]
    public int WriteRecordsSystemTextJson()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _recordState, BenchJsonContext.Default.BenchRecordChatState);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public int WriteRecordsGenerated()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        RecordSchema.WriteState(writer, _recordState);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public BenchRecordChatState ReadRecordsSystemTextJson() => JsonSerializer.Deserialize(_recordStjJson, BenchJsonContext.Default.BenchRecordChatState)!;

    [Benchmark]
    public BenchRecordChatState ReadRecordsGenerated() => RecordSchema.DeserializeState(_recordGeneratedJson);

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
