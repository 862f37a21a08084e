using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace GraphGen.Tests.States;

/// <summary>Source-generated JSON metadata for the hand-written test states.</summary>
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ImmutableList<string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class TestJson : JsonSerializerContext;
