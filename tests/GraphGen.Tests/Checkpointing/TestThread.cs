using System.Text;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

/// <summary>
/// Writes a thread's checkpoints the way the runtime does: each put extends the previous one, bumps the
/// version of every channel it writes (only those go in the new versions) and carries the others over.
/// </summary>
internal sealed class TestThread(ICheckpointSaver saver, string threadId, string ns = "")
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NoneSeen =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    private Dictionary<string, string> _versions = [];

    /// <summary>The config of the latest checkpoint put (no id before the first put).</summary>
    public CheckpointConfig Head { get; private set; } = new(threadId, ns);

    /// <summary>The step of the next checkpoint: -1 for the input checkpoint, then 0, 1, ...</summary>
    public int NextStep { get; private set; } = -1;

    /// <summary>Puts a loop checkpoint writing <paramref name="writes"/> (a null JSON empties the channel).</summary>
    public Task<CheckpointConfig> PutAsync(params (string Channel, string? Json)[] writes) =>
        PutAsync(new CheckpointMetadata { Source = NextStep < 0 ? CheckpointSource.Input : CheckpointSource.Loop, Step = NextStep }, writes);

    /// <summary>Puts a checkpoint with the given metadata.</summary>
    public async Task<CheckpointConfig> PutAsync(CheckpointMetadata metadata, params (string Channel, string? Json)[] writes)
    {
        var (checkpoint, newVersions) = Build(NextStep, _versions, writes);
        Head = await saver.PutAsync(Head, checkpoint, metadata, newVersions, TestContext.Current.CancellationToken);
        _versions = new Dictionary<string, string>(checkpoint.ChannelVersions);
        NextStep++;
        return Head;
    }

    /// <summary>
    /// A checkpoint of <paramref name="step"/> on top of <paramref name="versions"/>, and its new versions:
    /// the written channels with their next version.
    /// </summary>
    public static (Checkpoint Checkpoint, Dictionary<string, string> NewVersions) Build(
        int step, IReadOnlyDictionary<string, string> versions, params (string Channel, string? Json)[] writes)
    {
        var allVersions = new Dictionary<string, string>(versions);
        var newVersions = new Dictionary<string, string>();
        var values = new Dictionary<string, ReadOnlyMemory<byte>>();
        foreach (var (channel, json) in writes)
        {
            newVersions[channel] = allVersions[channel] = ChannelVersions.Next(allVersions.GetValueOrDefault(channel));
            if (json is not null)
            {
                values[channel] = Json(json);
            }
        }
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(step),
            Ts = DateTimeOffset.UtcNow,
            ChannelValues = values,
            ChannelVersions = allVersions,
            VersionsSeen = NoneSeen,
            UpdatedChannels = [.. writes.Select(write => write.Channel)],
        };
        return (checkpoint, newVersions);
    }

    public static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
