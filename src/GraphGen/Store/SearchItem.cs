using System.Text.Json;

namespace GraphGen.Store;

/// <summary>An item found by <see cref="IStore.SearchAsync"/>, with how well it matched the query.</summary>
/// <param name="Namespace">The labels the item is filed under.</param>
/// <param name="Key">The item's key, unique within its namespace.</param>
/// <param name="Value">The stored JSON object.</param>
/// <param name="CreatedAt">When the key was first written.</param>
/// <param name="UpdatedAt">When the item was last written.</param>
/// <param name="Score">
/// The best cosine similarity between the query and the item's embedded fields; <see langword="null"/> when
/// the search had no query, the store has no index, or the item was stored without vectors.
/// </param>
public sealed record SearchItem(
    IReadOnlyList<string> Namespace,
    string Key,
    JsonElement Value,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    double? Score) : Item(Namespace, Key, Value, CreatedAt, UpdatedAt)
{
    /// <summary>Wraps a stored item with its score.</summary>
    public SearchItem(Item item, double? score)
        : this(item.Namespace, item.Key, item.Value, item.CreatedAt, item.UpdatedAt, score) { }
}
