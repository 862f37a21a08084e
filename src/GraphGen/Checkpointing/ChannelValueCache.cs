using System.Collections.Concurrent;

namespace GraphGen.Checkpointing;

/// <summary>
/// Stored channel values (or what a saver keeps about them) by <see cref="ChannelValueKey"/>, for persistent savers. A
/// stored version's value never changes, so entries never go stale; the cache only bounds its size, evicting the
/// oldest entries first.
/// </summary>
/// <typeparam name="TEntry">What is cached per version: the value's bytes, or the bytes with storage details.</typeparam>
/// <param name="capacityBytes">The most bytes to hold; 0 turns the cache off.</param>
/// <param name="sizeOf">How many bytes an entry holds.</param>
public sealed class ChannelValueCache<TEntry>(long capacityBytes, Func<TEntry, int> sizeOf)
{
    private readonly ConcurrentDictionary<ChannelValueKey, TEntry> _values = new();
    private readonly ConcurrentQueue<ChannelValueKey> _order = new();
    private long _bytes;

    /// <summary>The cached entry for <paramref name="key"/>, if any.</summary>
    public bool TryGet(in ChannelValueKey key, out TEntry value) => _values.TryGetValue(key, out value!);

    /// <summary>Caches an entry; one larger than a quarter of the capacity is not cached.</summary>
    public void Add(in ChannelValueKey key, TEntry value)
    {
        var size = sizeOf(value);
        if (size > capacityBytes / 4 || !_values.TryAdd(key, value))
        {
            return;
        }
        _order.Enqueue(key);
        if (Interlocked.Add(ref _bytes, size) <= capacityBytes)
        {
            return;
        }
        while (Interlocked.Read(ref _bytes) > capacityBytes && _order.TryDequeue(out var oldest))
        {
            if (_values.TryRemove(oldest, out var evicted))
            {
                Interlocked.Add(ref _bytes, -sizeOf(evicted));
            }
        }
    }

    /// <summary>Drops a thread's entries (after it is deleted or pruned, its versions may never be read again).</summary>
    public void RemoveThread(string threadId)
    {
        foreach (var key in _values.Keys)
        {
            if (key.ThreadId == threadId && _values.TryRemove(key, out var removed))
            {
                Interlocked.Add(ref _bytes, -sizeOf(removed));
            }
        }
    }
}

/// <summary>Sizes shared by every <see cref="ChannelValueCache{TEntry}"/>.</summary>
public static class ChannelValueCache
{
    /// <summary>What an entry for a version known to have no value (an emptied channel) counts against the capacity.</summary>
    public const int AbsentEntryBytes = 64;
}

/// <summary>Where a channel value is stored: one value per (thread, namespace, channel, version).</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="CheckpointNs">The checkpoint namespace.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Version">The channel version.</param>
public readonly record struct ChannelValueKey(string ThreadId, string CheckpointNs, string Channel, string Version);
