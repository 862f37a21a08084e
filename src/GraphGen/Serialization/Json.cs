using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GraphGen;

/// <summary>Small helpers to make <see cref="JsonElement"/> values (interrupt payloads, resume values) without reflection.</summary>
public static class Json
{
    /// <summary>A JSON string.</summary>
    public static JsonElement Of(string value) => Parse(w => w.WriteStringValue(value));

    /// <summary>A JSON boolean.</summary>
    public static JsonElement Of(bool value) => Parse(w => w.WriteBooleanValue(value));

    /// <summary>A JSON number.</summary>
    public static JsonElement Of(double value) => Parse(w => w.WriteNumberValue(value));

    /// <summary>A JSON number.</summary>
    public static JsonElement Of(long value) => Parse(w => w.WriteNumberValue(value));

    /// <summary>Any value, serialized with source-generated (AOT-safe) metadata.</summary>
    public static JsonElement Of<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToElement(value, typeInfo);

    /// <summary>Parses JSON text.</summary>
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Reads one JSON value from UTF-8 bytes.</summary>
    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        using var document = JsonDocument.Parse(utf8);
        return document.RootElement.Clone();
    }

    /// <summary>The UTF-8 bytes of a value.</summary>
    public static byte[] ToUtf8(JsonElement value) => Write(value.WriteTo);

    /// <summary>
    /// How every stored value is written: checkpoints are stored, never embedded in HTML, so non-ASCII text stays
    /// readable UTF-8 instead of <c>\uXXXX</c> escapes.
    /// </summary>
    internal static readonly JsonWriterOptions StoredWriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Runs <paramref name="write"/> on a fresh writer and returns the UTF-8 bytes; non-ASCII text stays UTF-8, as in
    /// every other stored value.
    /// </summary>
    public static byte[] Write(Action<Utf8JsonWriter> write) => ScratchWriter.Serialize(write, static (writer, w) => w(writer));

    private static JsonElement Parse(Action<Utf8JsonWriter> write) => Parse((ReadOnlyMemory<byte>)Write(write));
}
