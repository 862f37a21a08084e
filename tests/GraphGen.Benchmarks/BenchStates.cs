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

/// <summary>System.Text.Json's own source generator for the same record: the bar the generated serializer must meet.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchChatState))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
