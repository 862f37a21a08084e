using System.Buffers;
using System.Text.Json;

namespace GraphGen;

/// <summary>
/// A per-thread JSON writer and buffer for serializing channel values: every checkpoint serializes its changed
/// channels, and reusing one buffer leaves the returned array as the only allocation. Not reentrant: nothing
/// written through it may serialize through it again.
/// </summary>
internal static class ScratchWriter
{
    // A buffer grown by one huge value is not kept for the rest of the thread's life.
    private const int MaxRetainedBytes = 1 << 20;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Utf8JsonWriter Rent()
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        return writer;
    }

    public static byte[] ToArray(Utf8JsonWriter writer)
    {
        writer.Flush();
        var buffer = t_buffer!;
        var bytes = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > MaxRetainedBytes)
        {
            t_buffer = null;
            t_writer = null;
        }
        return bytes;
    }
}
