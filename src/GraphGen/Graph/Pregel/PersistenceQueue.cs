namespace GraphGen;

/// <summary>
/// Runs a run's saver calls one after another in the order they were queued, so that with async durability
/// a checkpoint always reaches the saver before the writes made against it, while the next step already runs.
/// The first failure (for example a <see cref="CheckpointConflictException"/>) fails every later call and is
/// rethrown at the next <see cref="FlushAsync"/>.
/// </summary>
internal sealed class PersistenceQueue
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    /// <summary>
    /// Queues <paramref name="operation"/> after everything queued before. In the background it runs on the thread
    /// pool, so a saver that works synchronously (SQLite) still overlaps the caller; otherwise an idle queue runs it
    /// at once on the caller's thread, the cheapest path when the caller waits anyway.
    /// </summary>
    public void Enqueue(Func<ValueTask> operation, bool background)
    {
        lock (_gate)
        {
            _tail = background ? ThenInBackground(_tail, operation) : Then(_tail, operation);
        }
    }

    /// <summary>Waits for everything queued so far and rethrows the first failure.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _tail;
        }
    }

    /// <summary>Waits for everything queued so far, ignoring failures (used when the run already failed).</summary>
    public async Task DrainAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The caller is already propagating the error that stopped the run.
        }
    }

    /// <summary>Surfaces a failure of a background call without waiting for the calls still running.</summary>
    public void ThrowIfFaulted()
    {
        Task tail;
        lock (_gate)
        {
            tail = _tail;
        }
        if (tail.IsFaulted)
        {
            tail.GetAwaiter().GetResult();
        }
    }

    private static async Task Then(Task previous, Func<ValueTask> operation)
    {
        await previous.ConfigureAwait(false);
        await operation().ConfigureAwait(false);
    }

    private static async Task ThenInBackground(Task previous, Func<ValueTask> operation)
    {
        if (previous.IsCompleted)
        {
            // Leave the caller (and the queue's lock) before running the operation.
            await Task.Yield();
        }
        await previous.ConfigureAwait(false);
        await operation().ConfigureAwait(false);
    }
}
