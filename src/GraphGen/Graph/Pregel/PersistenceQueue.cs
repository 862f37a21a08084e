using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// Collects a run's saver calls and hands them to the saver in batches (<see cref="ICheckpointSaver.PutBatchAsync"/>),
/// one batch after another in the order they were queued, so that with async durability a checkpoint always reaches
/// the saver before the writes made against it, while the next step already runs. The first failure (for example a
/// <see cref="CheckpointConflictException"/>) fails every later batch and is rethrown at the next <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// Nothing is sent until <see cref="Start"/>: the run starts a batch when a step is about to run node code, so the
/// input checkpoint, the start task's writes and the first step's checkpoint share one transaction or round trip,
/// and each later step costs one. An idle queue starts the batch at once on the caller's thread (the cheapest path
/// for savers that finish synchronously); the caller goes on as soon as the saver yields. Savers doing blocking I/O
/// offload it themselves, which is what lets a step overlap the previous checkpoint's write.
/// </remarks>
internal sealed class PersistenceQueue(ICheckpointSaver saver)
{
    private readonly Lock _gate = new();
    private List<SaverPut> _pending = [];
    private Task _tail = Task.CompletedTask;

    /// <summary>Queues a put for the next batch.</summary>
    public void Enqueue(SaverPut put)
    {
        lock (_gate)
        {
            _pending.Add(put);
        }
    }

    /// <summary>Sends everything queued so far as one batch, after the batches sent before it.</summary>
    public void Start()
    {
        List<SaverPut> batch;
        Task previous;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return;
            }
            (batch, _pending) = (_pending, []);
            previous = _tail;
            _tail = done.Task;
        }
        // Started outside the lock, so parallel tasks queueing their writes never wait on a running saver call.
        _ = RunAsync(previous, batch, done);
    }

    /// <summary>Sends what is queued and waits for every batch; rethrows the first failure.</summary>
    public Task FlushAsync()
    {
        Start();
        lock (_gate)
        {
            return _tail;
        }
    }

    /// <summary>Sends what is queued and waits for every batch, ignoring failures (used when the run already failed).</summary>
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

    /// <summary>Surfaces a failure of a batch sent earlier without waiting for the batches still running.</summary>
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

    private async Task RunAsync(Task previous, List<SaverPut> batch, TaskCompletionSource done)
    {
        try
        {
            await previous.ConfigureAwait(false);
            // Saver calls are not cancelled with the run: a step the caller has seen finish stays stored.
            await saver.PutBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }
}
