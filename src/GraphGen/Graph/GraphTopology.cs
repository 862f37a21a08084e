using System.Text;

namespace GraphGen;

/// <summary>
/// The validated wiring of a compiled graph, in Pregel terms: every node is triggered by channels
/// (<c>branch:to:X</c> for edges and routes, <c>join:a+b:X</c> barriers for joins, <c>__start__</c> for the input)
/// and writes to the channels of its successors when it finishes.
/// </summary>
internal sealed class GraphTopology<TState> where TState : IGraphState<TState>
{
    private GraphTopology(
        IReadOnlyDictionary<string, NodeSpec<TState>> nodes,
        IReadOnlyDictionary<string, NodeOutputs<TState>> outputs,
        IReadOnlyDictionary<string, string[]> triggers,
        IReadOnlyDictionary<string, JoinSpec> joins,
        IReadOnlySet<string> interruptBefore,
        IReadOnlySet<string> interruptAfter)
    {
        Nodes = nodes;
        Outputs = outputs;
        Triggers = triggers;
        Joins = joins;
        InterruptBefore = interruptBefore;
        InterruptAfter = interruptAfter;
        PullOrder = [Graph.Start, .. nodes.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>User nodes by name (not <see cref="Graph.Start"/>).</summary>
    public IReadOnlyDictionary<string, NodeSpec<TState>> Nodes { get; }

    /// <summary>What each node (and <see cref="Graph.Start"/>) writes when it finishes.</summary>
    public IReadOnlyDictionary<string, NodeOutputs<TState>> Outputs { get; }

    /// <summary>The channels that trigger each node (and <see cref="Graph.Start"/>).</summary>
    public IReadOnlyDictionary<string, string[]> Triggers { get; }

    /// <summary>Join barriers by channel name.</summary>
    public IReadOnlyDictionary<string, JoinSpec> Joins { get; }

    /// <summary>Pull tasks are prepared, run and applied in this order (deterministic).</summary>
    public IReadOnlyList<string> PullOrder { get; }

    public IReadOnlySet<string> InterruptBefore { get; }

    public IReadOnlySet<string> InterruptAfter { get; }

    public static string BranchChannel(string node) => "branch:to:" + node;

    public IReadOnlySet<string> ResolveInterrupts(IReadOnlyCollection<string>? names, string option) =>
        ResolveInterrupts(Nodes.Keys, names, option);

    private static IReadOnlySet<string> ResolveInterrupts(IEnumerable<string> nodes, IReadOnlyCollection<string>? names, string option)
    {
        var known = nodes.ToHashSet(StringComparer.Ordinal);
        if (names is null || names.Count == 0)
        {
            return new HashSet<string>();
        }
        if (names.Contains(Graph.All))
        {
            return known;
        }
        foreach (var name in names)
        {
            if (!known.Contains(name))
            {
                throw new GraphValidationException($"{option} names '{name}', which is not a node of the graph. Known nodes: {string.Join(", ", known.Order(StringComparer.Ordinal))}.");
            }
        }
        return names.ToHashSet(StringComparer.Ordinal);
    }

    public static GraphTopology<TState> Create(
        IReadOnlyDictionary<string, NodeSpec<TState>> nodes,
        IReadOnlyList<(string From, string To)> edges,
        IReadOnlyList<(IReadOnlyList<string> From, string To)> joins,
        IReadOnlyList<RouteSpec<TState>> routes,
        CompileOptions options)
    {
        var known = nodes.Keys.ToHashSet(StringComparer.Ordinal);
        string Describe() => known.Count == 0 ? "the graph has no nodes" : "known nodes: " + string.Join(", ", known.Order(StringComparer.Ordinal));
        void RequireSource(string from, string what)
        {
            if (from != Graph.Start && !known.Contains(from))
            {
                throw new GraphValidationException($"{what} starts at unknown node '{from}'; {Describe()}.");
            }
        }
        void RequireTarget(string to, string what)
        {
            if (to != Graph.End && !known.Contains(to))
            {
                throw new GraphValidationException($"{what} goes to unknown node '{to}'; {Describe()}.");
            }
        }

        var outputs = new[] { Graph.Start }.Concat(known).ToDictionary(n => n, _ => new NodeOutputs<TState>(), StringComparer.Ordinal);
        var triggers = known.ToDictionary(n => n, n => new List<string> { BranchChannel(n) }, StringComparer.Ordinal);
        triggers[Graph.Start] = [Graph.Start];

        foreach (var (from, to) in edges)
        {
            RequireSource(from, $"Edge {from} -> {to}");
            RequireTarget(to, $"Edge {from} -> {to}");
            if (to == Graph.End)
            {
                outputs[from].EdgeToEnd = true;
            }
            else
            {
                outputs[from].Branches.Add(BranchChannel(to));
            }
        }

        var joinSpecs = new Dictionary<string, JoinSpec>(StringComparer.Ordinal);
        foreach (var (from, to) in joins)
        {
            var name = $"join:{string.Join("+", from)}:{to}";
            foreach (var source in from)
            {
                if (!known.Contains(source))
                {
                    throw new GraphValidationException($"Join edge into '{to}' waits for unknown node '{source}'; {Describe()}.");
                }
                outputs[source].Joins.Add(name);
            }
            RequireTarget(to, $"Join edge [{string.Join(", ", from)}] -> {to}");
            if (to == Graph.End)
            {
                continue;
            }
            joinSpecs[name] = new JoinSpec(name, from, to);
            triggers[to].Add(name);
        }

        foreach (var route in routes)
        {
            RequireSource(route.From, $"Conditional edge from '{route.From}'");
            foreach (var destination in route.Destinations ?? [])
            {
                RequireTarget(destination, $"Conditional edge from '{route.From}'");
            }
            outputs[route.From].Routes.Add(route);
        }

        var start = outputs[Graph.Start];
        if (start.Branches.Count == 0 && start.Routes.Count == 0)
        {
            throw new GraphValidationException("The graph has no entry point: add an edge from Graph.Start to the first node (AddEdge(Graph.Start, \"node\") or SetEntryPoint).");
        }

        var reachable = Reachable(outputs, joinSpecs, known);
        var unreachable = known.Where(n => !reachable.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (unreachable.Count > 0)
        {
            throw new GraphValidationException($"Node(s) {string.Join(", ", unreachable.Select(n => $"'{n}'"))} cannot be reached from Graph.Start; add an edge or route into them, or remove them.");
        }

        return new GraphTopology<TState>(
            nodes,
            outputs,
            triggers.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal),
            joinSpecs,
            ResolveInterrupts(known, options.InterruptBefore, "InterruptBefore"),
            ResolveInterrupts(known, options.InterruptAfter, "InterruptAfter"));
    }

    private static HashSet<string> Reachable(Dictionary<string, NodeOutputs<TState>> outputs, Dictionary<string, JoinSpec> joins, HashSet<string> known)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { Graph.Start };
        var queue = new Queue<string>([Graph.Start]);
        while (queue.TryDequeue(out var node))
        {
            var output = outputs[node];
            var next = output.Branches.Select(b => b["branch:to:".Length..])
                .Concat(output.Joins.Select(j => joins.TryGetValue(j, out var spec) ? spec.Target : Graph.End))
                .Concat(output.Routes.SelectMany(r => r.Destinations ?? (IEnumerable<string>)known));
            foreach (var target in next)
            {
                if (target != Graph.End && seen.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }
        return seen;
    }

    /// <summary>A Mermaid flowchart of the graph.</summary>
    public string ToMermaid()
    {
        var text = new StringBuilder("graph TD\n");
        text.Append("    __start__([start])\n");
        foreach (var node in Nodes.Keys.Order(StringComparer.Ordinal))
        {
            text.Append($"    {node}[{node}]\n");
        }
        text.Append("    __end__([end])\n");
        foreach (var (from, output) in Outputs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var branch in output.Branches)
            {
                text.Append($"    {from} --> {branch["branch:to:".Length..]}\n");
            }
            if (output.EdgeToEnd)
            {
                text.Append($"    {from} --> {Graph.End}\n");
            }
            foreach (var route in output.Routes)
            {
                foreach (var destination in route.Destinations ?? [.. Nodes.Keys.Order(StringComparer.Ordinal), Graph.End])
                {
                    text.Append($"    {from} -.-> {destination}\n");
                }
            }
        }
        foreach (var join in Joins.Values.OrderBy(j => j.Channel, StringComparer.Ordinal))
        {
            foreach (var source in join.Sources)
            {
                text.Append($"    {source} ==> {join.Target}\n");
            }
        }
        return text.ToString();
    }
}

/// <summary>What a node writes when it finishes: branch channels of static edges, join barriers, and routes to evaluate.</summary>
internal sealed class NodeOutputs<TState> where TState : IGraphState<TState>
{
    public List<string> Branches { get; } = [];

    public List<string> Joins { get; } = [];

    public List<RouteSpec<TState>> Routes { get; } = [];

    /// <summary>A static edge to END (drawn in diagrams; it writes nothing).</summary>
    public bool EdgeToEnd { get; set; }
}

internal sealed record JoinSpec(string Channel, IReadOnlyList<string> Sources, string Target);
