using System.Text;
using GraphGen.Checkpointing;

namespace GraphGen.Sqlite.Tests;

/// <summary>Writes raw checkpoints the way the runtime does, to drive a saver directly.</summary>
internal static class Puts
{
    private static long s_clock = DateTimeOffset.UtcNow.UtcTicks;

    public static DateTimeOffset NextTime() => new(Interlocked.Add(ref s_clock, TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>
    /// Puts a checkpoint after <paramref name="parent"/> whose only channel "items" holds <paramref name="value"/> under a new
    /// version; with <paramref name="appendedFrom"/> (the parent's value and version) it passes the runtime's append hint.
    /// </summary>
    public static async Task<(CheckpointConfig Config, string Version)> PutItems(
        ICheckpointSaver saver, CheckpointConfig parent, string? previousVersion, string value, string? appendedFrom = null,
        CheckpointSource source = CheckpointSource.Loop, DateTimeOffset? ts = null, int step = 0)
    {
        var (checkpoint, version) = ItemsCheckpoint(previousVersion, value, appendedFrom, ts, step);
        var stored = await saver.PutAsync(parent, checkpoint, new CheckpointMetadata { Source = source, Step = step },
            new Dictionary<string, string> { ["items"] = version });
        return (stored, version);
    }

    /// <summary>The checkpoint <see cref="PutItems"/> puts, with the new version of "items".</summary>
    public static (Checkpoint Checkpoint, string Version) ItemsCheckpoint(
        string? previousVersion, string value, string? appendedFrom = null, DateTimeOffset? ts = null, int step = 0)
    {
        var version = ChannelVersions.Next(previousVersion);
        var bytes = Encoding.UTF8.GetBytes(value);
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(step, ts ?? NextTime()),
            Ts = ts ?? NextTime(),
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["items"] = bytes },
            ChannelVersions = new Dictionary<string, string> { ["items"] = version },
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(),
            Appends = appendedFrom is null || previousVersion is null
                ? new Dictionary<string, ChannelAppend>()
                : new Dictionary<string, ChannelAppend> { ["items"] = new(previousVersion, Encoding.UTF8.GetByteCount(appendedFrom) - 1) },
        };
        return (checkpoint, version);
    }

    /// <summary>A JSON array of <paramref name="count"/> strings of about 1 KB each.</summary>
    public static string Items(int count) => "[" + string.Join(",", Enumerable.Range(1, count).Select(i => $"\"{i}:{new string((char)('a' + i % 26), 1000)}\"")) + "]";

    public static string Text(CheckpointTuple? tuple) => Encoding.UTF8.GetString(tuple!.Checkpoint.ChannelValues["items"].Span);
}
