namespace GraphGen;

/// <summary>
/// Serializes a state property, or every use of a type, through a System.Text.Json source-generated context instead of
/// the code the <c>[GraphState]</c> generator writes: the generated serializer calls
/// <c>JsonSerializer.Serialize(writer, value, (JsonTypeInfo&lt;T&gt;)Context.Default.GetTypeInfo(typeof(T)))</c>.
/// Use it for types the generator does not handle (interfaces and abstract types with <c>[JsonPolymorphic]</c>,
/// types needing STJ options) or to keep an existing JSON shape.
/// </summary>
/// <remarks>
/// <para>On a type, it applies wherever the type appears in a state. On a property (of a state or of a type the state
/// contains), it applies to the property's type as a whole, and for a state property with a reducer also to its
/// <c>Update</c> member's type (for example <c>IEnumerable&lt;T&gt;</c>): the context must have metadata for both
/// (<c>[JsonSerializable(typeof(...))]</c>). A nullable wrapper stays with the generator: on a <c>Shape?</c> property the
/// context is asked for <c>Shape</c>.</para>
/// <para>System.Text.Json's <see cref="System.Text.Json.Serialization.JsonConverterAttribute"/> is honoured the same way
/// (the converter is created once and called with default options). This attribute wins when both are present.</para>
/// </remarks>
/// <example>
/// <code>
/// [JsonSerializable(typeof(IShape))]
/// internal sealed partial class ShapeJson : JsonSerializerContext;
///
/// [GraphState]
/// public partial record DrawingState
/// {
///     [JsonSerializeWith(typeof(ShapeJson))]
///     public IShape? Selected { get; init; }
/// }
/// </code>
/// </example>
/// <param name="contextType">A <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> subclass made by the System.Text.Json source generator.</param>
[AttributeUsage(
    AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Enum,
    Inherited = false)]
public sealed class JsonSerializeWithAttribute(Type contextType) : Attribute
{
    /// <summary>The <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> whose <c>Default</c> instance supplies the metadata.</summary>
    public Type ContextType { get; } = contextType;
}
