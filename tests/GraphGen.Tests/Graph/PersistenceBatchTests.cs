using GraphGen.Checkpointing;
using GraphGen.Tests.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>
/// How a run hands its checkpoints and writes to the saver: in batches, one per step that runs node code plus the last,
/// in order, and (with async durability) while the next steps run, which then share the next batch.
/// </summary>
public sealed class PersistenceBatchTests
{
    private static CompiledGraph<CounterState> Pipeline(ICheckpointSaver saver, int nodes, Durability durability = Durability.Async, Func<Task>? inNode = null)
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
        return graph.AddEdge(previous, GraphGen.Graph.End).Compile(new CompileOptions { Checkpointer = saver, Durability = durability });
    }

    private static string Kinds(IReadOnlyList<SaverPut> batch) =>
        string.Concat(batch.Select(put => put switch
        {
            CheckpointPut p => p.Metadata.Step.ToString(System.Globalization.CultureInfo.InvariantCulture),
            WritesPut w => "w",
            _ => "?",
        }));

    [Theory]
    [InlineData(1, new[] { "-1w0", "w1" })]
    [InlineData(3, new[] { "-1w0", "w1", "w2", "w3" })]
    public async Task Async_durability_sends_the_input_and_start_step_together_then_one_batch_per_step(int nodes, string[] expected)
    {
        var saver = new RecordingSaver(new InMemorySaver());

        var result = await Pipeline(saver, nodes).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(nodes, result.State.Count);
        Assert.Equal(expected, saver.Batches.Select(Kinds));
        var history = await saver.ListAsync(new CheckpointConfig("t1"), ct: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(nodes + 2, history.Count);
        Assert.Equal(result.Checkpoint, history[0].Config);
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
        // The first batch is held until the third node has run: the puts of all three steps wait, then go as one batch.
        var thirdRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saver = new RecordingSaver(new InMemorySaver()) { BeforeBatch = () => thirdRan.Task.WaitAsync(TimeSpan.FromSeconds(30)) };
        var calls = 0;

        var result = await Pipeline(saver, 3, inNode: () =>
        {
            if (Interlocked.Increment(ref calls) == 3)
            {
                thirdRan.TrySetResult();
            }
            return Task.CompletedTask;
        }).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(3, result.State.Count);
        Assert.Equal(["-1w0", "w1w2w3"], saver.Batches.Select(Kinds));
        var history = await saver.ListAsync(new CheckpointConfig("t1"), ct: TestContext.Current.CancellationToken).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([3, 2, 1, 0, -1], history.Select(tuple => tuple.Metadata.Step));
    }

    [Fact]
    public async Task With_async_durability_a_node_runs_while_the_batch_before_it_is_being_stored()
    {
        // The first batch is held until the first node has run: if the run waited for the batch, it would never finish.
        var nodeRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saver = new RecordingSaver(new InMemorySaver()) { BeforeBatch = () => nodeRan.Task.WaitAsync(TimeSpan.FromSeconds(30)) };

        var result = await Pipeline(saver, 1, inNode: () =>
        {
            nodeRan.TrySetResult();
            return Task.CompletedTask;
        }).InvokeAsync(new CounterState.Update { Count = 0 }, GraphConfig.ForThread("t1"), TestContext.Current.CancellationToken);

        Assert.Equal(1, result.State.Count);
        Assert.Equal(["-1w0", "w1"], saver.Batches.Select(Kinds));
    }
}
