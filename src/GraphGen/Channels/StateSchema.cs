using System.Text.Json;

namespace GraphGen;

/// <summary>
/// Everything the runtime needs to know about a state type: its channels, how updates combine (reducers),
/// and how channel values and updates are serialized. Generated for <c>[GraphState]</c> types.
/// </summary>
/// <typeparam name="TState">The state type.</typeparam>
public abstract class StateSchema<TState> where TState : IGraphState<TState>
{
    private Dictionary<string, int>? _indexByName;

    /// <param name="channels">The channels, in declaration order.</param>
    /// <param name="fingerprint">A fingerprint of the channel table and types; by default the channel names.</param>
    protected StateSchema(StateChannel[] channels, string? fingerprint = null)
    {
        Channels = channels;
        Fingerprint = fingerprint ?? string.Join(",", channels.Select(c => c.Name));
    }

    /// <summary>The channels, in declaration order; a channel's index is its position here.</summary>
    public IReadOnlyList<StateChannel> Channels { get; }

    /// <summary>A fingerprint of the channel table and types, to detect incompatible stored data.</summary>
    public string Fingerprint { get; }

    /// <summary>The state of a new thread: every channel at its default.</summary>
    public abstract TState CreateInitial();

    /// <summary>An update that writes nothing; reading pending writes fills it channel by channel.</summary>
    public abstract StateUpdate<TState> CreateUpdate();

    /// <summary>
    /// Applies <paramref name="updates"/> in order through each channel's reducer and returns the new state.
    /// The runtime has already rejected two writes to one last-value channel in a superstep.
    /// </summary>
    public abstract TState Apply(TState state, ReadOnlySpan<StateUpdate<TState>> updates);

    /// <summary>Writes the value of channel <paramref name="channel"/> of <paramref name="state"/> as one JSON value.</summary>
    public abstract void WriteChannel(Utf8JsonWriter writer, TState state, int channel);

    /// <summary>
    /// When channel <paramref name="channel"/> is a list and its value in <paramref name="current"/> starts with exactly
    /// the items of its value in <paramref name="previous"/> (see <see cref="ListAppend"/>), writes the items after
    /// them as one JSON array and returns true; otherwise writes nothing and returns false. This lets a growing list
    /// be serialized and stored in proportion to what was added, not to its length.
    /// </summary>
    /// <remarks>
    /// <paramref name="current"/> must be <paramref name="previous"/> or a state <see cref="Apply"/> made from it: an
    /// immutable list whose reducer is <see cref="Append"/> is taken to have only grown, without comparing its items.
    /// </remarks>
    public virtual bool TryWriteAppended(Utf8JsonWriter writer, TState previous, TState current, int channel) => false;

    /// <summary>
    /// Builds a state from serialized channel values; channels missing from <paramref name="values"/> take their
    /// defaults and unknown names are ignored, so state types can evolve.
    /// </summary>
    /// <exception cref="JsonException">A value does not fit its channel.</exception>
    public TState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values) => ReadState(values, CreateInitial());

    /// <summary>
    /// <paramref name="basis"/> with the channels in <paramref name="values"/> read from them; channels missing from
    /// <paramref name="values"/> keep <paramref name="basis"/>'s values and unknown names are ignored.
    /// </summary>
    /// <exception cref="JsonException">A value does not fit its channel.</exception>
    public abstract TState ReadState(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values, TState basis);

    /// <summary>
    /// When channel <paramref name="channel"/> is an immutable list (<c>ImmutableList&lt;T&gt;</c> or
    /// <c>ImmutableArray&lt;T&gt;</c>): replaces <paramref name="state"/> with a copy whose list lacks its last
    /// <paramref name="count"/> items, sharing the rest, and returns true; otherwise returns false. A history listing
    /// reads an older checkpoint's list this way when its stored JSON is the first items of the newer one's.
    /// </summary>
    public virtual bool TryDropLast(ref TState state, int channel, int count) => false;

    /// <summary>
    /// For <see cref="ReadState(IReadOnlyDictionary{string, ReadOnlyMemory{byte}}, TState)"/>: a reader on the first
    /// token of the stored value called <paramref name="name"/>, or false when <paramref name="values"/> has none.
    /// </summary>
    protected static bool TryGetReader(IReadOnlyDictionary<string, ReadOnlyMemory<byte>> values, string name, out Utf8JsonReader reader)
    {
        if (!values.TryGetValue(name, out var json))
        {
            reader = default;
            return false;
        }
        reader = new Utf8JsonReader(json.Span);
        reader.Read();
        return true;
    }

    /// <summary>Writes the value that <paramref name="update"/> writes to channel <paramref name="channel"/>.</summary>
    public abstract void WriteUpdateChannel(Utf8JsonWriter writer, StateUpdate<TState> update, int channel);

    /// <summary>Reads the value an update writes to channel <paramref name="channel"/> (boxed: updates hold values by channel index).</summary>
    /// <exception cref="JsonException">The value does not fit the channel.</exception>
    public abstract object? ReadUpdateValue(ref Utf8JsonReader reader, int channel);

    /// <summary>The index of the channel called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name)
    {
        _indexByName ??= Channels.Select((c, i) => (c.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        return _indexByName.TryGetValue(name, out var index) ? index : -1;
    }

    /// <summary>Serializes one channel of a state to UTF-8 JSON.</summary>
    public byte[] SerializeChannel(TState state, int channel) =>
        ScratchWriter.Serialize((Schema: this, State: state, Channel: channel), static (w, a) => a.Schema.WriteChannel(w, a.State, a.Channel));

    /// <summary>The JSON array of the items a list channel gained since <paramref name="previous"/>, or null (see <see cref="TryWriteAppended"/>).</summary>
    public byte[]? SerializeAppended(TState previous, TState current, int channel)
    {
        var tail = ScratchWriter.Serialize(
            (Schema: this, Previous: previous, Current: current, Channel: channel),
            static (w, a) => a.Schema.TryWriteAppended(w, a.Previous, a.Current, a.Channel));
        return tail.Length == 0 ? null : tail;
    }

    /// <summary>Serializes what an update writes to one channel.</summary>
    public byte[] SerializeUpdateChannel(StateUpdate<TState> update, int channel) =>
        ScratchWriter.Serialize((Schema: this, Update: update, Channel: channel), static (w, a) => a.Schema.WriteUpdateChannel(w, a.Update, a.Channel));

    /// <summary>Serializes a whole state as a JSON object of channel name → value.</summary>
    public byte[] SerializeState(TState state) =>
        ScratchWriter.Serialize((Schema: this, State: state), static (w, a) => a.Schema.WriteState(w, a.State));

    /// <summary>Writes a whole state as a JSON object of channel name → value.</summary>
    public void WriteState(Utf8JsonWriter writer, TState state)
    {
        writer.WriteStartObject();
        for (var i = 0; i < Channels.Count; i++)
        {
            writer.WritePropertyName(Channels[i].Name);
            WriteChannel(writer, state, i);
        }
        writer.WriteEndObject();
    }

    /// <summary>Reads a state written by <see cref="SerializeState"/>.</summary>
    public TState DeserializeState(ReadOnlyMemory<byte> json)
    {
        var values = new Dictionary<string, ReadOnlyMemory<byte>>(Channels.Count, StringComparer.Ordinal);
        foreach (var (name, value) in SplitObject(json))
        {
            values[name] = value;
        }
        return ReadState(values);
    }

    /// <summary>Serializes what an update writes as a JSON object of channel name → written value.</summary>
    public byte[] SerializeUpdate(StateUpdate<TState> update) =>
        ScratchWriter.Serialize((Schema: this, Update: update), static (writer, a) =>
        {
            writer.WriteStartObject();
            for (var i = 0; i < a.Schema.Channels.Count; i++)
            {
                if (a.Update.Writes(i))
                {
                    writer.WritePropertyName(a.Schema.Channels[i].Name);
                    a.Schema.WriteUpdateChannel(writer, a.Update, i);
                }
            }
            writer.WriteEndObject();
        });

    /// <summary>Reads an update written by <see cref="SerializeUpdate"/>.</summary>
    public StateUpdate<TState> DeserializeUpdate(ReadOnlyMemory<byte> json) => DeserializeUpdate(SplitObject(json));

    /// <summary>
    /// Reads an update from serialized channel writes (channel name → JSON). Writes to channels the state type no
    /// longer has are ignored, as stored values of removed properties are, so state types can evolve.
    /// </summary>
    /// <exception cref="JsonException">A value does not fit its channel.</exception>
    public StateUpdate<TState> DeserializeUpdate(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> writes)
    {
        var update = CreateUpdate();
        foreach (var (name, value) in writes)
        {
            var index = IndexOf(name);
            if (index < 0)
            {
                continue;
            }
            var reader = new Utf8JsonReader(value.Span);
            reader.Read();
            update.Set(index, ReadUpdateValue(ref reader, index));
        }
        return update;
    }

    /// <summary>The properties of a JSON object, each value a slice of <paramref name="json"/> (no copies).</summary>
    private static List<KeyValuePair<string, ReadOnlyMemory<byte>>> SplitObject(ReadOnlyMemory<byte> json)
    {
        var properties = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        var reader = new Utf8JsonReader(json.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object of {typeof(TState).Name} channels.");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            properties.Add(new(name, json[start..(int)reader.BytesConsumed]));
        }
        return properties;
    }
}
