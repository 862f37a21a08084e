namespace GraphGen.Generators.Parsing;

/// <summary>Why a type cannot be serialized: where inside it (<c>.Tools[].Handler</c>), the type found there, and why.</summary>
internal sealed record SerializationFailure(string Path, string Type, string Reason)
{
    /// <summary>The same failure seen from the type that contains it through <paramref name="segment"/>.</summary>
    public SerializationFailure Under(string segment) => this with { Path = segment + Path };
}
