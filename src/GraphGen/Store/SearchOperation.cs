namespace GraphGen.Store;

/// <summary>Searches items, as <see cref="IStore.SearchAsync"/>; its batch result is the list of <see cref="SearchItem"/>s.</summary>
/// <param name="NamespacePrefix">The labels the items' namespaces start with; empty for every namespace.</param>
/// <param name="Query">Text to rank by meaning, when the store has an index.</param>
/// <param name="Filter">Conditions on the items' values, see <see cref="IStore.SearchAsync"/>.</param>
/// <param name="Limit">The most items to return.</param>
/// <param name="Offset">How many matching items to skip first.</param>
/// <param name="RefreshTtl">Whether to restart the returned items' lifetimes; <see langword="null"/> uses the store's setting.</param>
public sealed record SearchOperation(
    IReadOnlyList<string> NamespacePrefix,
    string? Query = null,
    IReadOnlyDictionary<string, object?>? Filter = null,
    int Limit = 10,
    int Offset = 0,
    bool? RefreshTtl = null) : StoreOperation;
