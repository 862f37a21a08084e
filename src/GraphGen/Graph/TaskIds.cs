using System.Security.Cryptography;
using System.Text;

namespace GraphGen;

/// <summary>
/// Deterministic ids: the same checkpoint always prepares tasks with the same ids, which is how saved pending
/// writes are matched to tasks when a failed or interrupted step is resumed.
/// </summary>
internal static class TaskIds
{
    public static string ForTask(string checkpointId, string checkpointNs, int step, string node, string kind, int index) =>
        Hash($"{checkpointId}|{checkpointNs}|{step}|{kind}|{node}|{index}");

    public static string InterruptId(string taskId, int index) => Hash($"{taskId}|interrupt|{index}");

    // One hasher per thread, reused: the one-shot SHA256.HashData sets up a new hash context on every call, which
    // costs more than hashing these few bytes (it showed in profiles of history listings).
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    private static string Hash(string text)
    {
        var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> bytes = stackalloc byte[256];
        var length = Encoding.UTF8.GetByteCount(text);
        var input = length <= bytes.Length ? bytes[..length] : new byte[length];
        Encoding.UTF8.GetBytes(text, input);
        sha256.AppendData(input);
        Span<byte> hash = stackalloc byte[32];
        sha256.GetHashAndReset(hash);
        return new Guid(hash[..16]).ToString();
    }
}
