namespace GraphGen;

/// <summary>
/// A partial write to a state: what a node returns. Each channel is either unset (no write) or set, and a
/// set value goes through the channel's reducer. The generator emits <c>TState.Update</c> deriving from this.
/// </summary>
/// <typeparam name="TState">The state type written to.</typeparam>
public abstract class StateUpdate<TState> where TState : IGraphState<TState>
{
    private ulong _written;

    /// <summary>True when the update writes channel number <paramref name="channel"/>.</summary>
    public bool Writes(int channel) => (_written & (1UL << channel)) != 0;

    /// <summary>True when the update writes nothing.</summary>
    public bool IsEmpty => _written == 0;

    /// <summary>The written channels as a bit set (bit i = channel i).</summary>
    public ulong WrittenChannels => _written;

    /// <summary>Records that channel number <paramref name="channel"/> is written; called by member setters.</summary>
    protected void MarkWritten(int channel)
    {
        if ((uint)channel >= 64)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "A state type can have at most 64 channels.");
        }
        _written |= 1UL << channel;
    }
}
