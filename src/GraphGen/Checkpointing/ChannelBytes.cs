using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GraphGen.Checkpointing;

/// <summary>
/// A channel value's serialized bytes, held whole or as an extension of another value: that value's first
/// <see cref="SharedPrefix"/> bytes followed by <see cref="Suffix"/> (a list that grew is the stored list without its
/// closing bracket, then the new items). The bytes of an extension are joined only when someone reads them, so
/// recording one more item of a long list costs the item, not the list.
/// </summary>
/// <remarks>Immutable, like the buffers it holds (see <see cref="ICheckpointSaver"/>); safe to share between threads.</remarks>
public sealed class ChannelBytes
{
    private ChannelBytes(ChannelBytes? extended, int sharedPrefix, ReadOnlyMemory<byte> suffix)
    {
        Base = extended;
        SharedPrefix = sharedPrefix;
        Suffix = suffix;
        Length = sharedPrefix + suffix.Length;
        _opensArray = sharedPrefix > 0 ? extended!._opensArray : !suffix.IsEmpty && suffix.Span[0] == (byte)'[';
    }

    // Whether the first byte is '[', kept so that telling a JSON array needs no walk down the chain.
    private readonly bool _opensArray;

    /// <summary>The value this one extends; null when <see cref="Suffix"/> is the whole value.</summary>
    public ChannelBytes? Base { get; }

    /// <summary>How many leading bytes this value shares with <see cref="Base"/> (0 for a whole value).</summary>
    public int SharedPrefix { get; }

    /// <summary>The bytes after <see cref="SharedPrefix"/>: the whole value when there is no <see cref="Base"/>.</summary>
    public ReadOnlyMemory<byte> Suffix { get; }

    /// <summary>The length of the value.</summary>
    public int Length { get; }

    /// <summary>A value held as the given bytes, which the caller no longer changes.</summary>
    public static ChannelBytes Whole(ReadOnlyMemory<byte> bytes) => new(null, 0, bytes);

    /// <summary>
    /// The value made of this value's first <paramref name="sharedPrefix"/> bytes and then <paramref name="suffix"/>. It
    /// keeps this value alive: a short extension of a long value holds the long value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sharedPrefix"/> is negative or longer than this value.</exception>
    public ChannelBytes Extend(int sharedPrefix, ReadOnlyMemory<byte> suffix)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sharedPrefix);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sharedPrefix, Length);
        return new(this, sharedPrefix, suffix);
    }

    /// <summary>
    /// The bytes after the first <paramref name="prefix"/>: <see cref="Suffix"/> when that is where this value extends
    /// its base (no join), else a slice of the joined value.
    /// </summary>
    public ReadOnlyMemory<byte> After(int prefix) =>
        prefix == SharedPrefix ? Suffix : ToMemory()[prefix..];

    /// <summary>
    /// The whole value: the bytes given to <see cref="Whole"/>, or a new buffer joined from the chain of extensions
    /// (each join copies the value once; callers that need it more than once keep the result).
    /// </summary>
    public ReadOnlyMemory<byte> ToMemory()
    {
        if (Base is null)
        {
            return Suffix;
        }
        // Newest link first, each copying the part of its suffix no later link replaced: one pass, no recursion (a
        // thread's chain has a link per append), and every byte of the new buffer written once.
        var value = GC.AllocateUninitializedArray<byte>(Length);
        var end = Length;
        var link = this;
        for (; link.Base is not null && end > 0; link = link.Base)
        {
            end = DeltaStorage.CopyVisible(value, end, link.SharedPrefix, link.Suffix.Span);
        }
        link.Suffix.Span[..end].CopyTo(value);
        return value;
    }

    /// <summary>
    /// True when the value is seen to be a JSON array ("[" … "]") without joining it: its first byte and the last byte
    /// of its own suffix (an extension with an empty suffix is not looked into, and counts as no array).
    /// </summary>
    internal bool IsJsonArray => Length >= 2 && _opensArray && !Suffix.IsEmpty && Suffix.Span[^1] == (byte)']';
}

/// <summary>
/// <see cref="Checkpoint.ChannelValues"/> backed by <see cref="ChannelBytes"/>: a value is joined when it is read (a new
/// buffer each time), so handing a checkpoint on (to a saver, from a saver to the runtime) costs nothing per value.
/// Savers that store extensions as deltas read them with <see cref="Checkpoint.GetChannelBytes"/> and store the
/// suffix without a join; only a value they store whole is joined, once.
/// </summary>
/// <param name="bytes">The values by channel; not changed afterwards.</param>
public sealed class ChannelValueMap(IReadOnlyDictionary<string, ChannelBytes> bytes) : IReadOnlyDictionary<string, ReadOnlyMemory<byte>>
{
    /// <summary>The values as held, by channel.</summary>
    public IReadOnlyDictionary<string, ChannelBytes> Bytes { get; } = bytes ?? throw new ArgumentNullException(nameof(bytes));

    /// <inheritdoc/>
    public int Count => Bytes.Count;

    /// <inheritdoc/>
    public IEnumerable<string> Keys => Bytes.Keys;

    /// <inheritdoc/>
    public IEnumerable<ReadOnlyMemory<byte>> Values => Bytes.Values.Select(value => value.ToMemory());

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> this[string key] => Bytes[key].ToMemory();

    /// <inheritdoc/>
    public bool ContainsKey(string key) => Bytes.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out ReadOnlyMemory<byte> value)
    {
        if (Bytes.TryGetValue(key, out var held))
        {
            value = held.ToMemory();
            return true;
        }
        value = default;
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, ReadOnlyMemory<byte>>> GetEnumerator() =>
        Bytes.Select(entry => KeyValuePair.Create(entry.Key, entry.Value.ToMemory())).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
