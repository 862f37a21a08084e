using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace GraphGen.Benchmarks;

/// <summary>The chat state of the serializer and Apply benchmarks.</summary>
[GraphState]
public partial record BenchChatState
{
    [Reducer(typeof(AddMessages))]
    public ImmutableList<ChatMessage> Messages { get; init; } = [];

    public string? Summary { get; init; }

    [Reducer(typeof(Sum))]
    public int Turns { get; init; }
}

/// <summary>A chat state of plain records: measures GraphGen's own generated code, not Microsoft.Extensions.AI's.</summary>
[GraphState]
public partial record BenchRecordChatState
{
    [Reducer(typeof(Append))]
    public ImmutableList<BenchMessage> Messages { get; init; } = [];

    public string? Summary { get; init; }

    public int Turns { get; init; }
}

/// <summary>A chat message as an application might model it.</summary>
public sealed record BenchMessage(Guid Id, BenchRole Role, string Content, DateTimeOffset At, ImmutableArray<string> Tags);

/// <summary>Who wrote a message.</summary>
public enum BenchRole
{
    /// <summary>The person.</summary>
    User,
    /// <summary>The model.</summary>
    Assistant,
}

/// <summary>System.Text.Json's own source generator for the same record: the bar the generated serializer must meet.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(BenchChatState))]
[JsonSerializable(typeof(BenchRecordChatState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
