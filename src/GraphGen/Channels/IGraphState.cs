namespace GraphGen;

/// <summary>
/// Implemented by every state type a graph runs on. The source generator implements it for
/// <c>[GraphState]</c> records; it can also be written by hand.
/// </summary>
/// <typeparam name="TSelf">The state type itself.</typeparam>
public interface IGraphState<TSelf> where TSelf : IGraphState<TSelf>
{
    /// <summary>The channel table, reducers and serializers of the state type.</summary>
    static abstract StateSchema<TSelf> Schema { get; }
}
