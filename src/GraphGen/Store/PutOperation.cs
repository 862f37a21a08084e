using System.Text.Json;

namespace GraphGen.Store;

/// <summary>
/// Writes one item, as <see cref="IStore.PutAsync"/>, or deletes it when <paramref name="Value"/> is
/// <see langword="null"/>, as <see cref="IStore.DeleteAsync"/>; its batch result is <see langword="null"/>.
/// </summary>
/// <param name="Namespace">The item's namespace.</param>
/// <param name="Key">The item's key.</param>
/// <param name="Value">The JSON object to store, or <see langword="null"/> to delete the item.</param>
/// <param name="Index">The fields to embed: <see langword="null"/> for the store's default fields, empty for none.</param>
/// <param name="Ttl">The item's lifetime: <see langword="null"/> for the store's default, <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
public sealed record PutOperation(
    IReadOnlyList<string> Namespace,
    string Key,
    JsonElement? Value,
    IReadOnlyList<string>? Index = null,
    TimeSpan? Ttl = null) : StoreOperation;
