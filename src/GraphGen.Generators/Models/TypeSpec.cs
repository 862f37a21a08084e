using GraphGen.Generators.Helpers;

namespace GraphGen.Generators.Models;

/// <summary>How a type is serialized.</summary>
internal enum SerializerKind
{
    /// <summary>A JSON primitive written with a Utf8JsonWriter method (bool, numbers, string).</summary>
    Primitive,
    /// <summary>A sequence written as a JSON array (<see cref="TypeSpec.ElementKey"/> names the element).</summary>
    Sequence,
    /// <summary>A Microsoft.Extensions.AI type, through AIJsonUtilities.DefaultOptions (AOT-safe, source-generated).</summary>
    AIJson,
}

/// <summary>
/// One serializable type. The emitter writes <c>Write_{Key}(Utf8JsonWriter, T)</c> and <c>Read_{Key}(ref Utf8JsonReader)</c>
/// for it; <paramref name="Key"/> is a deterministic identifier-safe name.
/// </summary>
internal sealed record TypeSpec(
    string Key,
    string FullName,
    SerializerKind Kind,
    string? Primitive = null,
    string? ElementKey = null,
    string? ElementType = null,
    string? Construct = null);
