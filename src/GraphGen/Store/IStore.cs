using System.Text.Json;

namespace GraphGen.Store;

/// <summary>
/// Memory shared across threads: JSON objects filed under a namespace (a tuple of labels such as
/// <c>["users", "42", "memories"]</c>) and a key, with filtered and semantic search and optional lifetimes.
/// The contract follows LangGraph's <c>BaseStore</c>.
/// </summary>
/// <remarks>
/// Items past their lifetime are never returned, whether or not they have been swept away yet. All members
/// are safe to call concurrently.
/// </remarks>
public interface IStore
{
    /// <summary>The item under <paramref name="namespace"/> and <paramref name="key"/>, or <see langword="null"/>.</summary>
    /// <param name="namespace">The item's namespace.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="refreshTtl">Whether to restart the item's lifetime; <see langword="null"/> uses the store's setting.</param>
    /// <param name="ct">Cancels the call.</param>
    ValueTask<Item?> GetAsync(IReadOnlyList<string> @namespace, string key, bool? refreshTtl = null, CancellationToken ct = default);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="namespace"/> and <paramref name="key"/>, replacing
    /// any item there (which keeps its creation time). Its embeddings, if the store has an index, are computed
    /// before the call returns.
    /// </summary>
    /// <param name="namespace">The item's namespace; see <see cref="StoreNamespace.Validate"/> for the rules.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="value">A JSON object; the store keeps its own copy.</param>
    /// <param name="index">
    /// The fields to embed for this item (paths as in <see cref="StoreIndexOptions.Fields"/>): <see langword="null"/>
    /// for the store's default fields, empty to store the item without vectors. Ignored by stores without an index.
    /// </param>
    /// <param name="ttl">
    /// How long the item lives: <see langword="null"/> for the store's default, <see cref="Timeout.InfiniteTimeSpan"/>
    /// to keep it until it is deleted.
    /// </param>
    /// <param name="ct">Cancels the call.</param>
    /// <exception cref="InvalidNamespaceException">The namespace breaks a rule.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a JSON object, or a path in <paramref name="index"/> is malformed.</exception>
    ValueTask PutAsync(
        IReadOnlyList<string> @namespace,
        string key,
        JsonElement value,
        IReadOnlyList<string>? index = null,
        TimeSpan? ttl = null,
        CancellationToken ct = default);

    /// <summary>Deletes the item under <paramref name="namespace"/> and <paramref name="key"/>; nothing happens if there is none.</summary>
    /// <param name="namespace">The item's namespace.</param>
    /// <param name="key">The item's key.</param>
    /// <param name="ct">Cancels the call.</param>
    ValueTask DeleteAsync(IReadOnlyList<string> @namespace, string key, CancellationToken ct = default);

    /// <summary>
    /// Items whose namespace starts with <paramref name="namespacePrefix"/> (label by label: <c>["a", "b"]</c>
    /// matches <c>["a", "b", "c"]</c> but not <c>["a", "bc"]</c>) and whose value passes <paramref name="filter"/>.
    /// With a <paramref name="query"/> and an index they are ranked by <see cref="SearchItem.Score"/>, items
    /// without vectors last; otherwise newest <see cref="Item.UpdatedAt"/> first.
    /// </summary>
    /// <param name="namespacePrefix">The labels to search under; empty searches every namespace.</param>
    /// <param name="query">Text to rank by meaning; stores without an index ignore it.</param>
    /// <param name="filter">
    /// Every entry must hold. A key is a path into the value (<c>"a.b"</c>, <c>"arr[0]"</c>; a path that selects
    /// several values holds when one of them does). A plain value (string, number, bool, null or
    /// <see cref="JsonElement"/>) must equal the value at the path; an operator object such as
    /// <c>new Dictionary&lt;string, object?&gt; { ["$gte"] = 3, ["$lt"] = 5 }</c> applies <c>$eq</c>, <c>$ne</c>,
    /// <c>$gt</c>, <c>$gte</c>, <c>$lt</c>, <c>$lte</c>. Numbers compare as numbers, strings ordinally; an
    /// ordering between other kinds never holds, and a missing path counts as null.
    /// </param>
    /// <param name="limit">The most items to return.</param>
    /// <param name="offset">How many matching items to skip first.</param>
    /// <param name="refreshTtl">Whether to restart the returned items' lifetimes; <see langword="null"/> uses the store's setting.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <exception cref="ArgumentException">The filter uses an unknown operator, an unsupported value type or a malformed path.</exception>
    ValueTask<IReadOnlyList<SearchItem>> SearchAsync(
        IReadOnlyList<string> namespacePrefix,
        string? query = null,
        IReadOnlyDictionary<string, object?>? filter = null,
        int limit = 10,
        int offset = 0,
        bool? refreshTtl = null,
        CancellationToken ct = default);

    /// <summary>
    /// The namespaces that hold items, sorted label by label. With <paramref name="maxDepth"/>, each is cut to that
    /// many labels and duplicates are merged: given <c>["a","b","c"]</c>, <c>["a","b","d","e"]</c>,
    /// <c>["a","b","d","i"]</c> and <c>["a","b","f"]</c>, prefix <c>["a","b"]</c> with depth 3 gives
    /// <c>["a","b","c"]</c>, <c>["a","b","d"]</c>, <c>["a","b","f"]</c>.
    /// </summary>
    /// <param name="prefix">Labels the namespaces start with; <see cref="StoreNamespace.Wildcard"/> matches any one label.</param>
    /// <param name="suffix">Labels the namespaces end with; <see cref="StoreNamespace.Wildcard"/> matches any one label.</param>
    /// <param name="maxDepth">How many labels to keep of each namespace; at least 1.</param>
    /// <param name="limit">The most namespaces to return.</param>
    /// <param name="offset">How many namespaces to skip first.</param>
    /// <param name="ct">Cancels the call.</param>
    ValueTask<IReadOnlyList<IReadOnlyList<string>>> ListNamespacesAsync(
        IReadOnlyList<string>? prefix = null,
        IReadOnlyList<string>? suffix = null,
        int? maxDepth = null,
        int limit = 100,
        int offset = 0,
        CancellationToken ct = default);

    /// <summary>
    /// Runs <paramref name="operations"/> in order, as if called one after another, and returns one result per
    /// operation in the same order: an <see cref="Item"/> or <see langword="null"/> for a get,
    /// <see langword="null"/> for a put or delete, the list for a search or a namespace listing. An operation
    /// that throws stops the batch; the operations before it stay applied.
    /// </summary>
    /// <param name="operations">The operations to run.</param>
    /// <param name="ct">Cancels the call.</param>
    ValueTask<IReadOnlyList<object?>> BatchAsync(IReadOnlyList<StoreOperation> operations, CancellationToken ct = default);
}
