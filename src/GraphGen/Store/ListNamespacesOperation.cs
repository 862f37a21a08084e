namespace GraphGen.Store;

/// <summary>
/// Lists namespaces, as <see cref="IStore.ListNamespacesAsync"/>; its batch result is the list of namespaces.
/// </summary>
/// <param name="Prefix">Labels the namespaces start with; <c>"*"</c> matches any one label.</param>
/// <param name="Suffix">Labels the namespaces end with; <c>"*"</c> matches any one label.</param>
/// <param name="MaxDepth">Cut namespaces to this many labels, merging the ones that become equal.</param>
/// <param name="Limit">The most namespaces to return.</param>
/// <param name="Offset">How many namespaces to skip first.</param>
public sealed record ListNamespacesOperation(
    IReadOnlyList<string>? Prefix = null,
    IReadOnlyList<string>? Suffix = null,
    int? MaxDepth = null,
    int Limit = 100,
    int Offset = 0) : StoreOperation;
