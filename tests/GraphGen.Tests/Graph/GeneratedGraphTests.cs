using System.Runtime.CompilerServices;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Graph;

[Graph<CounterState>]
[Edge(nameof(Increment), GraphGen.Graph.End)]
public static partial class CounterGraph
{
    [Node, Entry]
    private static CounterState.Update Increment(CounterState state) => new() { Count = state.Count + 1 };
}

/// <summary>Chat, and summarize once the conversation grows past six messages (the seed's chatbot).</summary>
[Graph<ChatState>]
[Edge(nameof(Summarize), GraphGen.Graph.End)]
public static partial class SummarizingChat
{
    [Node, Entry]
    private static async Task<ChatState.Update> Chat(ChatState state, IChatClient llm, CancellationToken ct)
    {
        var response = await llm.GetResponseAsync(state.Messages, cancellationToken: ct);
        return new() { Messages = response.Messages };
    }

    [Node]
    private static ChatState.Update Summarize(ChatState state, NodeContext context)
    {
        var summary = $"{state.Messages.Count} messages, last: {state.Messages[^1].Text} (step {context.Step})";
        return new() { Summary = summary, Messages = state.Messages.SkipLast(2).Select(m => AddMessages.Remove(m.MessageId!)) };
    }

    [Route(From = nameof(Chat), To = [nameof(Summarize), GraphGen.Graph.End])]
    private static string AfterChat(ChatState state) => state.Messages.Count > 6 ? nameof(Summarize) : GraphGen.Graph.End;
}

/// <summary>Graphs written as attributed static methods: the generator wires them, binds their parameters and names their nodes.</summary>
public sealed class GeneratedGraphTests
{
    [Fact]
    public async Task A_generated_counter_graph_persists_per_thread()
    {
        var app = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("1"));
        var second = await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("1"));
        var other = await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("2"));

        Assert.Equal(2, second.State.Count);
        Assert.Equal(1, other.State.Count);
        Assert.Equal("Increment", CounterGraph.Nodes.Increment);
    }

    [Fact]
    public async Task A_generated_chat_graph_binds_services_and_summarizes_long_threads()
    {
        var services = new ServiceProvider(new EchoChatClient());
        var app = SummarizingChat.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Services = services });
        var config = GraphConfig.ForThread("long");

        GraphResult<ChatState>? result = null;
        for (var turn = 1; turn <= 4; turn++)
        {
            result = await app.InvokeAsync(new ChatState.Update { Messages = [new(ChatRole.User, $"turn {turn}")] }, config);
        }

        Assert.Equal(["turn 4", "echo: turn 4"], result!.State.Messages.Select(m => m.Text));
        Assert.StartsWith("8 messages, last: echo: turn 4", result.State.Summary);
        var nodesRun = await app.GetStateHistoryAsync(config).Select(s => s.Next.FirstOrDefault()).ToListAsync();
        Assert.Single(nodesRun, n => n == SummarizingChat.Nodes.Summarize);
    }

    [Fact]
    public async Task A_missing_service_names_the_node()
    {
        var app = SummarizingChat.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        var error = await Assert.ThrowsAsync<NodeFailedException>(
            () => app.InvokeAsync(new ChatState.Update { Messages = [new(ChatRole.User, "hi")] }, GraphConfig.ForThread("no-llm")));

        Assert.Equal("Chat", error.Node);
        Assert.Contains("IChatClient", error.InnerException!.Message);
    }

    [Fact]
    public void The_generated_diagram_shows_edges_and_routes()
    {
        var mermaid = SummarizingChat.Mermaid;

        Assert.Contains("__start__ --> Chat", mermaid);
        Assert.Contains("Chat -.-> Summarize", mermaid);
        Assert.Contains("Chat -.-> __end__", mermaid);
        Assert.Contains("Summarize --> __end__", mermaid);
    }

    private sealed class ServiceProvider(IChatClient client) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IChatClient) ? client : null;
    }
}

/// <summary>An offline chat model: answers "echo: " + the last message.</summary>
internal sealed class EchoChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "echo: " + messages.Last().Text)));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
