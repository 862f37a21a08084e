namespace GraphGen;

/// <summary>
/// Runs a run's saver calls one after another in the order they were queued, so that with async durability
/// a checkpoint always reaches the saver before the writes made against it, while the next step already runs.
/// The first failure (for example a <see cref="CheckpointConflictException"/>) fails every later call and is
/// rethrown at the next <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// An idle queue starts a call at once on the caller's thread (the cheapest path for savers that finish
/// synchronously); the caller goes on as soon as the call yields. Savers doing blocking I/O offload it themselves,
/// which is what lets a step overlap the previous checkpoint's write.
/// </remarks>
internal sealed class PersistenceQueue
{
    private readonly Lock _gate = new();
    private Task _tail = Task.CompletedTask;

    public void Enqueue(Func<ValueTask> operation)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_gate)
        {
            previous = _tail;
            _tail = done.Task;
        }
        // Started outside the lock, so parallel tasks queueing their writes never wait on a running saver call.
        _ = RunAsync(previous, operation, done);
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
        var tail = FlushAsync();
        if (tail.IsFaulted)
        {
            tail.GetAwaiter().GetResult();
        }
    }

    private static async Task RunAsync(Task previous, Func<ValueTask> operation, TaskCompletionSource done)
    {
        try
        {
            await previous.ConfigureAwait(false);
            await operation().ConfigureAwait(false);
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }
}
