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
/// The run calls <see cref="Start"/> when a step is about to run node code: what was queued before it may go, as one
/// batch, after the gather time, so that fast steps (routing, tools, a whole short invocation) share one
/// transaction or round trip while a slow node (a model call) still finds its input checkpoint stored a moment after it
/// started. While a batch is being stored, what later steps start goes as the next batch (group commit), so a slow saver
/// call never holds a step back. <see cref="FlushAsync"/> sends at once. Savers doing blocking I/O offload it
/// themselves, which is what lets steps overlap the write.
/// </remarks>
/// <param name="saver">The saver the run checkpoints to.</param>
/// <param name="gatherTime">How long started puts wait for the next steps' puts (<see cref="CompileOptions.CheckpointGatherTime"/>).</param>
internal sealed class PersistenceQueue(ICheckpointSaver saver, TimeSpan gatherTime)
{
    private readonly Lock _gate = new();
    private List<SaverPut> _pending = [];
    private List<SaverPut> _ready = [];
    private Task _drain = Task.CompletedTask;
    private bool _draining;
    private bool _sendScheduled;

    /// <summary>Queues a put; it is sent after the next <see cref="Start"/> or <see cref="FlushAsync"/>.</summary>
    public void Enqueue(SaverPut put)
    {
        lock (_gate)
        {
            _pending.Add(put);
        }
    }

    /// <summary>
    /// Lets everything queued so far go: after the gather time, or with the next batch when one is being
    /// stored. Only what was queued before a Start goes, so a step's writes and its checkpoint stay in one batch.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            if (!Release() || _draining || _sendScheduled)
            {
                return;
            }
            _sendScheduled = true;
        }
        _ = SendAfterGatherTimeAsync();
    }

    /// <summary>Sends what is queued and waits until everything is stored; rethrows the first failure.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            Release();
        }
        Send();
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

    /// <summary>Moves the queued puts to the ones that may go; false when there are none or the queue failed.</summary>
    private bool Release()
    {
        if (_drain.IsFaulted)
        {
            return false;
        }
        _ready.AddRange(_pending);
        _pending.Clear();
        return _ready.Count > 0;
    }

    private async Task SendAfterGatherTimeAsync()
    {
        await Task.Delay(gatherTime).ConfigureAwait(false);
        Send();
    }

    /// <summary>Starts storing what may go, unless a batch is being stored (it takes them next) or nothing may go.</summary>
    private void Send()
    {
        List<SaverPut> batch;
        TaskCompletionSource done;
        lock (_gate)
        {
            _sendScheduled = false;
            if (_draining || _ready.Count == 0 || _drain.IsFaulted)
            {
                return;
            }
            (batch, _ready) = (_ready, []);
            _draining = true;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _drain = done.Task;
        }
        // Started outside the lock, so parallel tasks queueing their writes never wait on a running saver call.
        _ = StoreBatchesAsync(batch, done);
    }

    /// <summary>Stores <paramref name="batch"/>, then whatever was released meanwhile, until nothing is left.</summary>
    private async Task StoreBatchesAsync(List<SaverPut> batch, TaskCompletionSource done)
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
