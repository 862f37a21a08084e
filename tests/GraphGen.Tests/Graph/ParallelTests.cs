using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>Supersteps with several tasks: fan-out with Send, joins, deterministic order, failure recovery.</summary>
public sealed class ParallelTests
{
    [Fact]
    public async Task Send_fans_out_one_task_per_item_and_the_join_waits_for_all()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("plan", _ => new FanOutState.Update { Items = ["plan"] })
            .AddNode("work", s => new FanOutState.Update { Items = ["work:" + s.Topic], Total = s.Topic.Length })
            .AddNode("audit", _ => new FanOutState.Update { Items = ["audit"] })
            .AddNode("combine", s => new FanOutState.Update { Items = [$"combine:{s.Total}"] })
            .AddEdge(GraphGen.Graph.Start, "plan")
            .AddConditionalEdges("plan", s => new[] { "a", "bb", "ccc" }.Select(t => new Send<FanOutState>("work", s with { Topic = t })), ["work"])
            .AddEdge("plan", "audit")
            .AddEdge(["work", "audit"], "combine")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var result = await app.InvokeAsync(new FanOutState.Update(), GraphConfig.ForThread("fan"));

        Assert.Equal(["plan", "audit", "work:a", "work:bb", "work:ccc", "combine:6"], result.State.Items);
        Assert.Equal(6, result.State.Total);
    }

    [Fact]
    public async Task A_join_waits_for_branches_of_different_lengths()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("fast", _ => new FanOutState.Update { Items = ["fast"] })
            .AddNode("slow1", _ => new FanOutState.Update { Items = ["slow1"] })
            .AddNode("slow2", _ => new FanOutState.Update { Items = ["slow2"] })
            .AddNode("join", _ => new FanOutState.Update { Items = ["join"] })
            .AddEdge(GraphGen.Graph.Start, "fast")
            .AddEdge(GraphGen.Graph.Start, "slow1")
            .AddEdge("slow1", "slow2")
            .AddEdge(["fast", "slow2"], "join")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var result = await app.InvokeAsync(new FanOutState.Update(), GraphConfig.ForThread("join"));

        Assert.Equal(["fast", "slow1", "slow2", "join"], result.State.Items);
    }

    [Fact]
    public async Task Two_writes_to_a_last_value_channel_in_one_step_name_both_nodes()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("left", _ => new FanOutState.Update { Topic = "l" })
            .AddNode("right", _ => new FanOutState.Update { Topic = "r" })
            .AddEdge(GraphGen.Graph.Start, "left")
            .AddEdge(GraphGen.Graph.Start, "right")
            .Compile();

        var error = await Assert.ThrowsAsync<InvalidUpdateException>(() => app.InvokeAsync(new FanOutState.Update()));

        Assert.Contains("'topic'", error.Message);
        Assert.Contains("'left'", error.Message);
        Assert.Contains("'right'", error.Message);
    }

    [Fact]
    public async Task A_failed_node_is_the_only_one_rerun_on_resume()
    {
        var runs = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var failOnce = true;
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => { runs.AddOrUpdate("a", 1, (_, n) => n + 1); return new FanOutState.Update { Items = ["a"] }; })
            .AddNode("b", _ =>
            {
                runs.AddOrUpdate("b", 1, (_, n) => n + 1);
                if (failOnce)
                {
                    failOnce = false;
                    throw new TimeoutException("model timed out");
                }
                return new FanOutState.Update { Items = ["b"] };
            })
            .AddNode("c", _ => { runs.AddOrUpdate("c", 1, (_, n) => n + 1); return new FanOutState.Update { Items = ["c"] }; })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge(GraphGen.Graph.Start, "b")
            .AddEdge(GraphGen.Graph.Start, "c")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("fault");

        var error = await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        Assert.Equal("b", error.Node);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("'fault'", error.Message);

        var snapshot = await app.GetStateAsync(config);
        Assert.Equal(["b"], snapshot.Next);
        Assert.Equal(["a", "c"], snapshot.Values.Items);
        Assert.Equal([true, false, true], snapshot.Tasks.Select(t => t.Completed));
        Assert.Contains("model timed out", snapshot.Tasks[1].Error);
        var stored = await app.GetStateHistoryAsync(config, limit: 1).SingleAsync();
        Assert.Equal(["a", "b", "c"], stored.Next);
        Assert.Empty(stored.Values.Items);

        var result = await app.InvokeAsync(null, config);

        Assert.Equal(1, runs["a"]);
        Assert.Equal(2, runs["b"]);
        Assert.Equal(1, runs["c"]);
        Assert.Equal(["a", "b", "c"], result.State.Items);
    }

    [Fact]
    public async Task Parallel_nodes_really_run_concurrently()
    {
        var bothStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;
        async ValueTask<StateUpdate<FanOutState>?> Node(string name)
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                bothStarted.SetResult();
            }
            await bothStarted.Task.WaitAsync(TestContext.Current.CancellationToken);
            return new FanOutState.Update { Items = [name] };
        }
        var app = new StateGraph<FanOutState>()
            .AddNode("x", _ => Node("x"))
            .AddNode("y", _ => Node("y"))
            .AddEdge(GraphGen.Graph.Start, "x")
            .AddEdge(GraphGen.Graph.Start, "y")
            .Compile();

        var result = await app.InvokeAsync(new FanOutState.Update(), ct: TestContext.Current.CancellationToken);

        Assert.Equal(["x", "y"], result.State.Items);
    }
}
