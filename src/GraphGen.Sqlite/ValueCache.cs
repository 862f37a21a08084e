using System.Collections.Concurrent;

namespace GraphGen.Sqlite;

/// <summary>
/// Channel values by (thread, namespace, channel, version). A stored version's value never changes, so entries never
/// go stale; the cache only bounds its size, evicting the oldest entries first.
/// </summary>
internal sealed class ValueCache(long capacityBytes)
{
    private readonly ConcurrentDictionary<ValueKey, byte[]> _values = new();
    private readonly ConcurrentQueue<ValueKey> _order = new();
    private long _bytes;

    public bool TryGet(in ValueKey key, out byte[] value) => _values.TryGetValue(key, out value!);

    public void Add(in ValueKey key, byte[] value)
    {
        if (value.Length > capacityBytes / 4 || !_values.TryAdd(key, value))
        {
            return;
        }
        _order.Enqueue(key);
        if (Interlocked.Add(ref _bytes, value.Length) <= capacityBytes)
        {
            return;
        }
        while (Interlocked.Read(ref _bytes) > capacityBytes && _order.TryDequeue(out var oldest))
        {
            if (_values.TryRemove(oldest, out var evicted))
            {
                Interlocked.Add(ref _bytes, -evicted.Length);
            }
        }
    }

    /// <summary>Drops a thread's values (after it is deleted or pruned, its versions may never be read again).</summary>
    public void RemoveThread(string threadId)
    {
        foreach (var key in _values.Keys)
        {
            if (key.ThreadId == threadId && _values.TryRemove(key, out var removed))
            {
                Interlocked.Add(ref _bytes, -removed.Length);
            }
        }
    }
}

internal readonly record struct ValueKey(string ThreadId, string CheckpointNs, string Channel, string Version);
