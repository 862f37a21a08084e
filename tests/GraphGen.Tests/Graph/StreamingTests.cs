using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>StreamAsync in each mode.</summary>
public sealed class StreamingTests
{
    private static CompiledGraph<FanOutState> Pipeline() => new StateGraph<FanOutState>()
        .AddNode("one", (_, ctx) => { ctx.Write("progress:one"); return new FanOutState.Update { Items = ["one"] }; })
        .AddNode("two", _ => new FanOutState.Update { Items = ["two"] })
        .AddEdge(GraphGen.Graph.Start, "one")
        .AddEdge("one", "two")
        .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

    [Fact]
    public async Task Values_mode_streams_the_state_after_every_step()
    {
        var parts = await Pipeline().StreamAsync(new FanOutState.Update { Topic = "t" }, GraphConfig.ForThread("v")).ToListAsync();

        var values = parts.Cast<ValuesPart<FanOutState>>().Select(p => p.Values.Items.Count).ToList();
        Assert.Equal([0, 1, 2], values);
        Assert.Equal("t", ((ValuesPart<FanOutState>)parts[0]).Values.Topic);
    }

    [Fact]
    public async Task Updates_mode_streams_each_nodes_update()
    {
        var parts = await Pipeline().StreamAsync(new FanOutState.Update(), GraphConfig.ForThread("u"), StreamMode.Updates).ToListAsync();

        var updates = parts.Cast<UpdatesPart<FanOutState>>().ToList();
        Assert.Equal(["one", "two"], updates.Select(u => u.Node));
        Assert.Equal(["two"], ((FanOutState.Update)updates[1].Update).Items);
    }

    [Fact]
    public async Task Custom_mode_streams_what_nodes_write()
    {
        var parts = await Pipeline().StreamAsync(new FanOutState.Update(), GraphConfig.ForThread("c"), StreamMode.Custom).ToListAsync();

        var custom = Assert.Single(parts.Cast<CustomPart<FanOutState>>());
        Assert.Equal("one", custom.Node);
        Assert.Equal("progress:one", custom.Data);
    }

    [Fact]
    public async Task Debug_mode_reports_tasks_and_checkpoints()
    {
        var parts = await Pipeline().StreamAsync(new FanOutState.Update(), GraphConfig.ForThread("d"), StreamMode.Debug).ToListAsync();

        var debug = parts.Cast<DebugPart<FanOutState>>().ToList();
        Assert.Equal(4, debug.Count(d => d.Kind == DebugEventKind.Checkpoint));
        Assert.Equal(["__start__", "one", "two"], debug.Where(d => d.Kind == DebugEventKind.TaskStarted).Select(d => d.Node));
        Assert.All(debug.Where(d => d.Kind == DebugEventKind.Checkpoint), d => Assert.Equal("d", d.Checkpoint!.ThreadId));
    }

    [Fact]
    public async Task Combined_modes_and_interrupts_are_streamed()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("ask", (_, ctx) => new FanOutState.Update { Items = [ctx.Interrupt("ok?").GetString()!] })
            .AddEdge(GraphGen.Graph.Start, "ask")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var parts = await app.StreamAsync(new FanOutState.Update(), GraphConfig.ForThread("i"), StreamMode.Values | StreamMode.Updates).ToListAsync();

        var interrupt = Assert.IsType<InterruptPart<FanOutState>>(parts[^1]);
        Assert.Equal(["ask"], interrupt.Next);
        Assert.Equal("ok?", interrupt.Interrupts.Single().Value.GetString());
    }

    [Fact]
    public async Task Stream_errors_surface_to_the_consumer()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("boom", StateUpdate<FanOutState>? (_) => throw new InvalidOperationException("boom"))
            .AddEdge(GraphGen.Graph.Start, "boom")
            .Compile();

        var error = await Assert.ThrowsAsync<NodeFailedException>(async () => await app.StreamAsync(new FanOutState.Update()).ToListAsync());

        Assert.Equal("boom", error.Node);
    }

    [Fact]
    public async Task Stopping_the_enumeration_early_cancels_the_run()
    {
        var saver = new InMemorySaver();
        var app = new StateGraph<CounterState>()
            .AddNode("loop", s => new CounterState.Update { Count = s.Count + 1 })
            .AddEdge(GraphGen.Graph.Start, "loop")
            .AddConditionalEdges("loop", _ => "loop")
            .Compile(new CompileOptions { Checkpointer = saver });
        var config = GraphConfig.ForThread("endless") with { RecursionLimit = 1000 };

        await foreach (var part in app.StreamAsync(new CounterState.Update(), config))
        {
            if (((ValuesPart<CounterState>)part).Values.Count >= 3)
            {
                break;
            }
        }

        // The run stopped between steps: the thread's latest stored checkpoint still has the loop to run.
        var head = await app.GetStateHistoryAsync(config, limit: 1).SingleAsync();
        Assert.True(head.Values.Count >= 3);
        Assert.Equal(["loop"], head.Next);
    }
}
