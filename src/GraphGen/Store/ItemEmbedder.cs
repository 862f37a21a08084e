using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen.Store;

/// <summary>
/// The semantic side of a store: picks the texts of an item's fields, embeds them, and scores items against a
/// query. Holds no items, so every store with an index can use it.
/// </summary>
internal sealed class ItemEmbedder
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly int _dimensions;
    private readonly IReadOnlyList<JsonFieldPath> _defaultFields;

    /// <exception cref="ArgumentException">The options are incomplete or a field path is malformed.</exception>
    public ItemEmbedder(StoreIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Embedder, "index.Embedder");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Dimensions, 1, "index.Dimensions");
        _generator = options.Embedder;
        _dimensions = options.Dimensions;
        _defaultFields = ParseFields(options.Fields ?? [], "index.Fields");
    }

    /// <summary>One vector per text found at <paramref name="fields"/> (the default fields when null); none when it is empty.</summary>
    public async ValueTask<IReadOnlyList<float[]>> EmbedItemAsync(JsonElement value, IReadOnlyList<string>? fields, CancellationToken ct)
    {
        var paths = fields is null ? _defaultFields : ParseFields(fields, "index");
        var texts = paths.SelectMany(path => path.Select(value)).Select(TextOf).OfType<string>().ToList();
        return texts.Count == 0 ? [] : await EmbedAsync(texts, ct).ConfigureAwait(false);
    }

    public async ValueTask<float[]> EmbedQueryAsync(string query, CancellationToken ct) =>
        (await EmbedAsync([query], ct).ConfigureAwait(false))[0];

    /// <summary>The best cosine similarity between the query and any of the item's vectors; null when it has none.</summary>
    public static double? Score(float[] query, IReadOnlyList<float[]> vectors) =>
        vectors.Count == 0 ? null : vectors.Max(vector => CosineSimilarity(query, vector));

    private async ValueTask<IReadOnlyList<float[]>> EmbedAsync(List<string> texts, CancellationToken ct)
    {
        var embeddings = await _generator.GenerateAsync(texts, cancellationToken: ct).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
            throw new GraphGenException(
                $"The store's embedding generator returned {embeddings.Count} embeddings for {texts.Count} texts; it must return one per text.");
        return embeddings.Select(embedding => embedding.Vector.Length == _dimensions
            ? embedding.Vector.ToArray()
            : throw new GraphGenException(
                $"The store's embedding generator returned a vector of {embedding.Vector.Length} dimensions, but StoreIndexOptions.Dimensions " +
                $"is {_dimensions}. Set Dimensions to the model's vector size.")).ToList();
    }

    /// <summary>Strings embed as they are, other values as their JSON text, nulls not at all (as LangGraph does).</summary>
    private static string? TextOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => element.GetRawText(),
    };

    private static List<JsonFieldPath> ParseFields(IReadOnlyList<string> fields, string parameter) =>
        fields.Select(field => JsonFieldPath.Parse(field, parameter)).ToList();

    private static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        // A zero vector points nowhere; it is unrelated to everything rather than undefined.
        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }
}
