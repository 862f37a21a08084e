using Microsoft.Extensions.AI;

namespace GraphGen.Store;

/// <summary>Turns on semantic search in a store: which fields of each value are embedded, and with what.</summary>
public sealed class StoreIndexOptions
{
    /// <summary>Turns each field's text into a vector; called when items are put and when a search has a query.</summary>
    public required IEmbeddingGenerator<string, Embedding<float>> Embedder { get; init; }

    /// <summary>The length of the vectors <see cref="Embedder"/> returns; a vector of another length is an error.</summary>
    public required int Dimensions { get; init; }

    /// <summary>
    /// The paths embedded by default, each text found becoming its own vector: <c>"$"</c> (the whole value as
    /// JSON), <c>"a.b"</c>, <c>"arr[0]"</c>, <c>"arr[-1]"</c> (the last element) or <c>"arr[*].x"</c> (every
    /// element). Strings are embedded as they are, other values as JSON text, nulls and missing paths not at all.
    /// <see cref="IStore.PutAsync"/> can name other fields for one item.
    /// </summary>
    public IReadOnlyList<string> Fields { get; init; } = ["$"];
}
