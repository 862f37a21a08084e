using System.Buffers;
using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// The states of a history listing (one thread, newest first), each read from the one before it where the stored
/// values allow: a channel at the same version keeps the newer state's value, and a list whose stored JSON is the
/// newer list's JSON cut after an item (how a growing list is stored, see <see cref="ChannelBytes"/>) becomes the newer
/// list without its last items (<see cref="StateSchema{TState}.TryDropLast"/>), sharing the rest. Only other channels
/// are parsed, so a listing parses each item of a growing list about once, not once per checkpoint that holds it.
/// </summary>
/// <remarks>
/// The result is the state parsing the checkpoint's values gives (equal bytes parse to equal values); the snapshots of
/// one listing share the items they have in common, as states of one run do. Not thread-safe: one per listing.
/// </remarks>
internal sealed class HistoryStates<TState>(StateSchema<TState> schema, StateCache<TState>? cache) where TState : IGraphState<TState>
{
    private readonly string?[] _versions = new string?[schema.Channels.Count];
    private readonly ChannelBytes?[] _values = new ChannelBytes?[schema.Channels.Count];
    private TState _newer = default!;
    private bool _hasNewer;

    /// <summary>The state of <paramref name="checkpoint"/>, the listing's next (older) one.</summary>
    /// <exception cref="CorruptCheckpointException">A value does not fit the state type.</exception>
    public TState Read(CheckpointConfig config, Checkpoint checkpoint)
    {
        TState state;
        try
        {
            if (!_hasNewer || !TryReadFromNewer(checkpoint, out state))
            {
                state = ChannelState<TState>.ReadState(schema, config, checkpoint, cache);
            }
        }
        catch (Exception e) when (ChannelState<TState>.IsReadError(e))
        {
            throw ChannelState<TState>.NotFitting(config, checkpoint, e);
        }
        for (var i = 0; i < _values.Length; i++)
        {
            var name = schema.Channels[i].Name;
            checkpoint.ChannelVersions.TryGetValue(name, out _versions[i]);
            _values[i] = checkpoint.GetChannelBytes(name);
        }
        _newer = state;
        _hasNewer = true;
        return state;
    }

    /// <summary>
    /// The newer state with each channel that differs read from <paramref name="checkpoint"/>; false when a channel
    /// that differs has no value here (not written yet): its default comes from reading the checkpoint whole, which
    /// only a thread's first checkpoints need.
    /// </summary>
    private bool TryReadFromNewer(Checkpoint checkpoint, out TState state)
    {
        state = _newer;
        Dictionary<string, ReadOnlyMemory<byte>>? changed = null;
        for (var i = 0; i < _values.Length; i++)
        {
            var name = schema.Channels[i].Name;
            checkpoint.ChannelVersions.TryGetValue(name, out var version);
            if (string.Equals(version, _versions[i], StringComparison.Ordinal))
            {
                continue;
            }
            if (checkpoint.GetChannelBytes(name) is not { } older)
            {
                return false;
            }
            if (_values[i] is { } newer && DroppedItems(newer, older) is { } dropped
                && (dropped == 0 || schema.TryDropLast(ref state, i, dropped)))
            {
                continue;
            }
            (changed ??= new(StringComparer.Ordinal))[name] = older.ToMemory();
        }
        if (changed is not null)
        {
            state = schema.ReadState(changed, state);
        }
        return true;
    }

    /// <summary>
    /// How many items the JSON array <paramref name="newer"/> has after the items of <paramref name="older"/> when
    /// <paramref name="older"/> is <paramref name="newer"/> cut after an item and closed ("[a,b]" and "[a,b,c,d]": 2);
    /// null when it is not, or when <paramref name="older"/> is empty (cheaper to parse than to compare).
    /// </summary>
    internal static int? DroppedItems(ChannelBytes newer, ChannelBytes older)
    {
        if (ReferenceEquals(newer, older))
        {
            return 0;
        }
        if (older.Length <= 2 || !older.IsJsonArray || !newer.IsJsonArray || newer.Length < older.Length)
        {
            return null;
        }
        ReadOnlyMemory<byte> rest;
        if (newer.Base == older && newer.SharedPrefix == older.Length - 1)
        {
            // Stored as an extension of this very value: the suffix is the rest, no bytes to compare.
            rest = newer.Suffix;
        }
        else
        {
            var whole = newer.ToMemory();
            var cut = older.ToMemory();
            if (!whole.Span[..(cut.Length - 1)].SequenceEqual(cut.Span[..^1]))
            {
                return null;
            }
            rest = whole[(cut.Length - 1)..];
        }
        // The rest is "]" (the same list) or ",c,d]": the newer list's items after the cut, counted as "[c,d]".
        if (rest.Length == 1)
        {
            return 0;
        }
        return rest.Span[0] == (byte)',' ? CountItems(rest.Span) : null;
    }

    /// <summary>
    /// The items of ",c,d]", read as the array "[c,d]" without parsing them into values. It must be exactly one array:
    /// anything else means the cut was not after an item, so the older value is not a valid list (a read error, as
    /// reading it whole would give).
    /// </summary>
    private static int CountItems(ReadOnlySpan<byte> rest)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(rest.Length);
        try
        {
            rest.CopyTo(buffer);
            buffer[0] = (byte)'[';
            var reader = new Utf8JsonReader(buffer.AsSpan(0, rest.Length));
            reader.Read();
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                count++;
            }
            if (reader.TokenType != JsonTokenType.EndArray || reader.CurrentDepth != 0 || reader.Read())
            {
                throw new JsonException("A stored list is cut inside an item of the list it was extended into.");
            }
            return count;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
