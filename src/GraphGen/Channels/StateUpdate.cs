namespace GraphGen;

/// <summary>
/// A partial write to a state: what a node returns. Each channel is either unset (no write) or set, and a
/// set value goes through the channel's reducer. The generator emits <c>TState.Update</c> deriving from this.
/// </summary>
/// <remarks>
/// Values are held here by channel index rather than in fields of the derived type, so that a generated
/// <c>Update</c> is one line per channel (<c>{ get => Get&lt;T&gt;(0); init => Set(0, value); }</c>): each
/// member a compiler binds per state type adds to the build of every project with many states.
/// </remarks>
/// <typeparam name="TState">The state type written to.</typeparam>
public abstract class StateUpdate<TState> where TState : IGraphState<TState>
{
    private object?[]? _values;
    private ulong _written;

    /// <summary>True when the update writes channel number <paramref name="channel"/>.</summary>
    public bool Writes(int channel) => (_written & (1UL << channel)) != 0;

    /// <summary>True when the update writes nothing.</summary>
    public bool IsEmpty => _written == 0;

    /// <summary>The written channels as a bit set (bit i = channel i).</summary>
    public ulong WrittenChannels => _written;

    /// <summary>The value written to channel number <paramref name="channel"/>, or the default of <typeparamref name="T"/> when there is none.</summary>
    protected T Get<T>(int channel) => _values?[channel] is T value ? value : default!;

    /// <summary>Writes <paramref name="value"/> to channel number <paramref name="channel"/>; called by member setters and when reading a stored update.</summary>
    protected internal void Set(int channel, object? value)
    {
        if ((uint)channel >= 64)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, "A state type can have at most 64 channels.");
        }
        (_values ??= new object?[TState.Schema.Channels.Count])[channel] = value;
        _written |= 1UL << channel;
    }
}
