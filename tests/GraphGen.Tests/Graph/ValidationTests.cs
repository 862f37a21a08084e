using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>Wiring mistakes and misuse produce typed errors that say what to fix.</summary>
public sealed class ValidationTests
{
    private static StateGraph<CounterState> OneNode() => new StateGraph<CounterState>()
        .AddNode("a", s => new CounterState.Update { Count = s.Count + 1 });

    [Fact]
    public void An_edge_to_an_unknown_node_is_named()
    {
        var error = Assert.Throws<GraphValidationException>(() => OneNode().AddEdge(GraphGen.Graph.Start, "a").AddEdge("a", "b").Compile());

        Assert.Contains("'b'", error.Message);
        Assert.Contains("known nodes: a", error.Message);
    }

    [Fact]
    public void A_graph_without_an_entry_is_rejected()
    {
        var error = Assert.Throws<GraphValidationException>(() => OneNode().Compile());

        Assert.Contains("no entry point", error.Message);
    }

    [Fact]
    public void An_unreachable_node_is_named()
    {
        var error = Assert.Throws<GraphValidationException>(() => OneNode()
            .AddNode("island", _ => null)
            .SetEntryPoint("a")
            .Compile());

        Assert.Contains("'island'", error.Message);
    }

    [Fact]
    public void A_conditional_edge_with_declared_destinations_is_checked()
    {
        var error = Assert.Throws<GraphValidationException>(() => OneNode()
            .SetEntryPoint("a")
            .AddConditionalEdges("a", _ => "x", ["x"])
            .Compile());

        Assert.Contains("'x'", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("__start__")]
    [InlineData("a:b")]
    [InlineData("a|b")]
    public void Reserved_node_names_are_rejected(string name)
    {
        Assert.Throws<GraphValidationException>(() => new StateGraph<CounterState>().AddNode(name, _ => null));
    }

    [Fact]
    public void Duplicate_node_names_are_rejected()
    {
        var error = Assert.Throws<GraphValidationException>(() => OneNode().AddNode("a", _ => null));

        Assert.Contains("'a'", error.Message);
    }

    [Fact]
    public async Task A_checkpointed_call_without_a_thread_id_says_how_to_fix_it()
    {
        var app = OneNode().SetEntryPoint("a").Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        // What GG0020 warns about at compile time, done on purpose to check the run-time error.
#pragma warning disable GG0020
        var invoke = await Assert.ThrowsAsync<MissingThreadIdException>(() => app.InvokeAsync(new CounterState.Update()));
        var state = await Assert.ThrowsAsync<MissingThreadIdException>(() => app.GetStateAsync(new GraphConfig()));
        await Assert.ThrowsAsync<MissingThreadIdException>(() => app.UpdateStateAsync(new GraphConfig(), null));
        await Assert.ThrowsAsync<MissingThreadIdException>(async () => await app.GetStateHistoryAsync(new GraphConfig()).ToListAsync());
        await Assert.ThrowsAsync<MissingThreadIdException>(async () => await app.StreamAsync(new CounterState.Update()).ToListAsync());
#pragma warning restore GG0020

        Assert.Contains("ThreadId", invoke.Message);
        Assert.Equal("GetStateAsync", state.Operation);
    }

    [Fact]
    public async Task A_route_that_never_ends_hits_the_recursion_limit()
    {
        var app = OneNode().SetEntryPoint("a").AddConditionalEdges("a", _ => "a").Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var error = await Assert.ThrowsAsync<GraphRecursionException>(
            () => app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("loop") with { RecursionLimit = 5 }));

        Assert.Equal(5, error.Limit);
        Assert.Contains("'loop'", error.Message);
    }

    [Fact]
    public async Task A_route_to_an_unknown_node_fails_with_its_name()
    {
        var app = OneNode().SetEntryPoint("a").AddConditionalEdges("a", _ => "nowhere").Compile();

        var error = await Assert.ThrowsAsync<NodeFailedException>(() => app.InvokeAsync(new CounterState.Update()));

        Assert.Contains("'nowhere'", error.InnerException!.Message);
    }

    [Fact]
    public async Task Reserved_metadata_keys_are_rejected()
    {
        var app = OneNode().SetEntryPoint("a").Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        var config = GraphConfig.ForThread("m") with { Metadata = new Dictionary<string, object?> { ["step"] = 1 } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => app.InvokeAsync(new CounterState.Update(), config));

        Assert.Contains("'step'", error.Message);
    }

    [Fact]
    public async Task Custom_metadata_is_stored_and_filterable()
    {
        var saver = new InMemorySaver();
        var app = OneNode().SetEntryPoint("a").Compile(new CompileOptions { Checkpointer = saver });
        await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("m") with { Metadata = new Dictionary<string, object?> { ["user"] = "ada" } });
        await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("m") with { Metadata = new Dictionary<string, object?> { ["user"] = "bob" } });

        var ada = await app.GetStateHistoryAsync(GraphConfig.ForThread("m"), new Dictionary<string, object?> { ["user"] = "ada" }).ToListAsync();

        Assert.Equal([1, 0, 0], ada.Select(s => s.Values.Count));
        Assert.All(ada, s => Assert.Equal("ada", s.Metadata!.Custom["user"]));
    }

    [Fact]
    public void Mermaid_shows_nodes_and_edges()
    {
        var mermaid = OneNode().SetEntryPoint("a").AddEdge("a", GraphGen.Graph.End).Compile().ToMermaid();

        Assert.Contains("__start__ --> a", mermaid);
        Assert.Contains("a --> __end__", mermaid);
        Assert.StartsWith("graph TD", mermaid);
    }
}
