using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// Collects a run's saver calls and hands them to the saver in batches (<see cref="ICheckpointSaver.PutBatchAsync"/>),
/// one batch at a time and in the order they were queued, so that with async durability a checkpoint always reaches
/// the saver before the writes made against it, while the next steps already run. The first failure (for example a
/// <see cref="CheckpointConflictException"/>) stops the queue: nothing queued later is sent, and the failure is
/// rethrown at the next <see cref="FlushAsync"/>.
/// </summary>
/// <remarks>
/// Nothing is sent until <see cref="Start"/>: the run starts a batch when a step is about to run node code, so the
/// input checkpoint, the start task's writes and the first step's checkpoint share one transaction or round trip.
/// While a batch is being stored, what the next steps queue waits and goes as the next batch (group commit): fast steps
/// cost one batch between them, not one each, and a slow saver call never holds a step back. An idle queue starts the
/// batch at once on the caller's thread (the cheapest path for savers that finish synchronously); savers doing
/// blocking I/O offload it themselves, which is what lets steps overlap the write.
/// </remarks>
internal sealed class PersistenceQueue(ICheckpointSaver saver)
{
    private readonly Lock _gate = new();
    private List<SaverPut> _pending = [];
    private List<SaverPut> _ready = [];
    private Task _drain = Task.CompletedTask;
    private bool _draining;

    /// <summary>Queues a put for the next batch.</summary>
    public void Enqueue(SaverPut put)
    {
        lock (_gate)
        {
            _pending.Add(put);
        }
    }

    /// <summary>
    /// Sends everything queued so far as one batch, unless a batch is being stored: then it goes with the next one
    /// when that finishes. Does nothing after a failure.
    /// </summary>
    public void Start()
    {
        List<SaverPut> batch;
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_pending.Count == 0 || _drain.IsFaulted)
            {
                return;
            }
            // Only what was queued before a Start is sent, so a step's writes and its checkpoint stay in one batch.
            _ready.AddRange(_pending);
            _pending.Clear();
            if (_draining)
            {
                return;
            }
            (batch, _ready) = (_ready, []);
            _draining = true;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drain = done.Task;
        }
        // Started outside the lock, so parallel tasks queueing their writes never wait on a running saver call.
        _ = DrainAsync(batch, done);
    }

    /// <summary>Sends what is queued and waits until everything is stored; rethrows the first failure.</summary>
    public Task FlushAsync()
    {
        Start();
        lock (_gate)
        {
            return _drain;
        }
    }

    /// <summary>Sends what is queued and waits, ignoring failures (used when the run already failed).</summary>
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

    /// <summary>Surfaces a failure of a batch sent earlier without waiting for a batch still being stored.</summary>
    public void ThrowIfFaulted()
    {
        Task drain;
        lock (_gate)
        {
            drain = _drain;
        }
        if (drain.IsFaulted)
        {
            drain.GetAwaiter().GetResult();
        }
    }

    /// <summary>Stores <paramref name="batch"/>, then whatever was started meanwhile, until nothing is left.</summary>
    private async Task DrainAsync(List<SaverPut> batch, TaskCompletionSource done)
    {
        try
        {
            while (true)
            {
                // Saver calls are not cancelled with the run: a step the caller has seen finish stays stored.
                await saver.PutBatchAsync(batch, CancellationToken.None).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_ready.Count == 0)
                    {
                        _draining = false;
                        break;
                    }
                    (batch, _ready) = (_ready, []);
                }
            }
            done.SetResult();
        }
        catch (Exception e)
        {
            lock (_gate)
            {
                // Faulted before the queue looks idle, so no later Start sends what was queued after the failure.
                done.SetException(e);
                _draining = false;
            }
        }
    }
}
