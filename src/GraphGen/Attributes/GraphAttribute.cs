namespace GraphGen;

/// <summary>
/// Marks a <c>static partial</c> class whose <see cref="NodeAttribute">[Node]</see> methods, edges and routes form a
/// graph over <typeparamref name="TState"/>. The generator emits <c>Build()</c> (a wired <see cref="StateGraph{TState}"/>),
/// a <c>Nodes</c> class of name constants, a <c>Mermaid</c> diagram, and binds node parameters at compile time.
/// </summary>
/// <typeparam name="TState">The graph's state type.</typeparam>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GraphAttribute<TState> : Attribute where TState : IGraphState<TState>;

/// <summary>
/// A node of a <see cref="GraphAttribute{TState}">[Graph]</see> class. The method returns the state's <c>Update</c> (or a
/// task of it) and may take, in any order: the state, a <see cref="NodeContext"/>, the <c>IStore</c>, the
/// <see cref="GraphConfig"/>, a <see cref="CancellationToken"/>, and services resolved from the graph's
/// <see cref="IServiceProvider"/>.
/// </summary>
/// <param name="name">The node name; the method name when omitted.</param>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class NodeAttribute(string? name = null) : Attribute
{
    /// <summary>The node name, or null for the method name.</summary>
    public string? Name { get; } = name;
}

/// <summary>Marks the node a run starts at (an edge from <see cref="Graph.Start"/>).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class EntryAttribute : Attribute;

/// <summary>
/// An edge of a <see cref="GraphAttribute{TState}">[Graph]</see> class; put it on the class. With several sources it
/// is a join: the target runs once every source has finished. Nodes are named by node name or by method name
/// (<c>nameof(Method)</c>), in edges and routes alike.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class EdgeAttribute : Attribute
{
    /// <summary>An edge from one node.</summary>
    /// <param name="from">The source node (or <see cref="Graph.Start"/>).</param>
    /// <param name="to">The target node (or <see cref="Graph.End"/>).</param>
    public EdgeAttribute(string from, string to) => (From, To) = ([from], to);

    /// <summary>A join: <paramref name="to"/> runs once every node in <paramref name="from"/> has finished.</summary>
    /// <param name="from">The nodes to wait for.</param>
    /// <param name="to">The target node.</param>
    public EdgeAttribute(string[] from, string to) => (From, To) = (from, to);

    /// <summary>The source nodes (one, or several for a join).</summary>
    public IReadOnlyList<string> From { get; }

    /// <summary>The target node.</summary>
    public string To { get; }
}

/// <summary>
/// A router: after node <see cref="From"/>, this static method picks the next node from the state. It returns a node
/// name (or <see cref="Graph.End"/>), several names, or <see cref="Send{TState}"/> values for fan-out.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class RouteAttribute : Attribute
{
    /// <summary>The node the route follows.</summary>
    public required string From { get; init; }

    /// <summary>The nodes the route may return, for validation and diagrams; any node when empty.</summary>
    public string[] To { get; init; } = [];
}
