using System.Text.Json;

namespace GraphGen.Checkpointing;

/// <summary>
/// The scalar values allowed in custom checkpoint metadata and filters: string, integers, floating
/// point numbers, booleans and null. One place for their JSON form and their equality.
/// </summary>
public static class MetadataValues
{
    /// <summary>Returns the value normalized to string, long, double, bool or null.</summary>
    /// <exception cref="ArgumentException">The value is of another type.</exception>
    public static object? Normalize(string key, object? value) => value switch
    {
        null or string or bool or long or double => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        Enum e => e.ToString(),
        _ => throw new ArgumentException(
            $"Metadata entry '{key}' has a value of type {value.GetType().Name}; use a string, number, boolean or null.", nameof(value)),
    };

    /// <summary>
    /// A metadata filter as the JSON object it matches by containment (PostgreSQL's <c>metadata @&gt; filter</c>): keys
    /// <c>source</c>, <c>step</c> and <c>run_id</c> address the typed fields, as in <see cref="CheckpointMetadata.ToJson"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not a string, number, boolean or null.</exception>
    public static byte[] FilterToJson(IReadOnlyDictionary<string, object?> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        foreach (var (key, value) in filter)
        {
            Normalize(key, value);
        }
        return Json.Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var (key, value) in filter)
            {
                writer.WritePropertyName(key);
                Write(writer, value);
            }
            writer.WriteEndObject();
        });
    }

    internal static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (Normalize("value", value))
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
        }
    }

    /// <summary>The value at the reader (on its first token), normalized; the reader is left on its last token.</summary>
    internal static object? Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.String: return reader.GetString();
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            // Boxed per branch: a plain conditional would type both as double and turn every integer into one.
            case JsonTokenType.Number: return reader.TryGetInt64(out var l) ? l : (object)reader.GetDouble();
            default:
                // Nested objects and arrays are kept as their JSON text; they can be read but not filtered on.
                using (var document = JsonDocument.ParseValue(ref reader))
                {
                    return document.RootElement.GetRawText();
                }
        }
    }

    /// <summary>Equality after normalization; integers and doubles compare by value.</summary>
    public static bool AreEqual(object? actual, object? expected)
    {
        actual = Normalize("actual", actual);
        expected = Normalize("filter", expected);
        return (actual, expected) switch
        {
            (null, null) => true,
            (long a, double e) => a == e,
            (double a, long e) => a == e,
            _ => Equals(actual, expected),
        };
    }
}
