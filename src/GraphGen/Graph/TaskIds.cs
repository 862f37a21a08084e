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

    private static string Hash(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return new Guid(hash[..16]).ToString();
    }
}
