using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// The typed state of the latest checkpoint this graph wrote on each thread, by the versions of its state channels.
/// A stored checkpoint whose state channels have exactly those versions holds exactly those values (savers keep one
/// value per channel version, and the random part of <see cref="ChannelVersions"/> keeps two branches from sharing
/// one), so loading it can skip parsing the values: for a long thread that is the only per-call work that grows
/// with the thread. States are immutable, so sharing one instance between calls is safe.
/// </summary>
internal sealed class StateCache<TState>(StateSchema<TState> schema, int capacity) where TState : IGraphState<TState>
{
    private readonly Dictionary<(string ThreadId, string Ns), Entry> _entries = [];
    private readonly Queue<(string ThreadId, string Ns)> _order = new();

    /// <summary>The state cached for <paramref name="config"/>'s thread when its versions are <paramref name="checkpoint"/>'s.</summary>
    public bool TryGet(CheckpointConfig config, Checkpoint checkpoint, out TState state)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue((config.ThreadId, config.CheckpointNs), out entry!))
            {
                state = default!;
                return false;
            }
        }
        for (var i = 0; i < entry.Versions.Length; i++)
        {
            checkpoint.ChannelVersions.TryGetValue(schema.Channels[i].Name, out var version);
            if (!string.Equals(version, entry.Versions[i], StringComparison.Ordinal))
            {
                state = default!;
                return false;
            }
        }
        state = entry.State;
        return true;
    }

    /// <summary>Remembers <paramref name="state"/> as the values of <paramref name="checkpoint"/>, the thread's newest.</summary>
    public void Add(string threadId, string ns, Checkpoint checkpoint, TState state)
    {
        var versions = new string?[schema.Channels.Count];
        for (var i = 0; i < versions.Length; i++)
        {
            checkpoint.ChannelVersions.TryGetValue(schema.Channels[i].Name, out versions[i]);
        }
        lock (_entries)
        {
            if (!_entries.ContainsKey((threadId, ns)))
            {
                _order.Enqueue((threadId, ns));
                if (_order.Count > capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
            _entries[(threadId, ns)] = new Entry(versions, state);
        }
    }

    private sealed record Entry(string?[] Versions, TState State);
}
