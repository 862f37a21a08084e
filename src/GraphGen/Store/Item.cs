using System.Text.Json;

namespace GraphGen.Store;

/// <summary>A value kept in an <see cref="IStore"/>: a JSON object filed under a namespace and a key.</summary>
/// <param name="Namespace">The labels the item is filed under, outermost first, for example <c>["users", "42", "memories"]</c>.</param>
/// <param name="Key">The item's key, unique within its namespace.</param>
/// <param name="Value">The stored JSON object.</param>
/// <param name="CreatedAt">When the key was first written (kept when the item is overwritten).</param>
/// <param name="UpdatedAt">When the item was last written.</param>
/// <remarks>
/// Two items are equal when all their fields are, the value compared as JSON (property order and number
/// spelling aside), like LangGraph's <c>Item</c>; the hash uses the namespace and key only.
/// </remarks>
public record Item(
    IReadOnlyList<string> Namespace,
    string Key,
    JsonElement Value,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <inheritdoc/>
    public virtual bool Equals(Item? other) =>
        other is not null
        && EqualityContract == other.EqualityContract
        && Key == other.Key
        && Namespace.SequenceEqual(other.Namespace)
        && CreatedAt == other.CreatedAt
        && UpdatedAt == other.UpdatedAt
        && JsonElement.DeepEquals(Value, other.Value);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in Namespace) hash.Add(label);
        hash.Add(Key);
        return hash.ToHashCode();
    }
}
