using GraphGen.Checkpointing;
using GraphGen.Tests.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>
/// How a run hands its checkpoints and writes to the saver: in batches, in order; with async durability a fast invocation
/// is one batch, a slow node overlaps the batch before it, and steps that finish while a batch is stored share the next.
/// </summary>
public sealed class PersistenceBatchTests
{
    // Long enough that the runs below never reach it: only a flush or a batch being stored sends.
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(5);

    private static CompiledGraph<CounterState> Pipeline(
        ICheckpointSaver saver, int nodes, Durability durability = Durability.Async, Func<Task>? inNode = null, TimeSpan? gatherTime = null)
    {
        var graph = new StateGraph<CounterState>();
        var previous = GraphGen.Graph.Start;
        for (var i = 1; i <= nodes; i++)
        {
            var name = $"n{i}";
            graph.AddNode(name, async s =>
            {
                if (inNode is not null)
                {
                    await inNode();
                }
                return (StateUpdate<CounterState>?)new CounterState.Update { Count = s.Count + 1 };
            });
            graph.AddEdge(previous, name);
            previous = name;
        }
        return graph.AddEdge(previous, GraphGen.Graph.End).Compile(new CompileOptions { Checkpointer = saver, Durability = durability, CheckpointGatherTime = gatherTime ?? Forever });
    }

    private static string Kinds(IReadOnlyList<SaverPut> batch) =>
        string.Concat(batch.Select(put => put switch
        {
            CheckpointPut p => p.Metadata.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            WritesPut w => "w",
            _ => "?",
        }));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Async_durability_sends_a_fast_invocation_as_one_batch(int nodes)
    {
        var saver = new RecordingSaver(new InMemorySaver());

        var result = await Pipeline(saver, nodes).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(nodes, result.State.Count);
        Assert.Equal(["-1w0" + string.Concat(Enumerable.Range(1, nodes).Select(i => $"w{i}"))], saver.Batches.Select(Kinds));
        var history = await saver.ListAsync(new CheckpointConfig("t1"), ct: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(nodes + 2, history.Count);
        Assert.Equal(result.Checkpoint, history[0].Config);
    }

    [Fact]
    public async Task Without_gather_time_every_step_that_runs_node_code_sends_what_came_before_it()
    {
        var saver = new RecordingSaver(new InMemorySaver());

        await Pipeline(saver, 3, gatherTime: TimeSpan.Zero).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(["-1w0", "w1", "w2", "w3"], saver.Batches.Select(Kinds));
    }

    [Fact]
    public async Task A_slow_node_finds_its_input_stored_after_the_gather_time()
    {
        // The node waits until the first batch reaches the saver: it must go while the node runs, gather time after it started.
        var firstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saver = new RecordingSaver(new InMemorySaver())
        {
            BeforeBatch = () =>
            {
                firstBatch.TrySetResult();
                return Task.CompletedTask;
            },
        };

        var result = await Pipeline(saver, 1, inNode: () => firstBatch.Task.WaitAsync(TimeSpan.FromSeconds(30)), gatherTime: TimeSpan.FromMilliseconds(20))
            .InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(1, result.State.Count);
        Assert.Equal(["-1w0", "w1"], saver.Batches.Select(Kinds));
    }

    [Fact]
    public void A_negative_gather_time_is_refused_naming_the_option()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Pipeline(new InMemorySaver(), 1, gatherTime: TimeSpan.FromMilliseconds(-1)));

        Assert.Contains("CompileOptions.CheckpointGatherTime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_durability_sends_every_checkpoint_before_the_run_goes_on()
    {
        var saver = new RecordingSaver(new InMemorySaver());

        await Pipeline(saver, 2, Durability.Sync).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(["-1", "w0", "w1", "w2"], saver.Batches.Select(Kinds));
    }

    [Fact]
    public async Task Exit_durability_sends_one_batch_with_the_last_checkpoint()
    {
        var saver = new RecordingSaver(new InMemorySaver());

        await Pipeline(saver, 3, Durability.Exit).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(["3"], saver.Batches.Select(Kinds));
    }

    [Fact]
    public async Task Steps_that_finish_while_a_batch_is_being_stored_go_together_as_the_next_batch()
    {
        // The first batch is held until the fourth node runs: by then the steps of nodes 1–3 have released their puts,
        // which wait and go as one batch. Node 4's own puts join them or follow, depending on which thread is first.
        var fourthRuns = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saver = new RecordingSaver(new InMemorySaver()) { BeforeBatch = () => fourthRuns.Task.WaitAsync(TimeSpan.FromSeconds(30)) };
        var calls = 0;

        var result = await Pipeline(saver, 4, gatherTime: TimeSpan.Zero, inNode: () =>
        {
            if (Interlocked.Increment(ref calls) == 4)
            {
                fourthRuns.TrySetResult();
            }
            return Task.CompletedTask;
        }).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(4, result.State.Count);
        var batches = saver.Batches.Select(Kinds).ToList();
        Assert.Equal("-1w0", batches[0]);
        Assert.StartsWith("w1w2w3", batches[1], StringComparison.Ordinal);
        Assert.Equal("-1w0w1w2w3w4", string.Concat(batches));
        var history = await saver.ListAsync(new CheckpointConfig("t1"), ct: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([4, 3, 2, 1, 0, -1], history.Select(tuple => tuple.Metadata.Step));
    }

    [Fact]
    public async Task With_async_durability_a_node_runs_while_the_batch_before_it_is_being_stored()
    {
        // The first batch is held until the first node has run: if the run waited for the batch, it would never finish.
        var nodeRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saver = new RecordingSaver(new InMemorySaver()) { BeforeBatch = () => nodeRan.Task.WaitAsync(TimeSpan.FromSeconds(30)) };

        var result = await Pipeline(saver, 1, gatherTime: TimeSpan.Zero, inNode: () =>
        {
            nodeRan.TrySetResult();
            return Task.CompletedTask;
        }).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(1, result.State.Count);
        Assert.Equal(["-1w0", "w1"], saver.Batches.Select(Kinds));
    }
}
