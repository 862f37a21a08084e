using System.Runtime.CompilerServices;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>Two runs on one thread, cancellation, and what each leaves behind.</summary>
public sealed class ConcurrencyTests
{
    private static CompiledGraph<CounterState> Counter(ICheckpointSaver saver, Durability durability = Durability.Async) => new StateGraph<CounterState>()
        .AddNode("increment", s => new CounterState.Update { Count = s.Count + 1 })
        .AddEdge(GraphGen.Graph.Start, "increment")
        .Compile(new CompileOptions { Checkpointer = saver, Durability = durability });

    [Theory]
    [InlineData(Durability.Async)]
    [InlineData(Durability.Sync)]
    [InlineData(Durability.Exit)]
    public async Task Two_concurrent_runs_on_one_thread_give_one_conflict_and_lose_nothing(Durability durability)
    {
        var saver = new InMemorySaver();
        var app = Counter(saver, durability);
        var config = GraphConfig.ForThread("race");
        await app.InvokeAsync(new CounterState.Update(), config);

        // Both runs read the thread before either writes, the interleaving that loses updates without a check.
        var gated = new GatedSaver(saver, readers: 2);
        var racing = Counter(gated, durability);
        var runs = new[] { racing.InvokeAsync(new CounterState.Update(), config), racing.InvokeAsync(new CounterState.Update(), config) };
        var outcomes = await Task.WhenAll(runs.Select(Outcome));

        var winner = Assert.Single(outcomes, o => o.Error is null).Result!;
        var loser = Assert.Single(outcomes, o => o.Error is not null).Error;
        var conflict = Assert.IsType<CheckpointConflictException>(loser);
        Assert.Equal("race", conflict.ThreadId);
        Assert.Equal(2, winner.State.Count);
        var head = await app.GetStateAsync(config);
        Assert.Equal(2, head.Values.Count);
        Assert.Equal(winner.Checkpoint, head.Config);
        // The loser's retry sees the winner's work.
        Assert.Equal(3, (await app.InvokeAsync(new CounterState.Update(), config)).State.Count);
    }

    private static async Task<(GraphResult<CounterState>? Result, Exception? Error)> Outcome(Task<GraphResult<CounterState>> run)
    {
        try
        {
            return (await run, null);
        }
        catch (Exception e)
        {
            return (null, e);
        }
    }

    [Fact]
    public async Task Cancelling_mid_run_leaves_the_last_checkpoint_loadable()
    {
        var saver = new InMemorySaver();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var block = true;
        var app = new StateGraph<FanOutState>()
            .AddNode("first", _ => new FanOutState.Update { Items = ["first"] })
            .AddNode("slow", async (_, ctx) =>
            {
                if (block)
                {
                    entered.SetResult();
                    await Task.Delay(Timeout.Infinite, ctx.CancellationToken);
                }
                return new FanOutState.Update { Items = ["slow"] };
            })
            .AddEdge(GraphGen.Graph.Start, "first")
            .AddEdge("first", "slow")
            .Compile(new CompileOptions { Checkpointer = saver, Durability = Durability.Sync });
        var config = GraphConfig.ForThread("cancel");
        using var cts = new CancellationTokenSource();

        var run = app.InvokeAsync(new FanOutState.Update(), config, cts.Token);
        await entered.Task.WaitAsync(TestContext.Current.CancellationToken);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var snapshot = await app.GetStateAsync(config);
        Assert.Equal(["first"], snapshot.Values.Items);
        Assert.Equal(["slow"], snapshot.Next);

        block = false;
        var resumed = await app.InvokeAsync(null, config);
        Assert.Equal(["first", "slow"], resumed.State.Items);
    }

    [Fact]
    public async Task Many_threads_in_parallel_stay_separate()
    {
        var app = Counter(new InMemorySaver());

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async t =>
        {
            for (var i = 0; i < 10; i++)
            {
                await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread($"t{t}"));
            }
        }));

        for (var t = 0; t < 16; t++)
        {
            Assert.Equal(10, (await app.GetStateAsync(GraphConfig.ForThread($"t{t}"))).Values.Count);
        }
    }

    /// <summary>Holds the first <c>readers</c> reads until all of them have read, then behaves like the inner saver.</summary>
    private sealed class GatedSaver(ICheckpointSaver inner, int readers) : ICheckpointSaver
    {
        private readonly TaskCompletionSource _allRead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public async ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default)
        {
            var tuple = await inner.GetTupleAsync(config, ct);
            if (Interlocked.Increment(ref _reads) == readers)
            {
                _allRead.SetResult();
            }
            await _allRead.Task.WaitAsync(ct);
            return tuple;
        }

        public IAsyncEnumerable<CheckpointTuple> ListAsync(CheckpointConfig? config, IReadOnlyDictionary<string, object?>? filter = null, CheckpointConfig? before = null, int? limit = null, CancellationToken ct = default) =>
            inner.ListAsync(config, filter, before, limit, ct);

        public ValueTask<CheckpointConfig> PutAsync(CheckpointConfig config, Checkpoint checkpoint, CheckpointMetadata metadata, IReadOnlyDictionary<string, string> newVersions, CancellationToken ct = default) =>
            inner.PutAsync(config, checkpoint, metadata, newVersions, ct);

        public ValueTask PutWritesAsync(CheckpointConfig config, IReadOnlyList<ChannelWrite> writes, string taskId, string taskPath = "", CancellationToken ct = default) =>
            inner.PutWritesAsync(config, writes, taskId, taskPath, ct);

        public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default) => inner.DeleteThreadAsync(threadId, ct);

        public ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default) =>
            inner.PruneAsync(threadIds, strategy, ct);

        public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default) =>
            inner.CopyThreadAsync(sourceThreadId, targetThreadId, ct);

        public IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default) => inner.ListThreadsAsync(ct);
    }
}
