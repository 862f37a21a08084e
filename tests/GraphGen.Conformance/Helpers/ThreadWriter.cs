using GraphGen.Checkpointing;

namespace GraphGen.Conformance.Helpers;

/// <summary>
/// Writes one thread and namespace the way the runtime does, and remembers what every checkpoint it wrote must read
/// back as: each put extends the previous one, bumps the version of the channels it writes (only those go in the new
/// versions, with their values) and carries the other versions over.
/// </summary>
public sealed class ThreadWriter
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NoneSeen =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    private readonly ICheckpointSaver _saver;
    private readonly Dictionary<string, Expected> _history;
    private Dictionary<string, string> _versions = new(StringComparer.Ordinal);
    private Dictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    // The value each channel's next extension builds on: the one handed over last, or read back by ReloadAsync.
    private Dictionary<string, ChannelBytes> _held = new(StringComparer.Ordinal);
    private bool _forkNext;
    private List<SaverPut>? _batch;

    /// <summary>A writer for a thread and namespace with no checkpoints yet.</summary>
    public ThreadWriter(ICheckpointSaver saver, string threadId, string ns = "")
        : this(saver, new CheckpointConfig(threadId, ns), new Dictionary<string, Expected>(StringComparer.Ordinal))
    {
    }

    private ThreadWriter(ICheckpointSaver saver, CheckpointConfig head, Dictionary<string, Expected> history)
    {
        _saver = saver;
        _history = history;
        Head = head;
    }

    /// <summary>The thread written to.</summary>
    public string ThreadId => Head.ThreadId;

    /// <summary>The namespace written to.</summary>
    public string Ns => Head.CheckpointNs;

    /// <summary>The config of the latest checkpoint put (no id before the first put).</summary>
    public CheckpointConfig Head { get; private set; }

    /// <summary>The step of the next checkpoint: -1 for the input checkpoint, then 0, 1, ...</summary>
    public int NextStep { get; private set; } = -1;

    /// <summary>The current version of every channel written so far.</summary>
    public IReadOnlyDictionary<string, string> Versions => _versions;

    /// <summary>The current value of every channel that has one.</summary>
    public IReadOnlyDictionary<string, byte[]> Values => _values;

    /// <summary>
    /// Hand values over as the runtime does: a <see cref="ChannelValueMap"/> in which a hinted append is an extension
    /// (<see cref="ChannelBytes.Extend"/>) of the value handed over before it, or read back by <see cref="ReloadAsync"/>,
    /// never joined. Off: plain dictionaries of whole values.
    /// </summary>
    public bool Extends { get; set; }

    /// <summary>Builds the next extensions on the values the saver reads back for the head, as a new run does.</summary>
    public async Task ReloadAsync()
    {
        var tuple = await _saver.GetTupleAsync(Head, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("The head does not read back.");
        _held = new Dictionary<string, ChannelBytes>(StringComparer.Ordinal);
        foreach (var channel in tuple.Checkpoint.ChannelValues.Keys)
        {
            _held[channel] = tuple.Checkpoint.GetChannelBytes(channel)!;
        }
    }

    /// <summary>What each checkpoint written by this writer (and the writers forked from it) must read back as, by id.</summary>
    public IReadOnlyDictionary<string, Expected> History => _history;

    /// <summary>Puts a checkpoint writing <paramref name="writes"/>: JSON text per channel, null to empty it.</summary>
    public Task<CheckpointConfig> PutAsync(params (string Channel, string? Json)[] writes) =>
        PutAsync(null, null, writes.Select(w => (w.Channel, w.Json is null ? null : Bytes.Json(w.Json))).ToArray());

    /// <summary>Puts a checkpoint writing raw values (null empties the channel).</summary>
    public Task<CheckpointConfig> PutBytesAsync(params (string Channel, byte[]? Value)[] writes) =>
        PutAsync(null, null, writes);

    /// <summary>Puts a checkpoint with the given metadata (its step and source are used as given).</summary>
    public Task<CheckpointConfig> PutAsync(CheckpointMetadata metadata, params (string Channel, string? Json)[] writes) =>
        PutAsync(metadata, null, writes.Select(w => (w.Channel, w.Json is null ? null : Bytes.Json(w.Json))).ToArray());

    /// <summary>
    /// Appends JSON items to list channels, as the runtime does for a list that only grew: the new value is the stored
    /// one without its closing bracket, a comma and the new items; with <paramref name="hint"/> the put carries a
    /// <see cref="ChannelAppend"/> naming the stored version and the shared prefix.
    /// </summary>
    public Task<CheckpointConfig> AppendAsync(string channel, bool hint, params string[] items) =>
        AppendAsync([(channel, items)], hint);

    /// <summary>Appends items to several list channels in one put (see <see cref="AppendAsync(string, bool, string[])"/>).</summary>
    public Task<CheckpointConfig> AppendAsync(IReadOnlyList<(string Channel, string[] Items)> appends, bool hint = true, IReadOnlyList<(string Channel, string? Json)>? others = null)
    {
        var writes = new List<(string, byte[]?)>();
        var hints = new Dictionary<string, ChannelAppend>(StringComparer.Ordinal);
        foreach (var (channel, items) in appends)
        {
            var (value, shared) = Bytes.Append(_values.GetValueOrDefault(channel), items);
            writes.Add((channel, value));
            if (hint && shared > 0)
            {
                hints[channel] = new ChannelAppend(_versions[channel], shared);
            }
        }
        foreach (var (channel, json) in others ?? [])
        {
            writes.Add((channel, json is null ? null : Bytes.Json(json)));
        }
        return PutAsync(null, hints, [.. writes]);
    }

    /// <summary>
    /// The general put: <paramref name="writes"/> get new versions (a null value empties the channel), <paramref name="appends"/>
    /// is passed as the checkpoint's hint unchanged, and <paramref name="metadata"/> defaults to the runtime's (input, then
    /// loop; fork right after <see cref="Fork"/>).
    /// </summary>
    public async Task<CheckpointConfig> PutAsync(
        CheckpointMetadata? metadata,
        IReadOnlyDictionary<string, ChannelAppend>? appends,
        params (string Channel, byte[]? Value)[] writes)
    {
        metadata ??= _forkNext
            ? new CheckpointMetadata { Source = CheckpointSource.Fork, Step = NextStep - 1 }
            : new CheckpointMetadata { Source = NextStep < 0 ? CheckpointSource.Input : CheckpointSource.Loop, Step = NextStep };
        var versions = new Dictionary<string, string>(_versions, StringComparer.Ordinal);
        var values = new Dictionary<string, byte[]>(_values, StringComparer.Ordinal);
        var newVersions = new Dictionary<string, string>(StringComparer.Ordinal);
        var newValues = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        var held = new Dictionary<string, ChannelBytes>(_held, StringComparer.Ordinal);
        var handedOver = new Dictionary<string, ChannelBytes>(StringComparer.Ordinal);
        foreach (var (channel, value) in writes)
        {
            newVersions[channel] = versions[channel] = ChannelVersions.Next(versions.GetValueOrDefault(channel));
            if (value is null)
            {
                values.Remove(channel);
                held.Remove(channel);
            }
            else
            {
                values[channel] = value;
                newValues[channel] = value;
                handedOver[channel] = held[channel] =
                    appends is not null && appends.TryGetValue(channel, out var append) && _held.TryGetValue(channel, out var before) && append.SharedPrefix <= before.Length
                        ? before.Extend(append.SharedPrefix, value.AsMemory(append.SharedPrefix))
                        : ChannelBytes.Whole(value);
            }
        }
        var ts = DateTimeOffset.UtcNow;
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(metadata.Step, ts),
            Ts = ts,
            ChannelValues = Extends ? new ChannelValueMap(handedOver) : newValues,
            ChannelVersions = versions,
            VersionsSeen = NoneSeen,
            UpdatedChannels = [.. writes.Select(write => write.Channel)],
            Appends = appends ?? new Dictionary<string, ChannelAppend>(),
        };
        CheckpointConfig config;
        if (_batch is not null)
        {
            _batch.Add(new CheckpointPut(Head, checkpoint, metadata, newVersions));
            config = Head.WithCheckpoint(checkpoint.Id);
        }
        else
        {
            config = await _saver.PutAsync(Head, checkpoint, metadata, newVersions, TestContext.Current.CancellationToken);
        }
        _history[checkpoint.Id] = new Expected(config, Head.CheckpointId, checkpoint, metadata, values);
        Head = config;
        _versions = versions;
        _values = values;
        _held = held;
        NextStep = metadata.Step + 1;
        _forkNext = false;
        return config;
    }

    /// <summary>
    /// From now on puts are added to <paramref name="batch"/> (for <see cref="ICheckpointSaver.PutBatchAsync"/>) instead of
    /// sent, and recorded in the history as if stored; <see langword="null"/> sends them again.
    /// </summary>
    public void CollectInto(List<SaverPut>? batch) => _batch = batch;

    /// <summary>
    /// A writer that branches off <paramref name="at"/> (a checkpoint this writer wrote): its next put is a fork of it,
    /// as time travel writes one; it shares this writer's history.
    /// </summary>
    public ThreadWriter Fork(CheckpointConfig at)
    {
        var expected = _history[at.CheckpointId!];
        return new ThreadWriter(_saver, at, _history)
        {
            _versions = new Dictionary<string, string>(expected.Checkpoint.ChannelVersions, StringComparer.Ordinal),
            _values = new Dictionary<string, byte[]>(expected.Values, StringComparer.Ordinal),
            _held = expected.Values.ToDictionary(entry => entry.Key, entry => ChannelBytes.Whole(entry.Value), StringComparer.Ordinal),
            Extends = Extends,
            NextStep = expected.Metadata.Step + 1,
            _forkNext = true,
        };
    }

    /// <summary>
    /// A checkpoint of <paramref name="step"/> on top of <paramref name="versions"/> and its new versions (the written
    /// channels with their next version), for cases that put by hand; a null JSON empties the channel.
    /// </summary>
    public static (Checkpoint Checkpoint, Dictionary<string, string> NewVersions) Build(
        int step, IReadOnlyDictionary<string, string> versions, params (string Channel, string? Json)[] writes)
    {
        var all = new Dictionary<string, string>(versions, StringComparer.Ordinal);
        var newVersions = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var (channel, json) in writes)
        {
            newVersions[channel] = all[channel] = ChannelVersions.Next(all.GetValueOrDefault(channel));
            if (json is not null)
            {
                values[channel] = Bytes.Json(json);
            }
        }
        var ts = DateTimeOffset.UtcNow;
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(step, ts),
            Ts = ts,
            ChannelValues = values,
            ChannelVersions = all,
            VersionsSeen = NoneSeen,
            UpdatedChannels = [.. writes.Select(write => write.Channel)],
        };
        return (checkpoint, newVersions);
    }

    /// <summary>Puts <paramref name="count"/> checkpoints that each rewrite channel <c>n</c> with the step number.</summary>
    public async Task<List<CheckpointConfig>> PutChainAsync(int count)
    {
        var configs = new List<CheckpointConfig>(count);
        for (var i = 0; i < count; i++)
        {
            configs.Add(await PutAsync(("n", $"{NextStep}")));
        }
        return configs;
    }
}

/// <summary>What one checkpoint must read back as.</summary>
/// <param name="Config">The config its put returned.</param>
/// <param name="ParentId">The checkpoint it was put on top of.</param>
/// <param name="Checkpoint">The checkpoint as it was put (its values are only the new ones).</param>
/// <param name="Metadata">The metadata it was put with.</param>
/// <param name="Values">Every channel value it must read back with.</param>
public sealed record Expected(
    CheckpointConfig Config,
    string? ParentId,
    Checkpoint Checkpoint,
    CheckpointMetadata Metadata,
    IReadOnlyDictionary<string, byte[]> Values);
