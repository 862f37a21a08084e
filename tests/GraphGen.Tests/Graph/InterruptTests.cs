using System.Text.Json;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>Human-in-the-loop: static breakpoints and dynamic interrupts with resume values.</summary>
public sealed class InterruptTests
{
    private static StateGraph<FanOutState> ReviewFlow(Action<string>? ran = null) => new StateGraph<FanOutState>()
        .AddNode("draft", _ => { ran?.Invoke("draft"); return new FanOutState.Update { Items = ["draft"] }; })
        .AddNode("human_review", s => { ran?.Invoke("human_review"); return new FanOutState.Update { Items = ["reviewed:" + s.Topic] }; })
        .AddNode("send", _ => { ran?.Invoke("send"); return new FanOutState.Update { Items = ["sent"] }; })
        .AddEdge(GraphGen.Graph.Start, "draft")
        .AddEdge("draft", "human_review")
        .AddEdge("human_review", "send");

    [Fact]
    public async Task Interrupt_before_review_then_update_and_resume_to_completion()
    {
        var ran = new List<string>();
        var app = ReviewFlow(ran.Add).Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = ["human_review"] });
        var config = GraphConfig.ForThread("review");

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "v1" }, config);

        Assert.True(stopped.IsInterrupted);
        Assert.Equal(["human_review"], stopped.Next);
        Assert.Equal(["draft"], ran);
        Assert.Equal(["human_review"], (await app.GetStateAsync(config)).Next);

        await app.UpdateStateAsync(config, new FanOutState.Update { Topic = "v2" });
        var done = await app.InvokeAsync(null, config);

        Assert.False(done.IsInterrupted);
        Assert.Equal(["draft", "human_review", "send"], ran);
        Assert.Equal(["draft", "reviewed:v2", "sent"], done.State.Items);
        Assert.Empty((await app.GetStateAsync(config)).Next);
    }

    [Fact]
    public async Task Interrupt_after_stops_once_and_resumes()
    {
        var app = ReviewFlow().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("after") with { InterruptAfter = ["draft"] };

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "t" }, config);
        Assert.Equal(["human_review"], stopped.Next);
        Assert.Equal(["draft"], stopped.State.Items);

        var done = await app.InvokeAsync(null, config);
        Assert.Equal(["draft", "reviewed:t", "sent"], done.State.Items);
    }

    [Fact]
    public async Task Dynamic_interrupt_returns_the_resume_value_and_reruns_the_node()
    {
        var attempts = 0;
        var app = new StateGraph<FanOutState>()
            .AddNode("ask", (s, ctx) =>
            {
                attempts++;
                var answer = ctx.Interrupt($"Approve '{s.Topic}'?");
                return new FanOutState.Update { Items = ["answer:" + answer.GetString()] };
            })
            .AddEdge(GraphGen.Graph.Start, "ask")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("dyn");

        var stopped = await app.InvokeAsync(new FanOutState.Update { Topic = "refund" }, config);

        var interrupt = Assert.Single(stopped.Interrupts);
        Assert.Equal("Approve 'refund'?", interrupt.Value.GetString());
        Assert.Equal("ask", interrupt.Node);
        var snapshot = await app.GetStateAsync(config);
        Assert.Equal(["ask"], snapshot.Next);
        Assert.Equal(interrupt.Id, Assert.Single(snapshot.Interrupts).Id);

        var done = await app.InvokeAsync(Command.Resume("yes"), config);

        Assert.Equal(2, attempts);
        Assert.Equal(["answer:yes"], done.State.Items);
        Assert.Empty(done.Interrupts);
        Assert.Empty((await app.GetStateAsync(config)).Interrupts);
    }

    [Fact]
    public async Task Two_interrupts_in_one_node_take_resume_values_in_order()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("form", (_, ctx) =>
            {
                var name = ctx.Interrupt("name?").GetString();
                var city = ctx.Interrupt("city?").GetString();
                return new FanOutState.Update { Items = [$"{name}@{city}"] };
            })
            .AddEdge(GraphGen.Graph.Start, "form")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("form");

        var first = await app.InvokeAsync(new FanOutState.Update(), config);
        var second = await app.InvokeAsync(Command.Resume("Ada"), config);
        var done = await app.InvokeAsync(Command.Resume("London"), config);

        Assert.Equal("name?", first.Interrupts.Single().Value.GetString());
        Assert.Equal("city?", second.Interrupts.Single().Value.GetString());
        Assert.Equal(["Ada@London"], done.State.Items);
    }

    [Fact]
    public async Task Parallel_interrupts_need_resume_by_id()
    {
        var app = new StateGraph<FanOutState>()
            .AddNode("left", (_, ctx) => new FanOutState.Update { Items = ["left:" + ctx.Interrupt("left?").GetString()] })
            .AddNode("right", (_, ctx) => new FanOutState.Update { Items = ["right:" + ctx.Interrupt("right?").GetString()] })
            .AddEdge(GraphGen.Graph.Start, "left")
            .AddEdge(GraphGen.Graph.Start, "right")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("two");

        var stopped = await app.InvokeAsync(new FanOutState.Update(), config);
        Assert.Equal(2, stopped.Interrupts.Count);

        var ambiguous = await Assert.ThrowsAsync<InvalidUpdateException>(() => app.InvokeAsync(Command.Resume("x"), config));
        Assert.Contains("ResumeById", ambiguous.Message);
        var unknown = await Assert.ThrowsAsync<InvalidUpdateException>(
            () => app.InvokeAsync(Command.ResumeById(new Dictionary<string, JsonElement> { ["nope"] = Json.Of("x") }), config));
        Assert.Contains("'nope'", unknown.Message);

        var byId = stopped.Interrupts.ToDictionary(i => i.Id, i => Json.Of(i.Node == "left" ? "L" : "R"));
        var done = await app.InvokeAsync(Command.ResumeById(byId), config);

        Assert.Equal(["left:L", "right:R"], done.State.Items);
    }

    [Fact]
    public async Task Resume_without_a_pending_interrupt_says_so()
    {
        var app = ReviewFlow().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("none");
        await app.InvokeAsync(new FanOutState.Update(), config);

        var error = await Assert.ThrowsAsync<InvalidUpdateException>(() => app.InvokeAsync(Command.Resume("x"), config));

        Assert.Contains("no pending interrupt", error.Message);
    }

    [Fact]
    public async Task Interrupt_names_must_be_nodes()
    {
        var error = Assert.Throws<GraphValidationException>(
            () => ReviewFlow().Compile(new CompileOptions { Checkpointer = new InMemorySaver(), InterruptBefore = ["humanreview"] }));

        Assert.Contains("'humanreview'", error.Message);
    }

    [Fact]
    public async Task Interrupts_survive_exit_durability()
    {
        var saver = new InMemorySaver();
        var app = new StateGraph<FanOutState>()
            .AddNode("work", _ => new FanOutState.Update { Items = ["work"] })
            .AddNode("ask", (_, ctx) => new FanOutState.Update { Items = ["ok:" + ctx.Interrupt("ok?").GetString()] })
            .AddEdge(GraphGen.Graph.Start, "work")
            .AddEdge("work", "ask")
            .Compile(new CompileOptions { Checkpointer = saver, Durability = Durability.Exit });
        var config = GraphConfig.ForThread("exit");

        var stopped = await app.InvokeAsync(new FanOutState.Update(), config);
        var checkpoints = await saver.ListAsync(new CheckpointConfig("exit")).CountAsync();
        var done = await app.InvokeAsync(Command.Resume("y"), config);

        Assert.Single(stopped.Interrupts);
        Assert.Equal(1, checkpoints);
        Assert.Equal(["work", "ok:y"], done.State.Items);
        Assert.Equal(2, await saver.ListAsync(new CheckpointConfig("exit")).CountAsync());
    }
}
