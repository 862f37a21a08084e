using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Serialization;

/// <summary>
/// Seeded random values for property-based round trips: about a quarter of draws are edge cases (empty, null,
/// min/max, escapes, surrogate pairs, negative zero, every DateTime kind, extreme offsets, decimal scales).
/// </summary>
/// <param name="seed">The seed; a failing run is reproduced by its seed.</param>
/// <param name="stjCompatible">
/// Leave out the values System.Text.Json itself cannot round-trip (a default ImmutableArray, the sign of a decimal
/// zero), for tests that compare with it.
/// </param>
internal sealed class RandomValues(int seed, bool stjCompatible = false)
{
    private readonly Random _random = new(seed);

    private bool Edge => _random.Next(4) == 0;

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private int Count(int max = 5) => _random.Next(max + 1);

    public bool Bool() => _random.Next(2) == 0;

    public long Int64() => Edge ? Pick(0L, 1L, -1L, long.MinValue, long.MaxValue) : _random.NextInt64(long.MinValue, long.MaxValue);

    public ulong UInt64() => Edge ? Pick(0UL, 1UL, ulong.MaxValue) : (ulong)_random.NextInt64() * 2 + (ulong)_random.Next(2);

    public int Int32() => Edge ? Pick(0, 1, -1, int.MinValue, int.MaxValue) : _random.Next(int.MinValue, int.MaxValue);

    public double Double() => Edge
        ? Pick(0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.1, 1e-300, 5e-324)
        : BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue));

    public float Single() => Edge
        ? Pick(0f, -0f, float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0.1f)
        : BitConverter.Int32BitsToSingle(_random.Next(int.MinValue, int.MaxValue));

    public decimal Decimal()
    {
        if (Edge)
        {
            return Pick(0m, 1.10m, 1.1m, 0.000m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 123456789.1234567890123456789m,
                stjCompatible ? 0m : new decimal(0, 0, 0, isNegative: true, scale: 2));
        }
        var value = new decimal(_random.Next(), _random.Next(), _random.Next(), Bool(), (byte)_random.Next(29));
        return stjCompatible && value == 0m ? 0m : value;
    }

    public char Char()
    {
        if (Edge)
        {
            return Pick('\0', '"', '\\', '\n', '\u001f', '<', '&', '\'', '\u2028', 'é', '中', '\uffff');
        }
        // Any UTF-16 unit but a lone surrogate: the writer replaces those with U+FFFD, as System.Text.Json does.
        var c = (char)_random.Next(0, 0xD800);
        return c;
    }

    public string String()
    {
        if (Edge)
        {
            return Pick("", " ", "\"quoted\"", "back\\slash", "line\nbreak\r\t", "\u0000\u0001\u001f", "<script>&amp;'</script>",
                "héllo wörld", "中文字符", "emoji 😀👍🏽", "\u2028\u2029", new string('x', 300), "{\"json\":[1,2]}", "null");
        }
        var builder = new StringBuilder();
        for (var i = Count(12); i > 0; i--)
        {
            switch (_random.Next(6))
            {
                case 0: builder.Append((char)_random.Next(0x20, 0x7f)); break;
                case 1: builder.Append((char)_random.Next(0, 0x20)); break;
                case 2: builder.Append((char)_random.Next(0x80, 0xD800)); break;
                case 3: builder.Append(char.ConvertFromUtf32(_random.Next(0x10000, 0x110000))); break;
                case 4: builder.Append(Pick('"', '\\', '/', '<', '>', '&', '\'', '+', '`')); break;
                default: builder.Append((char)_random.Next(0xE000, 0x10000)); break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Letters and digits only: keys of sorted collections, whose default (culture) comparer ignores some characters.</summary>
    public string Word()
    {
        var chars = new char[1 + Count(8)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[_random.Next(62)];
        }
        return new string(chars);
    }

    public string? MaybeString() => _random.Next(5) == 0 ? null : String();

    public T? Maybe<T>(Func<T> value) where T : struct => _random.Next(4) == 0 ? null : value();

    public T? MaybeRef<T>(Func<T> value) where T : class => _random.Next(4) == 0 ? null : value();

    public DateTime DateTime()
    {
        if (Edge)
        {
            return Pick(System.DateTime.MinValue, System.DateTime.MaxValue, new DateTime(System.DateTime.MaxValue.Ticks, DateTimeKind.Utc),
                new DateTime(2024, 2, 29, 12, 0, 0, DateTimeKind.Utc), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(1));
        }
        while (true)
        {
            var kind = Pick(DateTimeKind.Utc, DateTimeKind.Unspecified, DateTimeKind.Local);
            // Local times a day away from the ends, so the offset written with them stays in range.
            var ticks = _random.NextInt64(System.TimeSpan.TicksPerDay, System.DateTime.MaxValue.Ticks - System.TimeSpan.TicksPerDay);
            var value = new DateTime(ticks, kind);
            // A local time that does not exist or occurs twice (daylight saving changes) has no exact ISO 8601 form.
            if (kind != DateTimeKind.Local || !TimeZoneInfo.Local.IsInvalidTime(value) && !TimeZoneInfo.Local.IsAmbiguousTime(value))
            {
                return value;
            }
        }
    }

    public DateTimeOffset DateTimeOffset()
    {
        if (Edge)
        {
            return Pick(System.DateTimeOffset.MinValue, System.DateTimeOffset.MaxValue, new DateTimeOffset(2024, 1, 1, 0, 0, 0, System.TimeSpan.FromHours(14)),
                new DateTimeOffset(2024, 1, 1, 0, 0, 0, System.TimeSpan.FromMinutes(-12 * 60 - 45)));
        }
        var offset = System.TimeSpan.FromMinutes(_random.Next(-14 * 60, 14 * 60 + 1));
        var ticks = _random.NextInt64(System.TimeSpan.TicksPerDay, System.DateTime.MaxValue.Ticks - System.TimeSpan.TicksPerDay);
        return new DateTimeOffset(ticks, offset);
    }

    public System.TimeSpan TimeSpan() => Edge
        ? Pick(System.TimeSpan.Zero, System.TimeSpan.MinValue, System.TimeSpan.MaxValue, System.TimeSpan.FromTicks(1), System.TimeSpan.FromDays(-1.5))
        : System.TimeSpan.FromTicks(_random.NextInt64(long.MinValue, long.MaxValue));

    public Guid Guid() => Edge ? Pick(System.Guid.Empty, System.Guid.AllBitsSet) : new Guid(Bytes(16));

    public DateOnly DateOnly() => Edge ? Pick(System.DateOnly.MinValue, System.DateOnly.MaxValue) : System.DateOnly.FromDayNumber(_random.Next(System.DateOnly.MaxValue.DayNumber + 1));

    public TimeOnly TimeOnly() => Edge ? Pick(System.TimeOnly.MinValue, System.TimeOnly.MaxValue) : new TimeOnly(_random.NextInt64(System.TimeSpan.TicksPerDay));

    public Uri Uri() => Pick(new Uri("https://example.com/a?b=c&d=é#f"), new Uri("relative/path with space", UriKind.Relative),
        new Uri("urn:isbn:0451450523"), new Uri("file:///tmp/x.txt"), new Uri("http://[::1]:8080/"));

    public Version Version() => _random.Next(3) switch
    {
        0 => new Version(_random.Next(100), _random.Next(100)),
        1 => new Version(_random.Next(100), _random.Next(100), _random.Next(100)),
        _ => new Version(int.MaxValue, _random.Next(100), _random.Next(100), _random.Next(100)),
    };

    public byte[] Bytes(int? length = null)
    {
        var bytes = new byte[length ?? Count(40)];
        _random.NextBytes(bytes);
        return bytes;
    }

    public JsonElement Element() => Json.Parse(Pick("null", "0", "-1.5e300", "\"text\"", "[]", "{}", "[1,\"a\",{\"b\":[true,false,null]}]", "{\"nested\":{\"deep\":[{\"x\":\"\\u00e9\"}]}}"));

    public JsonNode? Node() => JsonNode.Parse(Pick("null", "1", "\"s\"", "[1,2]", "{\"a\":{\"b\":null}}"));

    public Color Color() => Edge ? Pick((Color)42, (Color)(-1)) : Pick(Serialization.Color.Red, Serialization.Color.Green, Serialization.Color.Blue);

    public Access Access() => Pick(Serialization.Access.None, Serialization.Access.Read, Serialization.Access.Write, Serialization.Access.Read | Serialization.Access.Write, (Access)200);

    public Size Size() => Pick(Serialization.Size.Small, Serialization.Size.Huge, (Size)0, (Size)long.MinValue);

    public Renamed Renamed() => Pick(Serialization.Renamed.First, Serialization.Renamed.Second);

    public List<T> List<T>(Func<T> item, int max = 5)
    {
        var list = new List<T>();
        for (var i = Count(max); i > 0; i--)
        {
            list.Add(item());
        }
        return list;
    }

    public Dictionary<TKey, TValue> Dictionary<TKey, TValue>(Func<TKey> key, Func<TValue> value) where TKey : notnull
    {
        var dictionary = new Dictionary<TKey, TValue>();
        for (var i = Count(); i > 0; i--)
        {
            dictionary[key()] = value();
        }
        return dictionary;
    }

    // ---- States ----

    public ScalarState Scalars() => new()
    {
        Flag = Bool(),
        Byte = (byte)_random.Next(256),
        SByte = (sbyte)_random.Next(-128, 128),
        Short = (short)_random.Next(short.MinValue, short.MaxValue + 1),
        UShort = (ushort)_random.Next(ushort.MaxValue + 1),
        Int = Int32(),
        UInt = (uint)Int32(),
        Long = Int64(),
        ULong = UInt64(),
        Float = Single(),
        Double = Double(),
        Decimal = Decimal(),
        Char = Char(),
        Text = String(),
        MaybeText = MaybeString(),
        Color = Color(),
        Access = Access(),
        Size = Size(),
        Renamed = Renamed(),
        When = DateTime(),
        WhenOffset = DateTimeOffset(),
        Duration = TimeSpan(),
        Id = Guid(),
        Day = DateOnly(),
        Time = TimeOnly(),
        Link = MaybeRef(Uri),
        Version = MaybeRef(Version),
        Bytes = Bytes(),
        Element = Element(),
        Node = Node(),
    };

    public NullableScalarState NullableScalars() => new()
    {
        Flag = Maybe(Bool),
        Byte = Maybe(() => (byte)_random.Next(256)),
        SByte = Maybe(() => (sbyte)_random.Next(-128, 128)),
        Short = Maybe(() => (short)_random.Next(short.MinValue, short.MaxValue + 1)),
        UShort = Maybe(() => (ushort)_random.Next(ushort.MaxValue + 1)),
        Int = Maybe(Int32),
        UInt = Maybe(() => (uint)Int32()),
        Long = Maybe(Int64),
        ULong = Maybe(UInt64),
        Float = Maybe(Single),
        Double = Maybe(Double),
        Decimal = Maybe(Decimal),
        Char = Maybe(Char),
        Color = Maybe(Color),
        When = Maybe(DateTime),
        WhenOffset = Maybe(DateTimeOffset),
        Duration = Maybe(TimeSpan),
        Id = Maybe(Guid),
        Day = Maybe(DateOnly),
        Time = Maybe(TimeOnly),
    };

    public CollectionState Collections() => new()
    {
        Array = List(Int32).ToArray(),
        Jagged = List(() => List(Int32).ToArray()).ToArray(),
        List = List(String),
        IList = List(Int32),
        IReadOnlyList = List(String).ToImmutableList(),
        ICollection = List(Int32),
        IReadOnlyCollection = List(Guid),
        Enumerable = List(Int32),
        ImmutableList = List(MaybeString).ToImmutableList(),
        ImmutableArray = !stjCompatible && _random.Next(6) == 0 ? default : List(Int32).ToImmutableArray(),
        HashSet = List(String).ToHashSet(),
        ImmutableHashSet = List(Int32).ToImmutableHashSet(),
        ISet = List(Int32).ToHashSet(),
        SortedSet = new SortedSet<int>(List(Int32)),
        // Sorted collections are read back with their element type's default comparer.
        ImmutableSortedSet = List(Word).ToImmutableSortedSet(),
        Dictionary = Dictionary(String, Int32),
        IDictionary = Dictionary(String, MaybeString),
        IReadOnlyDictionary = Dictionary(String, () => List(Int32)),
        ImmutableDictionary = Dictionary(String, Address).ToImmutableDictionary(),
        SortedDictionary = new SortedDictionary<string, double>(Dictionary(Word, Double)),
        ImmutableSortedDictionary = Dictionary(Word, Int32).ToImmutableSortedDictionary(),
        IntKeys = Dictionary(Int32, String),
        ULongKeys = Dictionary(UInt64, Int32),
        SByteKeys = Dictionary(() => (sbyte)_random.Next(-128, 128), Int32),
        GuidKeys = Dictionary(Guid, Int32),
        EnumKeys = Dictionary(Color, Int32),
        Nested = List(() => List(Int32)),
        NullableItems = List(() => Maybe(Int32)),
        PairList = List(() => new KeyValuePair<string, int>(String(), Int32())),
        MaybeList = MaybeRef(() => List(String)),
    };

    public InterfaceCollectionState InterfaceCollections() => new()
    {
        IReadOnlySet = List(String).ToHashSet(),
        IImmutableList = List(Int32).ToImmutableList(),
        IImmutableSet = List(String).ToImmutableHashSet(),
        IImmutableDictionary = Dictionary(String, Int32).ToImmutableDictionary(),
        Pairs = List(() => new KeyValuePair<string, int>(String(), Int32())),
        EnumPairs = Dictionary(Color, () => MaybeRef(Address)),
    };

    public Address Address() => new(String(), String(), MaybeString());

    /// <summary>A chat message with random text, ids and, now and then, tool calls, data and extra properties.</summary>
    public ChatMessage ChatMessage()
    {
        var message = new ChatMessage(Pick(ChatRole.User, ChatRole.Assistant, ChatRole.System, ChatRole.Tool), String())
        {
            MessageId = MaybeString(),
            AuthorName = MaybeString(),
            CreatedAt = Maybe(DateTimeOffset),
        };
        if (Edge)
        {
            message.Contents.Add(new FunctionCallContent(Word(), Word(), new Dictionary<string, object?> { ["n"] = Int32(), ["s"] = String(), ["none"] = null }));
        }
        if (Edge)
        {
            message.Contents.Add(new FunctionResultContent(Word(), String()));
        }
        if (Edge)
        {
            message.Contents.Add(new DataContent(Bytes(), "application/octet-stream"));
        }
        if (Edge)
        {
            message.AdditionalProperties = new() { [Word()] = String() };
        }
        return message;
    }

    public Person Person(int depth = 2) => new(String(), Int32())
    {
        Home = MaybeRef(Address),
        Children = depth == 0 ? [] : List(() => Person(depth - 1), 3).ToImmutableList(),
        Favorite = Color(),
    };

    public Tree Tree(int depth = 3) => new(String(), depth == 0 ? [] : List(() => Tree(depth - 1), 3).ToImmutableList());

    public ObjectState Objects() => new()
    {
        Person = Person(),
        MaybePerson = MaybeRef(() => Person(1)),
        Address = Address(),
        Bag = new MutableBag { Count = Int32(), Names = List(String), Note = MaybeString() },
        Point = new Point(Int32(), Int32()),
        MaybePoint = Maybe(() => new Point(Int32(), Int32())),
        Money = new Money(Decimal(), String()),
        MutablePoint = new MutablePoint { X = Double(), Y = Double() },
        Init = new InitOnly { Name = String(), Version = Int32(), Id = Guid(), Owner = String() },
        IntBox = new Box<int> { Value = Int32() },
        ListBox = new Box<List<Address>> { Value = List(Address) },
        Dog = new Dog(String(), Bool()),
        Tree = Tree(),
        Fields = new WithFields { Count = Int32(), Label = String() },
        Conditional = new Conditional { Maybe = MaybeString(), Zero = _random.Next(3) == 0 ? 0 : Int32() },
        People = List(() => Person(1)).ToImmutableList(),
        ByName = Dictionary(String, () => Person(1)),
    };

    public ReducerState Reducers() => new()
    {
        Addresses = List(Address).ToImmutableList(),
        Numbers = List(Int32).ToImmutableArray(),
        Scores = Dictionary(String, Int32).ToImmutableDictionary(),
        People = Dictionary(Guid, () => Person(1)).ToImmutableDictionary(),
        Tags = List(String).ToImmutableHashSet(),
        Total = Decimal(),
    };

    public KeywordState Keywords() => new()
    {
        Keywords = new KeywordNames { @class = Int32(), @event = String() },
        More = List(() => new KeywordNames { @class = Int32(), @event = String() }).ToImmutableList(),
    };
}
