using GraphGen.Generators.Helpers;

namespace GraphGen.Generators.Models;

/// <summary>A <c>[Graph&lt;TState&gt;]</c> class: its nodes, edges and routes.</summary>
internal sealed record GraphSpec(
    TypeHierarchy Hierarchy,
    string Name,
    string StateType,
    EquatableArray<NodeMethodSpec> Nodes,
    EquatableArray<EdgeSpec> Edges,
    EquatableArray<RouteMethodSpec> Routes,
    string HintName);

/// <summary>How a node method's result arrives.</summary>
internal enum ResultKind
{
    Sync,
    Task,
    ValueTask,
}

/// <summary>What a node parameter is bound to.</summary>
internal enum ParameterKind
{
    State,
    Context,
    Store,
    Config,
    CancellationToken,
    Logger,
    Service,
}

/// <summary>A <c>[Node]</c> method.</summary>
internal sealed record NodeMethodSpec(string Name, string Method, ResultKind Result, EquatableArray<ParameterSpec> Parameters);

/// <summary>A node parameter and its type (for services).</summary>
internal sealed record ParameterSpec(ParameterKind Kind, string Type);

/// <summary>A static edge (or a join, with several sources); names are node names or the reserved start/end names.</summary>
internal sealed record EdgeSpec(EquatableArray<string> From, string To);

/// <summary>A <c>[Route]</c> method after node <paramref name="From"/>.</summary>
internal sealed record RouteMethodSpec(string From, string Method, EquatableArray<string> To);
