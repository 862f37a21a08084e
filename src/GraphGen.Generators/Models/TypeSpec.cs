using GraphGen.Generators.Helpers;

namespace GraphGen.Generators.Models;

/// <summary>
/// One serializable type. The emitter writes <c>Write_{Key}(Utf8JsonWriter, T)</c> and <c>Read_{Key}(ref Utf8JsonReader)</c>
/// for it, once per compilation in a class every state shares; <see cref="Key"/> is a deterministic identifier-safe
/// name, the same for the same type in every state.
/// </summary>
/// <param name="Key">The identifier suffix of the generated methods.</param>
/// <param name="FullName">The type, fully qualified, with nullable annotations.</param>
internal abstract record TypeSpec(string Key, string FullName)
{
    /// <summary>
    /// Not accessible from the whole assembly (say, a private enum nested in the state): written inside the state's
    /// own schema instead of the shared class.
    /// </summary>
    public bool Local { get; init; }
}

/// <summary>A type written as one JSON token (numbers, strings, dates, ids, base64), or a JSON DOM type.</summary>
internal sealed record ScalarSpec(string Key, string FullName, ScalarKind Scalar) : TypeSpec(Key, FullName);

/// <summary>An enum: written as its member's name, read from a name or a number.</summary>
/// <param name="Underlying">The underlying integer type (one of the integer <see cref="ScalarKind"/>s).</param>
/// <param name="Members">One member per distinct value, first declared wins.</param>
internal sealed record EnumSpec(string Key, string FullName, ScalarKind Underlying, EquatableArray<EnumMemberSpec> Members)
    : TypeSpec(Key, FullName);

/// <summary>An enum member: its C# name (escaped if a keyword) and its JSON name.</summary>
internal sealed record EnumMemberSpec(string Name, string JsonName);

/// <summary>
/// <c>Nullable&lt;T&gt;</c> (<paramref name="IsValueType"/>) or a nullable-annotated reference type: null, or the value
/// written by <paramref name="ElementKey"/>'s methods.
/// </summary>
internal sealed record NullableSpec(string Key, string FullName, string ElementKey, bool IsValueType) : TypeSpec(Key, FullName);

/// <summary>A collection written as a JSON array.</summary>
/// <param name="Collection">What is built when reading.</param>
/// <param name="IsInterface">The declared type is an interface: writing tests for common concrete types first.</param>
/// <param name="ElementType">The element type, fully qualified.</param>
/// <param name="IsList">
/// Items have positions and the declared type has a count: an array, a list or an interface of one, not a set or a bare
/// <c>IEnumerable&lt;T&gt;</c>. A list channel that grew can be written as its new items.
/// </param>
internal sealed record SequenceSpec(string Key, string FullName, CollectionKind Collection, bool IsInterface, string ElementKey, string ElementType, bool IsList)
    : TypeSpec(Key, FullName);

/// <summary>A dictionary (or a sequence of key/value pairs) written as a JSON object.</summary>
/// <param name="KeyScalar">How keys are written: <see cref="ScalarKind.String"/>, an integer kind, <see cref="ScalarKind.Guid"/>, or <see cref="ScalarKind.Enum"/>.</param>
/// <param name="KeyType">The key type, fully qualified.</param>
/// <param name="KeyEnumKey">For enum keys, the key of the enum's <see cref="EnumSpec"/>.</param>
internal sealed record DictionarySpec(
    string Key,
    string FullName,
    CollectionKind Collection,
    bool IsInterface,
    ScalarKind KeyScalar,
    string KeyType,
    string? KeyEnumKey,
    string ValueKey,
    string ValueType) : TypeSpec(Key, FullName);

/// <summary>A record, class or struct written as a JSON object of its members.</summary>
/// <param name="IsValueType">A struct: no null handling.</param>
/// <param name="Members">The members written and read, base type's first, in declaration order.</param>
/// <param name="Arguments">The constructor's arguments, in order; empty for a parameterless constructor.</param>
/// <param name="Populate">Construct first, then assign each member as it is read (parameterless constructor, plain setters only).</param>
internal sealed record ObjectSpec(
    string Key,
    string FullName,
    bool IsValueType,
    EquatableArray<MemberSpec> Members,
    EquatableArray<ArgumentSpec> Arguments,
    bool Populate) : TypeSpec(Key, FullName);

/// <summary>One serialized property or field of an <see cref="ObjectSpec"/>.</summary>
/// <param name="Name">The C# member name (escaped if a keyword).</param>
/// <param name="JsonName">The JSON property name (from <c>[JsonPropertyName]</c>, else camelCase).</param>
/// <param name="Type">The member type, fully qualified.</param>
/// <param name="TypeKey">The serializer key of <paramref name="Type"/>.</param>
/// <param name="IsArgument">Passed to the constructor rather than assigned.</param>
/// <param name="IsRequired">A C# <c>required</c> member: always assigned in the object initializer.</param>
/// <param name="CanBeNull">A reference type or <c>Nullable&lt;T&gt;</c> (for <c>WhenWritingNull</c>).</param>
/// <param name="Write">When the member is written.</param>
/// <param name="Read">Read from JSON (false for <c>[JsonIgnore(Condition = WhenReading)]</c>).</param>
internal sealed record MemberSpec(
    string Name,
    string JsonName,
    string Type,
    string TypeKey,
    bool IsArgument,
    bool IsRequired,
    bool CanBeNull,
    WriteCondition Write,
    bool Read);

/// <summary>A constructor argument: the member it comes from (or -1), and its value when JSON does not have it.</summary>
/// <param name="Member">Index into <see cref="ObjectSpec.Members"/>, or -1 for an optional parameter no member matches.</param>
/// <param name="Default">A C# expression: the parameter's default value, or <c>default!</c>.</param>
internal sealed record ArgumentSpec(int Member, string Default);

/// <summary>
/// A type serialized by System.Text.Json metadata or a converter instead of generated code: Microsoft.Extensions.AI types,
/// <c>[JsonSerializeWith]</c> and <c>[JsonConverter]</c>.
/// </summary>
/// <param name="Via">Which mechanism.</param>
/// <param name="Source">The context or converter type, fully qualified (null for <see cref="ExternalKind.AIJson"/>).</param>
/// <param name="RuntimeType">The type as written in <c>typeof(...)</c> (no nullable annotations).</param>
/// <param name="IsReferenceType">Null is handled before calling a converter that does not handle it.</param>
internal sealed record ExternalSpec(string Key, string FullName, ExternalKind Via, string? Source, string RuntimeType, bool IsReferenceType)
    : TypeSpec(Key, FullName);

/// <summary>The scalar types written by a single <c>Utf8JsonWriter</c> call or a short formatted string.</summary>
internal enum ScalarKind
{
    Boolean,
    Byte,
    SByte,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Single,
    Double,
    Decimal,
    Char,
    String,
    DateTime,
    DateTimeOffset,
    TimeSpan,
    Guid,
    DateOnly,
    TimeOnly,
    Uri,
    Version,
    /// <summary><c>byte[]</c>, written as base64 like System.Text.Json does.</summary>
    Bytes,
    JsonElement,
    JsonNode,
    /// <summary>Only as a dictionary key kind: an enum's name.</summary>
    Enum,
}

/// <summary>What a collection reads into.</summary>
internal enum CollectionKind
{
    Array,
    List,
    HashSet,
    SortedSet,
    ImmutableList,
    ImmutableArray,
    ImmutableHashSet,
    ImmutableSortedSet,
    Dictionary,
    SortedDictionary,
    ImmutableDictionary,
    ImmutableSortedDictionary,
    /// <summary><c>IEnumerable&lt;KeyValuePair&lt;K, V&gt;&gt;</c>: a list of pairs, in order, duplicates kept.</summary>
    KeyValuePairs,
}

/// <summary>When an object member is written (from <c>[JsonIgnore(Condition = ...)]</c>).</summary>
internal enum WriteCondition
{
    Always,
    WhenNotNull,
    WhenNotDefault,
    Never,
}

/// <summary>How an <see cref="ExternalSpec"/> is serialized.</summary>
internal enum ExternalKind
{
    /// <summary>Microsoft.Extensions.AI types, through <c>AIJsonUtilities.DefaultOptions</c>.</summary>
    AIJson,
    /// <summary><c>[JsonSerializeWith(typeof(Context))]</c>: the context's <c>JsonTypeInfo&lt;T&gt;</c>.</summary>
    Context,
    /// <summary><c>[JsonConverter(typeof(C))]</c> where <c>C : JsonConverter&lt;T&gt;</c>.</summary>
    Converter,
    /// <summary><c>[JsonConverter(typeof(C))]</c> where <c>C : JsonConverterFactory</c>.</summary>
    ConverterFactory,
}
