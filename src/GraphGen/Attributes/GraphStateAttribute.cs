namespace GraphGen;

/// <summary>
/// Marks a <c>partial</c> record, class or struct as graph state. The source generator emits its channel table,
/// its <c>Update</c> type (one optional member per property), its reducers and an AOT-safe JSON serializer, and
/// implements <see cref="IGraphState{TSelf}"/>. Every public property with a getter is a channel.
/// </summary>
/// <example>
/// <code>
/// [GraphState]
/// public partial record ChatState
/// {
///     [Reducer(typeof(AddMessages))]
///     public ImmutableList&lt;ChatMessage&gt; Messages { get; init; } = [];
///     public string? Summary { get; init; }
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class GraphStateAttribute : Attribute;
