namespace GraphGen.Generators.Tests;

/// <summary>Test inputs used by more than one test class; single-use inputs live next to their test.</summary>
internal static class Sources
{
    /// <summary>The smallest state: one last-value int, in a namespace.</summary>
    public const string Counter = """
        using GraphGen;

        namespace Sample.States;

        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }
        }
        """;

    /// <summary>
    /// A graph using every node shape the generator binds: sync, <c>Task</c> and <c>ValueTask</c> results; parameters
    /// bound to the state, the context, the store, the config, the token, the logger and a service; an entry; edges
    /// including one to <c>Graph.End</c>; a route with <c>To</c> and one without; a node with a custom name.
    /// Every node appends to <c>Log</c>, so a run's log shows which nodes ran with which arguments.
    /// </summary>
    public const string FlowGraph = """
        using System.Collections.Immutable;
        using System.Threading;
        using System.Threading.Tasks;
        using GraphGen;
        using GraphGen.Store;
        using Microsoft.Extensions.Logging;

        namespace Sample.Graphs;

        [GraphState]
        public partial record Flow
        {
            [Reducer(typeof(Append))]
            public ImmutableList<string> Log { get; init; } = [];

            public int Count { get; init; }
        }

        public interface IGreeter
        {
            string Greet(string name);
        }

        [Graph<Flow>]
        [Edge(nameof(Plan), "custom-name")]
        [Edge("custom-name", nameof(Fetch))]
        [Edge(nameof(Finish), Graph.End)]
        public static partial class FlowGraph
        {
            [Node, Entry]
            private static Flow.Update Plan(Flow state, NodeContext context) => new() { Log = [$"plan:{context.Node}"] };

            [Node("custom-name")]
            private static async Task<Flow.Update> Greet(Flow state, IGreeter greeter, ILogger logger, CancellationToken ct)
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                logger.LogDebug("greeting");
                return new() { Log = [greeter.Greet("graph")] };
            }

            [Node]
            private static async ValueTask<Flow.Update> Fetch(GraphConfig config, IStore store, Flow state)
            {
                var runs = await store.GetAsync(["runs"], config.ThreadId!);
                await store.PutAsync(["runs"], config.ThreadId!, System.Text.Json.JsonDocument.Parse("{}").RootElement);
                return new() { Log = [$"fetch:{config.ThreadId}:{(runs is null ? "first" : "again")}"] };
            }

            [Node]
            private static Flow.Update Check(Flow state) => new() { Count = state.Count + 1, Log = [$"check:{state.Count + 1}"] };

            [Node]
            private static Flow.Update Finish(Flow state) => new() { Log = ["finish"] };

            [Route(From = nameof(Fetch), To = [nameof(Check), nameof(Finish)])]
            private static string AfterFetch(Flow state) => state.Count > 100 ? nameof(Finish) : nameof(Check);

            [Route(From = nameof(Check))]
            private static string AfterCheck(Flow state) => state.Count % 3 == 0 ? nameof(Finish) : nameof(Check);
        }
        """;

    /// <summary>A one-node graph <c>Agent</c> over the state <c>Flow</c>, for the usage analyzer and its code fix.</summary>
    public const string AgentGraph = """
        using GraphGen;

        [GraphState]
        public partial record Flow
        {
            public int Step { get; init; }
        }

        [Graph<Flow>]
        [Edge(nameof(Plan), GraphGen.Graph.End)]
        public static partial class Agent
        {
            [Node, Entry]
            public static Flow.Update Plan(Flow state) => new() { Step = state.Step + 1 };
        }
        """;
}
