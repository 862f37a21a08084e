namespace GraphGen;

/// <summary>
/// After the reducer runs, keeps only the last <paramref name="keepLast"/> items of a list property
/// (<see cref="Trim.KeepLast{T}(System.Collections.Immutable.ImmutableList{T}, int)"/>).
/// </summary>
/// <param name="keepLast">How many items to keep.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class TrimAttribute(int keepLast) : Attribute
{
    /// <summary>How many items to keep.</summary>
    public int KeepLast { get; } = keepLast;

    /// <summary>For chat messages: never drop system messages (they count toward <see cref="KeepLast"/>).</summary>
    public bool KeepSystem { get; init; }
}
