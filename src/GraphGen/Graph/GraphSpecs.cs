namespace GraphGen;

internal sealed record NodeSpec<TState>(string Name, Func<TState, NodeContext, ValueTask<StateUpdate<TState>?>> Run)
    where TState : IGraphState<TState>;

internal sealed record RouteSpec<TState>(string From, Func<TState, IEnumerable<RouteTarget<TState>>> Route, IReadOnlyList<string>? Destinations)
    where TState : IGraphState<TState>;

/// <summary>What a route returned: a node to trigger, or a send with its own input.</summary>
internal readonly record struct RouteTarget<TState>(string Node, Send<TState>? Send) where TState : IGraphState<TState>
{
    public static RouteTarget<TState> To(string node) => new(node, null);

    public static RouteTarget<TState> To(Send<TState> send) => new(send.Node, send);
}

internal static class NodeNames
{
    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new GraphValidationException("A node name cannot be empty.");
        }
        if (name is Graph.Start or Graph.End || name == Graph.All)
        {
            throw new GraphValidationException($"'{name}' is reserved and cannot name a node.");
        }
        // ':' '|' separate checkpoint namespaces and '+' joins in channel names.
        if (name.AsSpan().IndexOfAny(":|+") >= 0)
        {
            throw new GraphValidationException($"Node name '{name}' contains one of ':', '|', '+', which GraphGen reserves.");
        }
    }
}
