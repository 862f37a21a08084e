using System.Text;
using System.Text.Json;

namespace GraphGen.Checkpointing;

/// <summary>
/// Metadata stored beside a checkpoint and searchable with a filter: source, step, parents, run id,
/// plus custom entries (from <c>GraphConfig.Metadata</c>) with string, number or boolean values.
/// </summary>
public sealed record CheckpointMetadata
{
    /// <summary>What created the checkpoint.</summary>
    public CheckpointSource Source { get; init; }

    /// <summary>-1 for the first input checkpoint of a thread, 0 for the first loop checkpoint, then +1 per step.</summary>
    public int Step { get; init; }

    /// <summary>Checkpoint namespace → checkpoint id of the parent graphs (empty for the root graph).</summary>
    public IReadOnlyDictionary<string, string> Parents { get; init; } = EmptyParents;

    /// <summary>The run that wrote the checkpoint.</summary>
    public string? RunId { get; init; }

    /// <summary>Custom entries; values are <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or null.</summary>
    public IReadOnlyDictionary<string, object?> Custom { get; init; } = EmptyCustom;

    private static readonly IReadOnlyDictionary<string, string> EmptyParents = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, object?> EmptyCustom = new Dictionary<string, object?>();

    /// <summary>The reserved keys of the JSON form; custom entries cannot use them.</summary>
    public static IReadOnlySet<string> ReservedKeys { get; } = new HashSet<string>(StringComparer.Ordinal) { "source", "step", "parents", "run_id" };

    /// <summary>Serializes to the JSON object every saver stores (<c>{"source":"loop","step":3,...}</c>).</summary>
    public byte[] ToJson() => Json.Write(WriteTo);

    /// <summary>Writes the JSON object form.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("source", SourceName(Source));
        writer.WriteNumber("step", Step);
        writer.WriteStartObject("parents");
        foreach (var (ns, id) in Parents)
        {
            writer.WriteString(ns, id);
        }
        writer.WriteEndObject();
        if (RunId is not null)
        {
            writer.WriteString("run_id", RunId);
        }
        foreach (var (key, value) in Custom)
        {
            writer.WritePropertyName(key);
            MetadataValues.Write(writer, value);
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads the JSON object form written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The JSON is not a metadata object.</exception>
    public static CheckpointMetadata FromJson(ReadOnlySpan<byte> json)
    {
        // A reader, not a JsonDocument: every checkpoint read and every listed row comes through here, and most
        // metadata has no parents and no custom entries, so neither dictionary is allocated for them.
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Checkpoint metadata must be a JSON object, not {reader.TokenType}.");
        }
        var source = CheckpointSource.Loop;
        var step = 0;
        string? runId = null;
        Dictionary<string, string>? parents = null;
        Dictionary<string, object?>? custom = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("source"u8))
            {
                reader.Read();
                source = ParseSource(ref reader);
            }
            else if (reader.ValueTextEquals("step"u8))
            {
                reader.Read();
                step = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("run_id"u8))
            {
                reader.Read();
                runId = reader.GetString();
            }
            else if (reader.ValueTextEquals("parents"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw new JsonException($"Checkpoint metadata 'parents' must be a JSON object, not {reader.TokenType}.");
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var ns = reader.GetString()!;
                    reader.Read();
                    (parents ??= new(StringComparer.Ordinal))[ns] = reader.GetString() ?? "";
                }
            }
            else
            {
                var key = reader.GetString()!;
                reader.Read();
                (custom ??= new(StringComparer.Ordinal))[key] = MetadataValues.Read(ref reader);
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException($"Checkpoint metadata has {reader.TokenType} where its end should be.");
        }
        return new CheckpointMetadata
        {
            Source = source,
            Step = step,
            RunId = runId,
            Parents = parents ?? EmptyParents,
            Custom = custom ?? EmptyCustom,
        };
    }

    /// <summary>Reads the JSON object form from a parsed element.</summary>
    /// <exception cref="JsonException">The element is not a metadata object.</exception>
    public static CheckpointMetadata FromElement(JsonElement root) => FromJson(Encoding.UTF8.GetBytes(root.GetRawText()));

    /// <summary>
    /// True when every filter entry equals the metadata entry of the same key (exact match, as LangGraph's
    /// savers do). Keys <c>source</c>, <c>step</c> and <c>run_id</c> match the typed fields.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, object?>? filter)
    {
        if (filter is null)
        {
            return true;
        }
        foreach (var (key, expected) in filter)
        {
            object? actual;
            switch (key)
            {
                case "source": actual = SourceName(Source); break;
                case "step": actual = (long)Step; break;
                case "run_id": actual = RunId; break;
                default:
                    if (!Custom.TryGetValue(key, out actual))
                    {
                        return false;
                    }
                    break;
            }
            if (!MetadataValues.AreEqual(actual, expected))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The JSON name of a source (<c>input</c>, <c>loop</c>, <c>update</c>, <c>fork</c>).</summary>
    public static string SourceName(CheckpointSource source) => source switch
    {
        CheckpointSource.Input => "input",
        CheckpointSource.Loop => "loop",
        CheckpointSource.Update => "update",
        CheckpointSource.Fork => "fork",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown checkpoint source."),
    };

    private static CheckpointSource ParseSource(ref Utf8JsonReader reader) =>
        reader.TokenType != JsonTokenType.String ? throw new JsonException($"The checkpoint source must be a string, not {reader.TokenType}.")
        : reader.ValueTextEquals("input"u8) ? CheckpointSource.Input
        : reader.ValueTextEquals("loop"u8) ? CheckpointSource.Loop
        : reader.ValueTextEquals("update"u8) ? CheckpointSource.Update
        : reader.ValueTextEquals("fork"u8) ? CheckpointSource.Fork
        : throw new JsonException($"Unknown checkpoint source '{reader.GetString()}'.");
}
