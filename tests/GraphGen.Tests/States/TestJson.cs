using System.Text.Json.Serialization;

namespace GraphGen.Tests.States;

/// <summary>Source-generated JSON metadata for the hand-written test state.</summary>
[JsonSerializable(typeof(int))]
internal sealed partial class TestJson : JsonSerializerContext;
