using System.Text.Json;
using GraphGen.Checkpointing;
using GraphGen.Store;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>What a node reaches through its context: the store, services, its config and identity.</summary>
public sealed class NodeContextTests
{
    [Fact]
    public async Task Nodes_share_memories_across_threads_through_the_store()
    {
        var store = new InMemoryStore();
        var app = new StateGraph<FanOutState>()
            .AddNode("remember", async (s, ctx) =>
            {
                var user = (string)ctx.Config.Metadata!["user"]!;
                var known = await ctx.Store!.GetAsync(["users", user], "profile", ct: ctx.CancellationToken);
                if (known is null)
                {
                    await ctx.Store.PutAsync(["users", user], "profile", Json.Parse($$"""{"topic":"{{s.Topic}}"}"""), ct: ctx.CancellationToken);
                    return new FanOutState.Update { Items = ["stored"] };
                }
                return new FanOutState.Update { Items = ["recalled:" + known.Value.GetProperty("topic").GetString()] };
            })
            .AddEdge(GraphGen.Graph.Start, "remember")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Store = store });
        var metadata = new Dictionary<string, object?> { ["user"] = "ada" };

        var first = await app.InvokeAsync(new FanOutState.Update { Topic = "tea" }, GraphConfig.ForThread("t1") with { Metadata = metadata });
        var second = await app.InvokeAsync(new FanOutState.Update(), GraphConfig.ForThread("t2") with { Metadata = metadata });

        Assert.Equal(["stored"], first.State.Items);
        Assert.Equal(["recalled:tea"], second.State.Items);
    }

    [Fact]
    public async Task Nodes_see_services_their_name_step_and_thread()
    {
        var services = new SingleService(new Greeter());
        var seen = new List<string>();
        var app = new StateGraph<FanOutState>()
            .AddNode("greet", (_, ctx) =>
            {
                seen.Add($"{ctx.Node}@{ctx.Step}:{ctx.Config.ThreadId}:{ctx.TaskId.Length}");
                var greeter = (Greeter)ctx.Services.GetService(typeof(Greeter))!;
                return new FanOutState.Update { Items = [greeter.Greet("ada")] };
            })
            .AddEdge(GraphGen.Graph.Start, "greet")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Services = services });

        var result = await app.InvokeAsync(new FanOutState.Update(), GraphConfig.ForThread("svc"));

        Assert.Equal(["hello ada"], result.State.Items);
        Assert.Equal(["greet@1:svc:36"], seen);
    }

    private sealed class Greeter
    {
        public string Greet(string name) => "hello " + name;
    }

    private sealed class SingleService(object service) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == service.GetType() ? service : null;
    }
}
