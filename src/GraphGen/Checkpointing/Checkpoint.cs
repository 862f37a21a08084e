namespace GraphGen.Checkpointing;

/// <summary>
/// One snapshot of a graph's channels, in LangGraph's v4 shape. Values are UTF-8 JSON written by
/// the state's serializer, so a saver stores them without knowing the application's types.
/// </summary>
/// <remarks>
/// Savers may keep references to the dictionaries they are given; callers build a new checkpoint
/// for every put and never mutate one afterwards.
/// </remarks>
public sealed record Checkpoint
{
    /// <summary>The format version written by this runtime.</summary>
    public const int CurrentVersion = 4;

    /// <summary>Format version (<see cref="CurrentVersion"/>).</summary>
    public int V { get; init; } = CurrentVersion;

    /// <summary>Unique, time-ordered id; ordinal string order is creation order (see <see cref="CheckpointIds"/>).</summary>
    public required string Id { get; init; }

    /// <summary>When the checkpoint was created.</summary>
    public required DateTimeOffset Ts { get; init; }

    /// <summary>
    /// Serialized channel values. On <see cref="ICheckpointSaver.PutAsync"/> it must hold a value for every
    /// channel listed in the new versions that has one (others are referenced by version and already stored);
    /// checkpoints read back from a saver hold every channel that has a value. Reading a value of a
    /// <see cref="ChannelValueMap"/> joins it into a new buffer on every read: keep the result when it is needed twice.
    /// </summary>
    public required IReadOnlyDictionary<string, ReadOnlyMemory<byte>> ChannelValues { get; init; }

    /// <summary>The current version of every channel that was ever written.</summary>
    public required IReadOnlyDictionary<string, string> ChannelVersions { get; init; }

    /// <summary>Node → channel → the version of that channel the node last consumed; decides what runs next.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> VersionsSeen { get; init; }

    /// <summary>The channels written by the step that produced this checkpoint.</summary>
    public IReadOnlyList<string> UpdatedChannels { get; init; } = [];

    /// <summary>
    /// Channels among the new versions of a put whose value extends a value the saver already stores (an append to a
    /// list): a saver may store only the bytes after <see cref="ChannelAppend.SharedPrefix"/> and rebuild the value
    /// from its base. A hint the runtime gives on <see cref="ICheckpointSaver.PutAsync"/>; savers ignore it or use it,
    /// and checkpoints they return carry none.
    /// </summary>
    public IReadOnlyDictionary<string, ChannelAppend> Appends { get; init; } = NoAppends;

    /// <summary>
    /// The value of <paramref name="channel"/> as <see cref="ChannelValues"/> holds it: for a <see cref="ChannelValueMap"/>
    /// (what the runtime writes and the built-in savers read back) the node itself, possibly an extension that is not
    /// joined; otherwise the whole bytes. Null when the channel has no value.
    /// </summary>
    public ChannelBytes? GetChannelBytes(string channel) => ChannelValues switch
    {
        ChannelValueMap map => map.Bytes.GetValueOrDefault(channel),
        var values => values.TryGetValue(channel, out var value) ? ChannelBytes.Whole(value) : null,
    };

    /// <summary>An empty checkpoint, the starting point of a new thread.</summary>
    public static Checkpoint Empty(string id, DateTimeOffset ts) => new()
    {
        Id = id,
        Ts = ts,
        ChannelValues = EmptyValues,
        ChannelVersions = EmptyVersions,
        VersionsSeen = EmptySeen,
    };

    internal static readonly IReadOnlyDictionary<string, ChannelAppend> NoAppends = new Dictionary<string, ChannelAppend>();
    private static readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> EmptyValues = new Dictionary<string, ReadOnlyMemory<byte>>();
    private static readonly IReadOnlyDictionary<string, string> EmptyVersions = new Dictionary<string, string>();
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> EmptySeen =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();
}

/// <summary>
/// How a channel's new value relates to a stored one: its first <paramref name="SharedPrefix"/> bytes are the first
/// <paramref name="SharedPrefix"/> bytes of the value stored under <paramref name="BaseVersion"/> of the same channel,
/// thread and namespace (for a JSON list that grew, everything but the closing bracket).
/// </summary>
/// <param name="BaseVersion">The channel version whose stored value the new value extends.</param>
/// <param name="SharedPrefix">How many leading bytes the two values share.</param>
public readonly record struct ChannelAppend(string BaseVersion, int SharedPrefix);
