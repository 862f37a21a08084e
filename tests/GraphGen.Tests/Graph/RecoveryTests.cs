using System.Collections.Concurrent;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>What happens to unfinished work: failures and interrupts meeting new input, manual updates, exit durability, forks.</summary>
public sealed class RecoveryTests
{
    private static (CompiledGraph<FanOutState> App, ConcurrentDictionary<string, int> Runs) ParallelWithFailingB(
        Func<bool> failB, Durability durability = Durability.Async)
    {
        var runs = new ConcurrentDictionary<string, int>();
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => { runs.AddOrUpdate("a", 1, (_, n) => n + 1); return new FanOutState.Update { Items = ["a"] }; })
            .AddNode("b", _ =>
            {
                runs.AddOrUpdate("b", 1, (_, n) => n + 1);
                return failB() ? throw new TimeoutException("boom") : new FanOutState.Update { Items = ["b"] };
            })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge(GraphGen.Graph.Start, "b")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Durability = durability });
        return (app, runs);
    }

    private static Func<bool> Once()
    {
        var first = true;
        return () => { var fail = first; first = false; return fail; };
    }

    [Fact]
    public async Task Exit_durability_keeps_a_finished_siblings_work_after_a_failure()
    {
        var (app, runs) = ParallelWithFailingB(Once(), Durability.Exit);
        var config = GraphConfig.ForThread("exit-fail");

        await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        var done = await app.InvokeAsync(null, config);

        Assert.Equal(1, runs["a"]);
        Assert.Equal(2, runs["b"]);
        Assert.Equal(["a", "b"], done.State.Items);
    }

    [Fact]
    public async Task Exit_durability_keeps_a_finished_siblings_work_after_an_interrupt()
    {
        var runs = 0;
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => { runs++; return new FanOutState.Update { Items = ["a"] }; })
            .AddNode("ask", (_, ctx) => new FanOutState.Update { Items = ["ask:" + ctx.Interrupt("?").GetString()] })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge(GraphGen.Graph.Start, "ask")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Durability = Durability.Exit });
        var config = GraphConfig.ForThread("exit-interrupt");

        var stopped = await app.InvokeAsync(new FanOutState.Update(), config);
        var done = await app.InvokeAsync(Command.Resume("y"), config);

        Assert.Equal(["ask"], stopped.Next);
        Assert.Equal(1, runs);
        Assert.Equal(["a", "ask:y"], done.State.Items);
    }

    [Fact]
    public async Task Exit_durability_saves_progress_when_the_recursion_limit_stops_the_run()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("loop", _ => new FanOutState.Update { Total = 1 })
            .AddEdge(GraphGen.Graph.Start, "loop")
            .AddConditionalEdges("loop", _ => "loop", ["loop"])
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Durability = Durability.Exit });
        var config = GraphConfig.ForThread("exit-limit") with { RecursionLimit = 5 };

        await Assert.ThrowsAsync<GraphRecursionException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        var snapshot = await app.GetStateAsync(config);

        Assert.NotNull(snapshot.Config);
        Assert.Equal(4, snapshot.Values.Total);
        Assert.Equal(["loop"], snapshot.Next);
    }

    [Fact]
    public async Task New_input_abandons_a_failed_step()
    {
        var calls = 0;
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => new FanOutState.Update { Items = ["a"] })
            .AddNode("b", s => calls++ == 0 ? throw new TimeoutException("boom") : new FanOutState.Update { Items = ["b:" + s.Topic] })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge("a", "b")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("abandon");

        await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update { Topic = "t1" }, config));
        var second = await app.InvokeAsync(new FanOutState.Update { Topic = "t2" }, config);

        Assert.Equal(["a", "a", "b:t2"], second.State.Items);
    }

    [Fact]
    public async Task New_input_after_a_breakpoint_starts_a_new_turn()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("a", _ => new FanOutState.Update { Items = ["a"] })
            .AddNode("b", _ => new FanOutState.Update { Items = ["b"] })
            .AddEdge(GraphGen.Graph.Start, "a")
            .AddEdge("a", "b")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = ["b"] });
        var config = GraphConfig.ForThread("breakpoint-input");

        await app.InvokeAsync(new FanOutState.Update { Topic = "t1" }, config);
        var second = await app.InvokeAsync(new FanOutState.Update { Topic = "t2" }, config);

        Assert.Equal(["b"], second.Next);
        Assert.Equal(["a", "a"], second.State.Items);
        Assert.Equal("t2", second.State.Topic);
    }

    [Fact]
    public async Task Update_state_keeps_the_work_of_tasks_that_finished()
    {
        var (app, runs) = ParallelWithFailingB(Once());
        var config = GraphConfig.ForThread("update-keeps");

        await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));
        await app.UpdateStateAsync(config, new FanOutState.Update { Items = ["b-by-hand"] }, "b");
        var done = await app.InvokeAsync(null, config);

        Assert.Equal(1, runs["a"]);
        Assert.Equal(1, runs["b"]);
        Assert.Equal(["a", "b-by-hand"], done.State.Items);
    }

    [Fact]
    public async Task Update_state_after_only_the_input_ran_keeps_the_turn_pending()
    {
        var runs = 0;
        var app = new StateGraph<FanOutState>()
            .AddNode("chat", s => { runs++; return new FanOutState.Update { Items = ["chat:" + s.Topic] }; })
            .AddEdge(GraphGen.Graph.Start, "chat")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = ["chat"] });
        var config = GraphConfig.ForThread("input-only");
        await app.InvokeAsync(new FanOutState.Update { Topic = "t1" }, config);
        await app.InvokeAsync(null, config);

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "t2" }, config);
        await app.UpdateStateAsync(config, new FanOutState.Update { Topic = "edited" });
        var pending = (await app.GetStateAsync(config)).Next;
        var done = await app.InvokeAsync(null, config);

        Assert.Equal(["chat"], stopped.Next);
        Assert.Equal(["chat"], pending);
        Assert.Equal(2, runs);
        Assert.Equal(["chat:t1", "chat:edited"], done.State.Items);
    }

    [Fact]
    public async Task Resuming_an_older_interrupt_forks_a_new_branch()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("ask", (_, ctx) => new FanOutState.Update { Items = ["ask:" + ctx.Interrupt("?").GetString()] })
            .AddEdge(GraphGen.Graph.Start, "ask")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("older-interrupt");
        var stopped = await app.InvokeAsync(new FanOutState.Update(), config);
        var first = await app.InvokeAsync(Command.Resume("yes"), config);

        var branch = await app.InvokeAsync(Command.Resume("no"), config with { CheckpointId = stopped.Checkpoint!.CheckpointId });

        Assert.Equal(["ask:yes"], first.State.Items);
        Assert.Equal(["ask:no"], branch.State.Items);
        Assert.Equal(["ask:no"], (await app.GetStateAsync(config)).Values.Items);
    }

    [Fact]
    public async Task Several_failures_in_one_step_are_all_named()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("x", StateUpdate<FanOutState>? (_) => throw new InvalidOperationException("x broke"))
            .AddNode("y", StateUpdate<FanOutState>? (_) => throw new InvalidOperationException("y broke"))
            .AddEdge(GraphGen.Graph.Start, "x")
            .AddEdge(GraphGen.Graph.Start, "y")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("two-failures");

        var error = await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new FanOutState.Update(), config));

        Assert.Equal("x", error.Node);
        Assert.Equal(["y"], error.AlsoFailed);
        var tasks = (await app.GetStateAsync(config)).Tasks;
        Assert.Equal(["InvalidOperationException: x broke", "InvalidOperationException: y broke"], tasks.Select(t => t.Error));
    }
}
