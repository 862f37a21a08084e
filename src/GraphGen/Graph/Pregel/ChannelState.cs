using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// The live channels of one run: the typed state, every channel's version, what each node has seen, and the
/// framework channels (<c>__start__</c> input, join barriers, pending sends). It decides which tasks run next
/// and applies a finished superstep, exactly as LangGraph's Pregel loop does, and turns itself into checkpoints.
/// </summary>
internal sealed class ChannelState<TState> where TState : IGraphState<TState>
{
    /// <summary>The versions_seen entry that records channel versions at the last resume (for breakpoints).</summary>
    public const string InterruptSeenKey = WriteChannels.Interrupt;

    /// <summary>One-channel <see cref="Checkpoint.UpdatedChannels"/> lists by channel name (a graph's channels are few).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> SingleChannels = new(StringComparer.Ordinal);

    private readonly StateSchema<TState> _schema;
    private readonly GraphTopology<TState> _topology;
    // Versions and versions seen may be the loaded checkpoint's own dictionaries, borrowed until the first change (a
    // snapshot or a history listing only reads them); Own copies them before anything is written.
    private Dictionary<string, string> _versions;
    private Dictionary<string, IReadOnlyDictionary<string, string>> _seen;
    private bool _borrowed;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _framework;
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    // What the saver holds for each state channel: the bytes and version last loaded or checkpointed, and the state
    // they were serialized from. A list that only grew since is those bytes extended by the new items.
    private readonly ChannelBytes?[] _storedValues;
    private readonly string?[] _storedVersions;
    private TState _stored;
    private string? _latestVersion;
    private string _threadId = "";

    private ChannelState(
        StateSchema<TState> schema,
        GraphTopology<TState> topology,
        TState state,
        Dictionary<string, string> versions,
        Dictionary<string, IReadOnlyDictionary<string, string>> seen,
        Dictionary<string, ReadOnlyMemory<byte>> framework)
    {
        _schema = schema;
        _topology = topology;
        State = state;
        _versions = versions;
        _seen = seen;
        _framework = framework;
        _stored = state;
        _storedValues = new ChannelBytes?[schema.Channels.Count];
        _storedVersions = new string?[schema.Channels.Count];
        foreach (var version in versions.Values)
        {
            if (ChannelVersions.IsNewer(version, _latestVersion))
            {
                _latestVersion = version;
            }
        }
    }

    public TState State { get; private set; }

    public static ChannelState<TState> New(StateSchema<TState> schema, GraphTopology<TState> topology) =>
        new(schema, topology, schema.CreateInitial(), new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));

    /// <summary>
    /// Loads a stored checkpoint, taking its state from <paramref name="cache"/> when the cache holds it; values that
    /// do not fit the state type raise <see cref="CorruptCheckpointException"/>.
    /// </summary>
    public static ChannelState<TState> Load(StateSchema<TState> schema, GraphTopology<TState> topology, CheckpointConfig config, Checkpoint checkpoint, StateCache<TState>? cache) =>
        Load(schema, topology, config, checkpoint, ReadState(schema, config, checkpoint, cache));

    /// <summary>
    /// The state of a stored checkpoint, from <paramref name="cache"/> when it holds it; values that do not fit the
    /// state type raise <see cref="CorruptCheckpointException"/>.
    /// </summary>
    public static TState ReadState(StateSchema<TState> schema, CheckpointConfig config, Checkpoint checkpoint, StateCache<TState>? cache)
    {
        if (cache is not null && cache.TryGet(config, checkpoint, out var cached))
        {
            return cached;
        }
        try
        {
            return schema.ReadState(checkpoint.ChannelValues);
        }
        catch (Exception e) when (IsReadError(e))
        {
            throw NotFitting(config, checkpoint, e);
        }
    }

    /// <summary>What a stored value that does not fit its channel throws while it is read.</summary>
    public static bool IsReadError(Exception e) => e is JsonException or FormatException or InvalidOperationException;

    /// <summary>The error for a checkpoint whose values do not fit the state type.</summary>
    public static CorruptCheckpointException NotFitting(CheckpointConfig config, Checkpoint checkpoint, Exception e) =>
        new(config.ThreadId, checkpoint.Id, $"a channel value does not fit {typeof(TState).Name}: {e.Message}", e);

    /// <summary>Loads a stored checkpoint whose state is <paramref name="state"/>, already read.</summary>
    public static ChannelState<TState> Load(StateSchema<TState> schema, GraphTopology<TState> topology, CheckpointConfig config, Checkpoint checkpoint, TState state)
    {
        var framework = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var name in checkpoint.ChannelValues.Keys)
        {
            // By name first: reading a state channel's value would join it, and the state is already read.
            if (schema.IndexOf(name) < 0)
            {
                framework[name] = checkpoint.ChannelValues[name];
            }
        }
        var versions = Borrow(checkpoint.ChannelVersions);
        var seen = Borrow(checkpoint.VersionsSeen);
        var channels = new ChannelState<TState>(schema, topology, state, versions.Map, seen.Map, framework)
        {
            _threadId = config.ThreadId,
            _borrowed = versions.Borrowed || seen.Borrowed,
        };
        for (var i = 0; i < schema.Channels.Count; i++)
        {
            var name = schema.Channels[i].Name;
            if (checkpoint.GetChannelBytes(name) is { } value && checkpoint.ChannelVersions.TryGetValue(name, out var version))
            {
                channels._storedValues[i] = value;
                channels._storedVersions[i] = version;
            }
        }
        return channels;
    }

    /// <summary>A checkpoint's dictionary as it is when it is an ordinal <see cref="Dictionary{TKey, TValue}"/>, else a copy.</summary>
    private static (Dictionary<string, T> Map, bool Borrowed) Borrow<T>(IReadOnlyDictionary<string, T> map) =>
        map is Dictionary<string, T> own && ReferenceEquals(own.Comparer, StringComparer.Ordinal)
            ? (own, true)
            : (new Dictionary<string, T>(map, StringComparer.Ordinal), false);

    /// <summary>Copies borrowed dictionaries before the first change: the checkpoint they came from never changes.</summary>
    private void Own()
    {
        if (_borrowed)
        {
            _versions = new Dictionary<string, string>(_versions, StringComparer.Ordinal);
            _seen = new Dictionary<string, IReadOnlyDictionary<string, string>>(_seen, StringComparer.Ordinal);
            _borrowed = false;
        }
    }

    /// <summary>The trigger channels of <paramref name="node"/> that have been written (marked seen by an update as that node).</summary>
    public IEnumerable<string> ExistingTriggers(string node) => _topology.Triggers[node].Where(_versions.ContainsKey);

    /// <summary>Puts a run's input on the <c>__start__</c> channel.</summary>
    public void SetInput(StateUpdate<TState> input)
    {
        _framework[Graph.Start] = _schema.SerializeUpdate(input);
        Bump([Graph.Start]);
    }

    /// <summary>Records that everything current has been seen by a resume, so breakpoints do not fire again at once.</summary>
    public void MarkResumed()
    {
        Own();
        _seen[InterruptSeenKey] = new Dictionary<string, string>(_versions, StringComparer.Ordinal);
    }

    /// <summary>True when some channel changed since the last resume (LangGraph's <c>should_interrupt</c>).</summary>
    public bool ChangedSinceResume()
    {
        _seen.TryGetValue(InterruptSeenKey, out var seen);
        foreach (var (channel, version) in _versions)
        {
            if (seen is null || !seen.TryGetValue(channel, out var seenVersion) || ChannelVersions.IsNewer(version, seenVersion))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The tasks of the next superstep: pull tasks in node order, then one push task per pending send.</summary>
    public List<PregelTask<TState>> PrepareTasks(string checkpointId, string checkpointNs, int step)
    {
        var tasks = new List<PregelTask<TState>>();
        foreach (var node in _topology.PullOrder)
        {
            List<string>? triggered = null;
            _seen.TryGetValue(node, out var seen);
            foreach (var channel in _topology.Triggers[node])
            {
                if (_versions.TryGetValue(channel, out var version)
                    && (seen is null || !seen.TryGetValue(channel, out var seenVersion) || ChannelVersions.IsNewer(version, seenVersion))
                    && IsAvailable(channel))
                {
                    (triggered ??= []).Add(channel);
                }
            }
            if (triggered is not null)
            {
                var id = TaskIds.ForTask(checkpointId, checkpointNs, step, node, "pull", 0);
                tasks.Add(new PregelTask<TState>(id, node, State, triggered, isPush: false));
            }
        }
        if (_framework.TryGetValue(WriteChannels.Tasks, out var sends))
        {
            var index = 0;
            foreach (var send in ReadArray(sends))
            {
                var (node, arg) = ReadSend(send, checkpointId);
                var id = TaskIds.ForTask(checkpointId, checkpointNs, step, node, "push", index++);
                tasks.Add(new PregelTask<TState>(id, node, arg, [], isPush: true));
            }
        }
        return tasks;
    }

    private (string Node, TState Arg) ReadSend(ReadOnlyMemory<byte> send, string checkpointId)
    {
        try
        {
            var (node, arg) = TaskOutput<TState>.DeserializeSend(_schema, send);
            return _topology.Nodes.ContainsKey(node)
                ? (node, arg)
                : throw new CorruptCheckpointException(_threadId, checkpointId, $"a pending send targets '{node}', which is not a node of the graph.");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new CorruptCheckpointException(_threadId, checkpointId, $"a pending send does not fit {typeof(TState).Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Applies a finished superstep: marks triggers seen, consumes the input, barriers and sends, runs the state
    /// updates through the reducers in task order, and writes the successors' channels.
    /// </summary>
    /// <exception cref="InvalidUpdateException">Two tasks wrote one last-value channel.</exception>
    public void Apply(IReadOnlyList<PregelTask<TState>> tasks, int step)
    {
        Own();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            if (task.Triggers.Count == 0)
            {
                continue;
            }
            var seen = _seen.TryGetValue(task.Node, out var old)
                ? new Dictionary<string, string>(old, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var channel in task.Triggers)
            {
                seen[channel] = _versions[channel];
                // Inputs and barriers are consumed by the task they trigger.
                if (channel == Graph.Start || channel.StartsWith("join:", StringComparison.Ordinal))
                {
                    _framework.Remove(channel);
                    touched.Add(channel);
                }
            }
            _seen[task.Node] = seen;
        }
        if (_framework.Remove(WriteChannels.Tasks))
        {
            touched.Add(WriteChannels.Tasks);
        }

        ApplyStateUpdates(tasks, step, touched);

        List<ReadOnlyMemory<byte>>? sends = null;
        foreach (var task in tasks)
        {
            var output = task.Output!;
            foreach (var branch in output.Branches)
            {
                touched.Add(branch);
            }
            foreach (var join in output.Joins)
            {
                var arrived = _framework.TryGetValue(join, out var value) ? ReadStrings(value) : [];
                arrived.Add(task.Node);
                _framework[join] = Json.Write(w => WriteStrings(w, arrived));
                touched.Add(join);
            }
            if (output.Sends.Count > 0)
            {
                (sends ??= []).AddRange(output.Sends);
            }
        }
        if (sends is not null)
        {
            _framework[WriteChannels.Tasks] = Json.Write(w =>
            {
                w.WriteStartArray();
                foreach (var send in sends)
                {
                    w.WriteRawValue(send.Span, skipInputValidation: true);
                }
                w.WriteEndArray();
            });
            touched.Add(WriteChannels.Tasks);
        }
        Bump(touched);
    }

    /// <summary>
    /// A checkpoint of the current channels. Only channels changed since the last call carry values (the saver
    /// already has the rest under their versions); those changed channels are the returned new versions.
    /// </summary>
    public (Checkpoint Checkpoint, IReadOnlyDictionary<string, string> NewVersions) CreateCheckpoint(string id, DateTimeOffset ts)
    {
        var values = new Dictionary<string, ChannelBytes>(_dirty.Count, StringComparer.Ordinal);
        var newVersions = new Dictionary<string, string>(_dirty.Count, StringComparer.Ordinal);
        Dictionary<string, ChannelAppend>? appends = null;
        foreach (var channel in _dirty)
        {
            var version = _versions[channel];
            newVersions[channel] = version;
            var index = _schema.IndexOf(channel);
            if (index >= 0)
            {
                var bytes = SerializeAppended(index, out var append) ?? ChannelBytes.Whole(_schema.SerializeChannel(State, index));
                if (append is { } a)
                {
                    (appends ??= new(StringComparer.Ordinal))[channel] = a;
                }
                values[channel] = bytes;
                _storedValues[index] = bytes;
                _storedVersions[index] = version;
            }
            else if (_framework.TryGetValue(channel, out var value))
            {
                values[channel] = ChannelBytes.Whole(value);
            }
        }
        var checkpoint = new Checkpoint
        {
            Id = id,
            Ts = ts,
            ChannelValues = new ChannelValueMap(values),
            ChannelVersions = new Dictionary<string, string>(_versions, StringComparer.Ordinal),
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>(_seen, StringComparer.Ordinal),
            UpdatedChannels = Sorted(_dirty),
            Appends = appends ?? Checkpoint.NoAppends,
        };
        _dirty.Clear();
        _stored = State;
        return (checkpoint, newVersions);
    }

    /// <summary>Forgets which channels changed, for runs without a checkpointer.</summary>
    public void ClearChanges()
    {
        foreach (var channel in _dirty)
        {
            if (_schema.IndexOf(channel) is var index and >= 0)
            {
                _storedValues[index] = null;
                _storedVersions[index] = null;
            }
        }
        _dirty.Clear();
    }

    /// <summary>
    /// The new value of a list channel that only grew since it was stored: the stored JSON array without its closing
    /// bracket, extended by the new items (not joined: a turn costs its items, not the list). Null when the channel did
    /// not only grow or its stored value is unknown.
    /// </summary>
    private ChannelBytes? SerializeAppended(int index, out ChannelAppend? append)
    {
        append = null;
        if (_storedValues[index] is not { IsJsonArray: true } stored || _storedVersions[index] is not { } baseVersion
            || _schema.SerializeAppended(_stored, State, index) is not { } tail)
        {
            return null;
        }
        // "[a,b]" + "[c,d]" -> "[a,b" + ",c,d]": the tail is ours, so its '[' becomes the comma; an empty side needs none.
        var shared = stored.Length - 1;
        ReadOnlyMemory<byte> suffix = tail.AsMemory(1);
        if (stored.Length > 2 && tail.Length > 2)
        {
            tail[0] = (byte)',';
            suffix = tail;
        }
        append = new ChannelAppend(baseVersion, shared);
        return stored.Extend(shared, suffix);
    }

    private void ApplyStateUpdates(IReadOnlyList<PregelTask<TState>> tasks, int step, HashSet<string> touched)
    {
        var updates = new List<StateUpdate<TState>>(tasks.Count);
        var writers = new string?[_schema.Channels.Count];
        ulong written = 0;
        foreach (var task in tasks)
        {
            var update = task.Output!.Update;
            if (update is null || update.IsEmpty)
            {
                continue;
            }
            for (var i = 0; i < writers.Length; i++)
            {
                if (!update.Writes(i))
                {
                    continue;
                }
                if (writers[i] is { } other && _schema.Channels[i].IsLastValue)
                {
                    throw new InvalidUpdateException(
                        $"Channel '{_schema.Channels[i].Name}' of {typeof(TState).Name} was written by nodes '{other}' and '{task.Node}' in step {step}. " +
                        "A channel without a reducer takes one write per step: give it a reducer (for example [Reducer(typeof(Append))]) or route the nodes one after another.");
                }
                writers[i] = task.Node;
            }
            written |= update.WrittenChannels;
            updates.Add(update);
        }
        if (updates.Count == 0)
        {
            return;
        }
        State = _schema.Apply(State, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(updates));
        for (var i = 0; i < writers.Length; i++)
        {
            if ((written & (1UL << i)) != 0)
            {
                touched.Add(_schema.Channels[i].Name);
            }
        }
    }

    private bool IsAvailable(string channel)
    {
        if (channel == Graph.Start)
        {
            return _framework.ContainsKey(Graph.Start);
        }
        if (_topology.Joins.TryGetValue(channel, out var join))
        {
            return _framework.TryGetValue(channel, out var value) && join.Sources.All(ReadStrings(value).Contains);
        }
        return true;
    }

    /// <summary>The input update waiting on <c>__start__</c>.</summary>
    public StateUpdate<TState> ReadInput() => _schema.DeserializeUpdate(_framework[Graph.Start]);

    /// <summary>
    /// Gives every channel written together one new version, higher than any version in the thread, so versions
    /// also order writes across channels (which node ran last is the one that saw the highest version).
    /// </summary>
    private void Bump(IEnumerable<string> channels)
    {
        var version = ChannelVersions.Next(_latestVersion);
        Own();
        foreach (var channel in channels)
        {
            _versions[channel] = version;
            _dirty.Add(channel);
            _latestVersion = version;
        }
    }

    private static string[] Sorted(HashSet<string> channels)
    {
        if (channels.Count == 1)
        {
            // Most steps update one channel; savers may keep every checkpoint's list, so those share one array per name.
            foreach (var channel in channels)
            {
                return SingleChannels.GetOrAdd(channel, static name => [name]);
            }
        }
        var sorted = channels.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }

    private static List<ReadOnlyMemory<byte>> ReadArray(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(e => (ReadOnlyMemory<byte>)Json.ToUtf8(e))];
    }

    private static HashSet<string> ReadStrings(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private static void WriteStrings(Utf8JsonWriter writer, IEnumerable<string> values)
    {
        writer.WriteStartArray();
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(value);
        }
        writer.WriteEndArray();
    }
}
