using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

/// <summary>
/// The conformance suite every <see cref="ICheckpointSaver"/> runs unchanged: a port of LangGraph's checkpoint spec
/// cases plus this project's additions (optimistic concurrency, prune, copy, thread listing, delta storage hints).
/// Derive a class, implement <see cref="CreateSaverAsync"/>, and every case runs against a fresh saver.
/// </summary>
/// <remarks>
/// Each case gets its own saver from <see cref="CreateSaverAsync"/> and gives it back to <see cref="DisposeSaverAsync"/>,
/// so a SQLite subclass can hand out a temp database file per case and a PostgreSQL subclass a schema per case. A saver
/// that cannot run here (no server configured) calls <c>Assert.Skip("why")</c> in <see cref="CreateSaverAsync"/>: every
/// case then reports as skipped with that reason.
/// </remarks>
public abstract partial class CheckpointSaverConformance : IAsyncLifetime
{
    private ICheckpointSaver? _saver;

    /// <summary>A new, empty saver for one case. Call <c>Assert.Skip</c> here when the saver cannot run.</summary>
    protected abstract Task<ICheckpointSaver> CreateSaverAsync();

    /// <summary>Releases what <see cref="CreateSaverAsync"/> made (the default disposes an <see cref="IAsyncDisposable"/> saver).</summary>
    protected virtual ValueTask DisposeSaverAsync(ICheckpointSaver saver) =>
        saver is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;

    /// <summary>
    /// Closes <paramref name="saver"/> and opens a new one over the same storage, as a process restart would. The
    /// default returns the same instance (an in-memory saver has nothing to reopen); persistent savers should override it.
    /// </summary>
    protected virtual Task<ICheckpointSaver> ReopenSaverAsync(ICheckpointSaver saver) => Task.FromResult(saver);

    /// <summary>The saver of the running case.</summary>
    protected ICheckpointSaver Saver => _saver ?? throw new InvalidOperationException("The saver is created when the case starts.");

    /// <summary>The running case's cancellation token.</summary>
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A writer for a thread and namespace of the running case's saver.</summary>
    protected ThreadWriter Writer(string threadId, string ns = "") => new(Saver, threadId, ns);

    /// <summary>Reopens the saver (see <see cref="ReopenSaverAsync"/>); later calls to <see cref="Saver"/> use the new one.</summary>
    protected async Task ReopenAsync() => _saver = await ReopenSaverAsync(Saver);

    async ValueTask IAsyncLifetime.InitializeAsync() => _saver = await CreateSaverAsync();

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        if (_saver is { } saver)
        {
            _saver = null;
            await DisposeSaverAsync(saver);
        }
        GC.SuppressFinalize(this);
    }
}
