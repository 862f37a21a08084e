using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace GraphGen.Checkpointing;

/// <summary>
/// The JSON form persistent savers store for a checkpoint without its channel values (those are stored once per
/// channel version, beside it): <c>{"v":4,"id":…,"ts":…,"channel_versions":{…},"versions_seen":{…},"updated_channels":[…]}</c>,
/// LangGraph's field names, readable with <c>sqlite3</c> or <c>psql</c>.
/// </summary>
public static class CheckpointJson
{
    /// <summary>Serializes everything of <paramref name="checkpoint"/> but its values and append hints.</summary>
    public static byte[] Write(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("v", checkpoint.V);
            writer.WriteString("id", checkpoint.Id);
            writer.WriteString("ts", checkpoint.Ts.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteStartObject("channel_versions");
            WriteMap(writer, checkpoint.ChannelVersions);
            writer.WriteEndObject();
            writer.WriteStartObject("versions_seen");
            foreach (var (node, seen) in checkpoint.VersionsSeen)
            {
                writer.WriteStartObject(node);
                WriteMap(writer, seen);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteStartArray("updated_channels");
            foreach (var channel in checkpoint.UpdatedChannels)
            {
                writer.WriteStringValue(channel);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Reads what <see cref="Write"/> wrote and attaches <paramref name="values"/>; unknown fields are ignored.</summary>
    /// <exception cref="JsonException">The JSON is not a checkpoint.</exception>
    public static Checkpoint Read(ReadOnlySpan<byte> json, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values)
    {
        var reader = new Utf8JsonReader(json);
        Expect(ref reader, JsonTokenType.StartObject);
        int v = Checkpoint.CurrentVersion;
        string? id = null;
        DateTimeOffset? ts = null;
        Dictionary<string, string>? versions = null;
        Dictionary<string, IReadOnlyDictionary<string, string>>? seen = null;
        List<string>? updated = null;
        // Field names are compared as UTF-8, not read into strings: every checkpoint read (each turn's head, each
        // listed row) goes through here.
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("v"u8))
            {
                reader.Read();
                v = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.GetString();
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                // ISO 8601 ("O", as written) is parsed from the UTF-8 bytes; anything else the lenient way, as before.
                ts = reader.TryGetDateTimeOffset(out var iso)
                    ? iso
                    : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            }
            else if (reader.ValueTextEquals("channel_versions"u8))
            {
                reader.Read();
                versions = ReadMap(ref reader);
            }
            else if (reader.ValueTextEquals("versions_seen"u8))
            {
                reader.Read();
                seen = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
                RequireToken(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var node = ReadName(ref reader);
                    reader.Read();
                    seen[node] = ReadMap(ref reader);
                }
            }
            else if (reader.ValueTextEquals("updated_channels"u8))
            {
                reader.Read();
                updated = [];
                RequireToken(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    updated.Add(ReadName(ref reader));
                }
            }
            else
            {
                // On a property name, Skip moves past its whole value.
                reader.Skip();
            }
        }
        return new Checkpoint
        {
            V = v,
            Id = id ?? throw new JsonException("The checkpoint JSON has no \"id\"."),
            Ts = ts ?? throw new JsonException("The checkpoint JSON has no \"ts\"."),
            ChannelValues = values,
            ChannelVersions = versions ?? throw new JsonException("The checkpoint JSON has no \"channel_versions\"."),
            VersionsSeen = seen ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal),
            UpdatedChannels = updated ?? [],
        };
    }

    private static void WriteMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> map)
    {
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }
    }

    private static Dictionary<string, string> ReadMap(ref Utf8JsonReader reader)
    {
        RequireToken(ref reader, JsonTokenType.StartObject);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = ReadName(ref reader);
            reader.Read();
            map[key] = ReadVersion(ref reader) ?? throw new JsonException($"The version of '{key}' is null.");
        }
        return map;
    }

    // Channel and node names: every checkpoint of an application repeats the same few, so each is allocated once
    // (bounded, in case names are made up at run time) instead of in every checkpoint read.
    private const int MaxNames = 4096;
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static int s_names;
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> NamesBySpan =
        Names.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The string at the reader (a property name or a string value), shared when it is a known name.</summary>
    private static string ReadName(ref Utf8JsonReader reader)
    {
        Span<char> buffer = stackalloc char[64];
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length || reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
        {
            return reader.GetString()!;
        }
        var name = buffer[..reader.CopyString(buffer)];
        if (NamesBySpan.TryGetValue(name, out var known))
        {
            return known;
        }
        var added = name.ToString();
        // A count of our own: ConcurrentDictionary.Count takes every lock.
        if (Volatile.Read(ref s_names) < MaxNames && Names.TryAdd(added, added))
        {
            Interlocked.Increment(ref s_names);
        }
        return added;
    }

    // Versions: the checkpoints of a listing repeat the versions of the channels that did not change, so the strings
    // last read on this thread are kept in a small direct-mapped table (bounded, lossy, no locks) and handed out again.
    private const int VersionSlots = 256;
    [ThreadStatic]
    private static string?[]? t_versions;

    /// <summary>The version string at the reader (null for a JSON null), the same instance as a recent read of it.</summary>
    private static string? ReadVersion(ref Utf8JsonReader reader)
    {
        Span<char> buffer = stackalloc char[64];
        if (reader.HasValueSequence || reader.ValueSpan.Length > buffer.Length || reader.TokenType != JsonTokenType.String)
        {
            return reader.GetString();
        }
        var text = buffer[..reader.CopyString(buffer)];
        ref var slot = ref (t_versions ??= new string?[VersionSlots])[(int)((uint)string.GetHashCode(text) % VersionSlots)];
        if (slot is null || !text.SequenceEqual(slot))
        {
            slot = text.ToString();
        }
        return slot;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        reader.Read();
        RequireToken(ref reader, type);
    }

    private static void RequireToken(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in the checkpoint JSON, found {reader.TokenType}.");
        }
    }
}
