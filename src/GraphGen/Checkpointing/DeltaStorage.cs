namespace GraphGen.Checkpointing;

/// <summary>
/// The rules persistent savers share for storing a grown channel value as a delta on the value it extends (see
/// <see cref="Checkpoint.Appends"/>): a stored value is either whole, or its base's first <c>SharedPrefix</c> bytes
/// followed by a suffix. Whole values are taken often enough that a chain stays short and the deltas of a chain never
/// outweigh the value, so a thread's storage grows with what was appended, not with its length times its turns.
/// </summary>
public static class DeltaStorage
{
    /// <summary>The most deltas between a value and the whole value it is rebuilt from.</summary>
    public const int MaxChainLength = 128;

    /// <summary>
    /// True when <paramref name="append"/> can describe the value stored under <paramref name="version"/>: it names another
    /// version as its base and shares no more bytes than the value has. A hint that fails this is ignored (store whole).
    /// </summary>
    public static bool CanStoreAsDelta(ChannelAppend? append, string version, int valueLength) =>
        append is { } a && a.BaseVersion != version && a.SharedPrefix >= 0 && a.SharedPrefix <= valueLength;

    /// <summary>
    /// True when a value of <paramref name="valueLength"/> bytes should be stored whole rather than as a
    /// <paramref name="suffixLength"/>-byte delta on a base that is <paramref name="baseDepth"/> deltas away from a
    /// whole value, those deltas holding <paramref name="baseChainBytes"/> bytes. Storing whole once the chain's
    /// deltas would outweigh the value keeps the whole values a geometric series (each at least twice the last):
    /// they add up to about twice the final value, and a rebuild reads at most twice the value.
    /// </summary>
    public static bool StoreWhole(int baseDepth, long baseChainBytes, int suffixLength, int valueLength) =>
        baseDepth + 1 > MaxChainLength || baseChainBytes + suffixLength > valueLength;

    /// <summary>
    /// Rebuilds a value from the whole value its chain starts at and the chain's deltas, oldest first: each delta
    /// keeps the first <c>SharedPrefix</c> bytes of the value so far and appends its suffix.
    /// </summary>
    /// <exception cref="FormatException">A delta shares more bytes than the value it extends has.</exception>
    public static byte[] Rebuild(ReadOnlySpan<byte> whole, IReadOnlyList<(int SharedPrefix, ReadOnlyMemory<byte> Suffix)> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        var length = whole.Length;
        foreach (var (shared, suffix) in deltas)
        {
            if (shared < 0 || shared > length)
            {
                throw new FormatException($"A delta shares {shared} bytes with a value of {length} bytes.");
            }
            length = shared + suffix.Length;
        }
        var value = GC.AllocateUninitializedArray<byte>(length);
        var end = length;
        for (var i = deltas.Count - 1; i >= 0 && end > 0; i--)
        {
            end = CopyVisible(value, end, deltas[i].SharedPrefix, deltas[i].Suffix.Span);
        }
        whole[..end].CopyTo(value);
        return value;
    }

    /// <summary>
    /// Copies into <paramref name="value"/> (the value at the end of a chain, rebuilt newest delta first) what one delta
    /// contributes to it: its suffix up to <paramref name="end"/>, where a later delta took over. Returns where the
    /// value this delta extends stops showing through: every byte before it comes from older links.
    /// </summary>
    internal static int CopyVisible(Span<byte> value, int end, int sharedPrefix, ReadOnlySpan<byte> suffix)
    {
        if (end > sharedPrefix)
        {
            suffix[..(end - sharedPrefix)].CopyTo(value[sharedPrefix..]);
        }
        return Math.Min(end, sharedPrefix);
    }

    /// <summary>
    /// Rebuilds the value of <paramref name="channel"/> at <paramref name="version"/> from its stored chain, newest row
    /// first: each row is a whole value (no base) or a delta on the next row's version. Null for an empty chain (the
    /// version has no value: the channel was emptied).
    /// </summary>
    /// <exception cref="CorruptCheckpointException">The chain ends on a delta whose base is missing, or a delta does not fit its base.</exception>
    public static byte[]? RebuildChain(
        IReadOnlyList<(string? BaseVersion, int SharedPrefix, byte[] Blob)> newestFirst, string threadId, string checkpointId, string channel, string version)
    {
        ArgumentNullException.ThrowIfNull(newestFirst);
        if (newestFirst.Count == 0)
        {
            return null;
        }
        if (newestFirst[^1].BaseVersion is { } missing)
        {
            throw new CorruptCheckpointException(threadId, checkpointId,
                $"the value of channel '{channel}' (version {version}) is stored as a delta on version {missing}, which is missing");
        }
        var deltas = new (int, ReadOnlyMemory<byte>)[newestFirst.Count - 1];
        for (var i = 0; i < deltas.Length; i++)
        {
            var (_, shared, blob) = newestFirst[newestFirst.Count - 2 - i];
            deltas[i] = (shared, blob);
        }
        try
        {
            return Rebuild(newestFirst[^1].Blob, deltas);
        }
        catch (FormatException e)
        {
            throw new CorruptCheckpointException(threadId, checkpointId, $"the value of channel '{channel}' (version {version}) has a broken delta: {e.Message}", e);
        }
    }
}
