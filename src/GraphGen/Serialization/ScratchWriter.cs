using System.Buffers;
using System.Text.Json;

namespace GraphGen;

/// <summary>
/// A per-thread JSON writer and buffer for serializing channel values: every checkpoint serializes its changed
/// channels, and reusing one buffer leaves the returned array as the only allocation. A nested use on the same
/// thread (a converter that serializes a sub-state) gets a fresh writer instead, as STJ's own writer cache does.
/// </summary>
internal static class ScratchWriter
{
    // A buffer grown by one huge value is not kept for the rest of the thread's life.
    private const int MaxRetainedBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static int t_depth;

    /// <summary>Serializes with <paramref name="write"/>; the writer never outlives the call.</summary>
    public static byte[] Serialize<TArg>(TArg arg, Action<Utf8JsonWriter, TArg> write)
    {
        if (t_depth > 0)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var nested = new Utf8JsonWriter(buffer, Json.StoredWriterOptions))
            {
                write(nested, arg);
            }
            return buffer.WrittenSpan.ToArray();
        }
        t_depth++;
        try
        {
            var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
            buffer.ResetWrittenCount();
            var writer = t_writer ??= new Utf8JsonWriter(buffer, Json.StoredWriterOptions);
            writer.Reset(buffer);
            write(writer, arg);
            writer.Flush();
            var bytes = buffer.WrittenSpan.ToArray();
            if (buffer.Capacity > MaxRetainedBytes)
            {
                t_buffer = null;
                t_writer = null;
            }
            return bytes;
        }
        finally
        {
            t_depth--;
        }
    }
}
