namespace GraphGen.Store;

/// <summary>Reads one item, as <see cref="IStore.GetAsync"/>; its batch result is the <see cref="Item"/> or <see langword="null"/>.</summary>
/// <param name="Namespace">The item's namespace.</param>
/// <param name="Key">The item's key.</param>
/// <param name="RefreshTtl">Whether to restart the item's lifetime; <see langword="null"/> uses the store's setting.</param>
public sealed record GetOperation(IReadOnlyList<string> Namespace, string Key, bool? RefreshTtl = null) : StoreOperation;
