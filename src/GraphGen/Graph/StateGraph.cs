namespace GraphGen;

/// <summary>
/// Builds a graph over <typeparamref name="TState"/> at run time: nodes, edges, conditional routes and joins.
/// <see cref="Compile"/> validates the wiring. The source generator's <c>Build()</c> produces one of these.
/// </summary>
/// <example>
/// <code>
/// var app = new StateGraph&lt;CounterState&gt;()
///     .AddNode("increment", s =&gt; new CounterState.Update { Count = s.Count + 1 })
///     .AddEdge(Graph.Start, "increment")
///     .AddEdge("increment", Graph.End)
///     .Compile(new() { Checkpointer = new InMemorySaver() });
/// </code>
/// </example>
public sealed class StateGraph<TState> where TState : IGraphState<TState>
{
    private readonly Dictionary<string, NodeSpec<TState>> _nodes = new(StringComparer.Ordinal);
    private readonly List<(string From, string To)> _edges = [];
    private readonly List<(IReadOnlyList<string> From, string To)> _joins = [];
    private readonly List<RouteSpec<TState>> _routes = [];

    /// <summary>Adds a node that maps the state to an update.</summary>
    public StateGraph<TState> AddNode(string name, Func<TState, StateUpdate<TState>?> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(name, (s, _) => ValueTask.FromResult(action(s)));
    }

    /// <summary>Adds a node that also uses its <see cref="NodeContext"/> (config, store, interrupts, stream).</summary>
    public StateGraph<TState> AddNode(string name, Func<TState, NodeContext, StateUpdate<TState>?> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(name, (s, ctx) => ValueTask.FromResult(action(s, ctx)));
    }

    /// <summary>Adds an asynchronous node.</summary>
    public StateGraph<TState> AddNode(string name, Func<TState, ValueTask<StateUpdate<TState>?>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(name, (s, _) => action(s));
    }

    /// <summary>Adds an asynchronous node that uses its <see cref="NodeContext"/>.</summary>
    public StateGraph<TState> AddNode(string name, Func<TState, NodeContext, ValueTask<StateUpdate<TState>?>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Add(name, action);
    }

    /// <summary>After <paramref name="from"/> finishes, run <paramref name="to"/> in the next superstep.</summary>
    public StateGraph<TState> AddEdge(string from, string to)
    {
        _edges.Add((from, to));
        return this;
    }

    /// <summary>Runs <paramref name="to"/> once every node in <paramref name="from"/> has finished (a join).</summary>
    public StateGraph<TState> AddEdge(IEnumerable<string> from, string to)
    {
        var sources = from.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (sources.Length == 1)
        {
            return AddEdge(sources[0], to);
        }
        _joins.Add((sources, to));
        return this;
    }

    /// <summary>Same as <c>AddEdge(Graph.Start, node)</c>.</summary>
    public StateGraph<TState> SetEntryPoint(string node) => AddEdge(Graph.Start, node);

    /// <summary>Same as <c>AddEdge(node, Graph.End)</c>.</summary>
    public StateGraph<TState> SetFinishPoint(string node) => AddEdge(node, Graph.End);

    /// <summary>
    /// After <paramref name="from"/>, <paramref name="route"/> picks the next node (or <see cref="Graph.End"/>) from the
    /// state with the node's own update applied. <paramref name="destinations"/> lists what it can return, for
    /// validation and diagrams; without it every node counts as reachable.
    /// </summary>
    public StateGraph<TState> AddConditionalEdges(string from, Func<TState, string> route, IEnumerable<string>? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        return AddRoute(from, s => [RouteTarget<TState>.To(route(s))], destinations);
    }

    /// <summary>A route to several nodes at once (they run in parallel in the next superstep).</summary>
    public StateGraph<TState> AddConditionalEdges(string from, Func<TState, IEnumerable<string>> route, IEnumerable<string>? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        return AddRoute(from, s => route(s).Select(RouteTarget<TState>.To), destinations);
    }

    /// <summary>A route that fans out with <see cref="Send{TState}"/>: one task per send, each with its own input.</summary>
    public StateGraph<TState> AddConditionalEdges(string from, Func<TState, IEnumerable<Send<TState>>> route, IEnumerable<string>? destinations = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        return AddRoute(from, s => route(s).Select(RouteTarget<TState>.To), destinations);
    }

    /// <summary>Validates the wiring and returns a runnable graph.</summary>
    /// <exception cref="GraphValidationException">An edge names an unknown node, there is no entry, or a node is unreachable.</exception>
    public CompiledGraph<TState> Compile(CompileOptions? options = null)
    {
        var topology = GraphTopology<TState>.Create(_nodes, _edges, _joins, _routes, options ?? new CompileOptions());
        return new CompiledGraph<TState>(topology, options ?? new CompileOptions());
    }

    private StateGraph<TState> AddRoute(string from, Func<TState, IEnumerable<RouteTarget<TState>>> route, IEnumerable<string>? destinations)
    {
        _routes.Add(new RouteSpec<TState>(from, route, destinations?.ToArray()));
        return this;
    }

    private StateGraph<TState> Add(string name, Func<TState, NodeContext, ValueTask<StateUpdate<TState>?>> run)
    {
        NodeNames.Validate(name);
        if (!_nodes.TryAdd(name, new NodeSpec<TState>(name, run)))
        {
            throw new GraphValidationException($"Node '{name}' is already in the graph; node names must be unique.");
        }
        return this;
    }
}
