using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

namespace GraphGen;

/// <summary>
/// Deterministic ids: the same checkpoint always prepares tasks with the same ids, which is how saved pending
/// writes are matched to tasks when a failed or interrupted step is resumed. Stored writes carry these ids, so the
/// text hashed and the hash never change.
/// </summary>
internal static class TaskIds
{
    public static string ForTask(string checkpointId, string checkpointNs, int step, string node, string kind, int index)
    {
        // Formatted straight into UTF-8 (every prepared task and every listed snapshot comes through here); the text is
        // what the interpolated string has always been.
        Span<byte> text = stackalloc byte[256];
        return Utf8.TryWrite(text, $"{checkpointId}|{checkpointNs}|{step}|{kind}|{node}|{index}", out var length)
            ? Hash(text[..length])
            : Hash(Encoding.UTF8.GetBytes($"{checkpointId}|{checkpointNs}|{step}|{kind}|{node}|{index}"));
    }

    public static string InterruptId(string taskId, int index) => Hash(Encoding.UTF8.GetBytes($"{taskId}|interrupt|{index}"));

    // One hasher per thread, reused: the one-shot SHA256.HashData sets up a new hash context on every call, which
    // costs more than hashing these few bytes (it showed in profiles of history listings).
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static string Hash(ReadOnlySpan<byte> text)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(text);
        Span<byte> hash = stackalloc byte[32];
        sha256.GetHashAndReset(hash);
        return new Guid(hash[..16]).ToString();
    }
}
