using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Serialization;

// States covering every type family the generated serializers handle. Each is also listed in StjJson, so tests can
// check that System.Text.Json reads the generated JSON back into the same values. Mutable collections are among the
// families the serializers support, so their GG0003 warning is silenced here on purpose.
#pragma warning disable GG0003

public enum Color
{
    Red,
    Green,
    Blue = 5,
    Azure = Blue,
}

[Flags]
public enum Access : byte
{
    None = 0,
    Read = 1,
    Write = 2,
}

public enum Size : long
{
    Small = -1,
    Huge = long.MaxValue,
}

public enum Renamed
{
    [JsonStringEnumMemberName("first-one")]
    First,
    Second,
}

/// <summary>Every scalar, one channel each.</summary>
[GraphState]
public partial record ScalarState
{
    public bool Flag { get; init; }
    public byte Byte { get; init; }
    public sbyte SByte { get; init; }
    public short Short { get; init; }
    public ushort UShort { get; init; }
    public int Int { get; init; }
    public uint UInt { get; init; }
    public long Long { get; init; }
    public ulong ULong { get; init; }
    public float Float { get; init; }
    public double Double { get; init; }
    public decimal Decimal { get; init; }
    public char Char { get; init; }
    public string Text { get; init; } = "";
    public string? MaybeText { get; init; }
    public Color Color { get; init; }
    public Access Access { get; init; }
    public Size Size { get; init; }
    public Renamed Renamed { get; init; }
    public DateTime When { get; init; }
    public DateTimeOffset WhenOffset { get; init; }
    public TimeSpan Duration { get; init; }
    public Guid Id { get; init; }
    public DateOnly Day { get; init; }
    public TimeOnly Time { get; init; }
    public Uri? Link { get; init; }
    public Version? Version { get; init; }
    public byte[] Bytes { get; init; } = [];
    public JsonElement Element { get; init; } = Json.Parse("null");
    public JsonNode? Node { get; init; }
}

/// <summary>Nullable&lt;T&gt; of every value scalar.</summary>
[GraphState]
public partial record NullableScalarState
{
    public bool? Flag { get; init; }
    public byte? Byte { get; init; }
    public sbyte? SByte { get; init; }
    public short? Short { get; init; }
    public ushort? UShort { get; init; }
    public int? Int { get; init; }
    public uint? UInt { get; init; }
    public long? Long { get; init; }
    public ulong? ULong { get; init; }
    public float? Float { get; init; }
    public double? Double { get; init; }
    public decimal? Decimal { get; init; }
    public char? Char { get; init; }
    public Color? Color { get; init; }
    public DateTime? When { get; init; }
    public DateTimeOffset? WhenOffset { get; init; }
    public TimeSpan? Duration { get; init; }
    public Guid? Id { get; init; }
    public DateOnly? Day { get; init; }
    public TimeOnly? Time { get; init; }
}

/// <summary>Every collection family, as last-value channels.</summary>
[GraphState]
public partial record CollectionState
{
    public int[] Array { get; init; } = [];
    public int[][] Jagged { get; init; } = [];
    public List<string> List { get; init; } = [];
    public IList<int> IList { get; init; } = [];
    public IReadOnlyList<string> IReadOnlyList { get; init; } = [];
    public ICollection<int> ICollection { get; init; } = [];
    public IReadOnlyCollection<Guid> IReadOnlyCollection { get; init; } = [];
    public IEnumerable<int> Enumerable { get; init; } = [];
    public ImmutableList<string?> ImmutableList { get; init; } = [];
    public ImmutableArray<int> ImmutableArray { get; init; } = [];
    public HashSet<string> HashSet { get; init; } = [];
    public ImmutableHashSet<int> ImmutableHashSet { get; init; } = [];
    public ISet<int> ISet { get; init; } = new HashSet<int>();
    public SortedSet<int> SortedSet { get; init; } = [];
    public ImmutableSortedSet<string> ImmutableSortedSet { get; init; } = [];
    public Dictionary<string, int> Dictionary { get; init; } = [];
    public IDictionary<string, string?> IDictionary { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, List<int>> IReadOnlyDictionary { get; init; } = new Dictionary<string, List<int>>();
    public ImmutableDictionary<string, Address> ImmutableDictionary { get; init; } = ImmutableDictionary<string, Address>.Empty;
    public SortedDictionary<string, double> SortedDictionary { get; init; } = [];
    public ImmutableSortedDictionary<string, int> ImmutableSortedDictionary { get; init; } = ImmutableSortedDictionary<string, int>.Empty;
    public Dictionary<int, string> IntKeys { get; init; } = [];
    public Dictionary<ulong, int> ULongKeys { get; init; } = [];
    public Dictionary<sbyte, int> SByteKeys { get; init; } = [];
    public Dictionary<Guid, int> GuidKeys { get; init; } = [];
    public Dictionary<Color, int> EnumKeys { get; init; } = [];
    public List<List<int>> Nested { get; init; } = [];
    public List<int?> NullableItems { get; init; } = [];
    public List<KeyValuePair<string, int>> PairList { get; init; } = [];
    public List<string>? MaybeList { get; init; }
}

/// <summary>Collection interfaces System.Text.Json cannot read into (so not in <see cref="StjJson"/>).</summary>
[GraphState]
public partial record InterfaceCollectionState
{
    public IReadOnlySet<string> IReadOnlySet { get; init; } = new HashSet<string>();
    public IImmutableList<int> IImmutableList { get; init; } = ImmutableList<int>.Empty;
    public IImmutableSet<string> IImmutableSet { get; init; } = ImmutableHashSet<string>.Empty;
    public IImmutableDictionary<string, int> IImmutableDictionary { get; init; } = ImmutableDictionary<string, int>.Empty;
    public IEnumerable<KeyValuePair<string, int>> Pairs { get; init; } = [];
    public IEnumerable<KeyValuePair<Color, Address?>> EnumPairs { get; init; } = [];
    public JsonElement DefaultElement { get; init; }
}

/// <summary>A log that keeps its last three lines: appended to, then trimmed from the front.</summary>
[GraphState]
public partial record TrimmedLogState
{
    [Reducer(typeof(Append)), Trim(3)]
    public ImmutableList<string> Lines { get; init; } = [];
}

/// <summary>Reducer channels: their Update members have other types (IEnumerable, IEnumerable of pairs).</summary>
[GraphState]
public partial record ReducerState
{
    [Reducer(typeof(Append))]
    public ImmutableList<Address> Addresses { get; init; } = [];

    [Reducer(typeof(Append))]
    public ImmutableArray<int> Numbers { get; init; } = [];

    [Reducer(typeof(MergeDictionary))]
    public ImmutableDictionary<string, int> Scores { get; init; } = ImmutableDictionary<string, int>.Empty;

    [Reducer(typeof(MergeDictionary))]
    public ImmutableDictionary<Guid, Person> People { get; init; } = ImmutableDictionary<Guid, Person>.Empty;

    [Reducer(typeof(Union))]
    public ImmutableHashSet<string> Tags { get; init; } = [];

    [Reducer(typeof(Sum))]
    public decimal Total { get; init; }
}

/// <summary>A positional record with an optional parameter.</summary>
public sealed record Address(string Street, string City, string? Zip = "00000");

/// <summary>A recursive record: a person has children, each a person.</summary>
public sealed record Person(string Name, int Age)
{
    public Address? Home { get; init; }
    public ImmutableList<Person> Children { get; init; } = [];
    public Color Favorite { get; init; } = Color.Blue;
}

/// <summary>A recursive positional record.</summary>
public sealed record Tree(string Label, ImmutableList<Tree> Children);

/// <summary>A mutable class with a parameterless constructor and setters (read by assigning as it goes).</summary>
public sealed class MutableBag
{
    public int Count { get; set; } = 7;
    public List<string> Names { get; set; } = ["default"];
    public string? Note { get; set; }
}

public record struct Point(int X, int Y);

/// <summary>A struct built only through its constructor (System.Text.Json needs [JsonConstructor] to use it).</summary>
public readonly struct Money
{
    [JsonConstructor]
    public Money(decimal amount, string currency)
    {
        Amount = amount;
        Currency = currency;
    }

    public decimal Amount { get; }
    public string Currency { get; }
}

public struct MutablePoint
{
    public double X { get; set; }
    public double Y { get; set; }
}

/// <summary>Init-only members with initializers, a rename, an ignored and a computed member, a required member.</summary>
public sealed class InitOnly
{
    public string Name { get; init; } = "unnamed";
    public int Version { get; init; } = 2;

    [JsonPropertyName("legacy_id")]
    public Guid Id { get; init; }

    [JsonIgnore]
    public string Cache { get; set; } = "cache";

    public int Computed => Version * 2;

    public required string Owner { get; init; }
}

public sealed class Box<T>
{
    public T Value { get; init; } = default!;
}

public record Animal(string Name);

public sealed record Dog(string Name, bool GoodBoy) : Animal(Name);

public sealed class WithFields
{
    [JsonInclude]
    public int Count;

    public int NotIncluded;

    public string Label { get; set; } = "";
}

public sealed class Conditional
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Maybe { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Zero { get; set; }
}

public sealed record KeywordNames
{
    public int @class { get; init; }
    public string @event { get; init; } = "";
}

/// <summary>User records, classes and structs, nested and recursive.</summary>
[GraphState]
public partial record ObjectState
{
    public Person Person { get; init; } = new("nobody", 0);
    public Person? MaybePerson { get; init; }
    public Address Address { get; init; } = new("", "");
    public MutableBag Bag { get; init; } = new();
    public Point Point { get; init; }
    public Point? MaybePoint { get; init; }
    public Money Money { get; init; }
    public MutablePoint MutablePoint { get; init; }
    public InitOnly Init { get; init; } = new() { Owner = "" };
    public Box<int> IntBox { get; init; } = new();
    public Box<List<Address>> ListBox { get; init; } = new() { Value = [] };
    public Dog Dog { get; init; } = new("", false);
    public Tree Tree { get; init; } = new("", []);
    public WithFields Fields { get; init; } = new();
    public Conditional Conditional { get; init; } = new();
    public ImmutableList<Person> People { get; init; } = [];
    public Dictionary<string, Person> ByName { get; init; } = [];
}

/// <summary>
/// Members named with C# keywords. Not in <see cref="StjJson"/>: System.Text.Json's own generator emits code that does
/// not compile for them.
/// </summary>
[GraphState]
public partial record KeywordState
{
    public KeywordNames Keywords { get; init; } = new();

    public ImmutableList<KeywordNames> More { get; init; } = [];
}

// ---- Escape hatches ----

[JsonPolymorphic]
[JsonDerivedType(typeof(Circle), "circle")]
[JsonDerivedType(typeof(Square), "square")]
public interface IShape;

public sealed record Circle(double Radius) : IShape;

public sealed record Square(double Side) : IShape;

/// <summary>Serialized by <see cref="EscapeJson"/> wherever it appears (PascalCase there, so the route is visible).</summary>
[JsonSerializeWith(typeof(EscapeJson))]
public sealed class ExternalThing
{
    public string Name { get; set; } = "";
    public int[] Values { get; set; } = [];
}

/// <summary>Serialized by its converter wherever it appears: "21.5C".</summary>
[JsonConverter(typeof(TemperatureConverter))]
public readonly record struct Temperature(double Celsius);

public sealed class TemperatureConverter : JsonConverter<Temperature>
{
    public override Temperature Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(double.Parse(reader.GetString()!.TrimEnd('C'), System.Globalization.CultureInfo.InvariantCulture));

    public override void Write(Utf8JsonWriter writer, Temperature value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Celsius.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "C");
}

/// <summary>Writes strings upper-case; reads them as they are.</summary>
public sealed class UpperCaseConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUpperInvariant());
}

public sealed record ShapeHolder
{
    [JsonSerializeWith(typeof(EscapeJson))]
    public IShape? Shape { get; init; }

    public string Label { get; init; } = "";
}

[JsonSerializable(typeof(IShape))]
[JsonSerializable(typeof(ImmutableList<IShape>))]
[JsonSerializable(typeof(IEnumerable<IShape>))]
[JsonSerializable(typeof(ExternalThing))]
internal sealed partial class EscapeJson : JsonSerializerContext;

[GraphState]
public partial record EscapeHatchState
{
    [JsonSerializeWith(typeof(EscapeJson))]
    public IShape? Shape { get; init; }

    [Reducer(typeof(Append)), JsonSerializeWith(typeof(EscapeJson))]
    public ImmutableList<IShape> Shapes { get; init; } = [];

    public ExternalThing Thing { get; init; } = new();

    public Temperature Temperature { get; init; }

    public Temperature? MaybeTemperature { get; init; }

    [JsonConverter(typeof(UpperCaseConverter))]
    public string Shout { get; init; } = "";

    [JsonConverter(typeof(JsonNumberEnumConverter<Color>))]
    public Color NumericColor { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter))]
    public Color NamedColor { get; init; }

    public ShapeHolder Holder { get; init; } = new();

    public ChatMessage? Message { get; init; }
}

/// <summary>Lists whose items escape hatches write one by one (the lists themselves are generated code).</summary>
[GraphState]
public partial record EscapedItemsState
{
    public ImmutableList<ExternalThing> Things { get; init; } = [];

    public IReadOnlyList<Temperature> Temperatures { get; init; } = [];
}

/// <summary>System.Text.Json's view of the same types: camelCase, string enums, named float literals.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(ScalarState))]
[JsonSerializable(typeof(NullableScalarState))]
[JsonSerializable(typeof(CollectionState))]
[JsonSerializable(typeof(ObjectState))]
[JsonSerializable(typeof(ReducerState))]
internal sealed partial class StjJson : JsonSerializerContext;
