using System.Text;

namespace GraphGen.Conformance.Helpers;

/// <summary>Serialized values as the runtime hands them to a saver: UTF-8 JSON.</summary>
public static class Bytes
{
    /// <summary>The UTF-8 bytes of a JSON text.</summary>
    public static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>The text of UTF-8 bytes.</summary>
    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    /// <summary>
    /// A JSON list grown by <paramref name="items"/> the way the runtime splices it (the stored list without its closing
    /// bracket, a comma, the new items, the bracket), and how many leading bytes it shares with <paramref name="current"/>.
    /// </summary>
    public static (byte[] Value, int SharedPrefix) Append(byte[]? current, IReadOnlyList<string> items)
    {
        if (current is null)
        {
            return (Json($"[{string.Join(',', items)}]"), 0);
        }
        var head = Encoding.UTF8.GetString(current, 0, current.Length - 1);
        var comma = current.Length > 2 && items.Count > 0 ? "," : "";
        return (Json($"{head}{comma}{string.Join(',', items)}]"), current.Length - 1);
    }

    /// <summary>A JSON string value of about <paramref name="size"/> bytes, varied so that no two regions look alike.</summary>
    public static byte[] Large(int size, int seed = 0)
    {
        var buffer = new byte[size];
        buffer[0] = (byte)'"';
        for (var i = 1; i < size - 1; i++)
        {
            buffer[i] = (byte)('a' + ((i * 7 + seed + (i >> 10)) % 26));
        }
        buffer[^1] = (byte)'"';
        return buffer;
    }
}
