namespace GraphGen;

/// <summary>
/// A route target that runs <paramref name="Node"/> in the next superstep with its own input state: one task per
/// send, for map-reduce fan-out. The argument is checkpointed with the state's serializer.
/// </summary>
/// <param name="Node">The node to run.</param>
/// <param name="Arg">The state that task sees instead of the graph's state.</param>
public sealed record Send<TState>(string Node, TState Arg) where TState : IGraphState<TState>;
