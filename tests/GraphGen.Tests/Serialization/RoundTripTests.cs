using System.Collections.Immutable;
using System.Text.Json;

namespace GraphGen.Tests.Serialization;

public class RoundTripTests
{
    private const int Runs = 200;

    // ---- Hand-picked values ----

    [Fact]
    public void Default_states_round_trip()
    {
        RoundTrip.State(new ScalarState());
        RoundTrip.State(new NullableScalarState());
        RoundTrip.State(new CollectionState());
        RoundTrip.State(new ObjectState());
        RoundTrip.State(new ReducerState());
        RoundTrip.State(new KeywordState());
        RoundTrip.State(new InterfaceCollectionState());
    }

    [Fact]
    public void A_default_JsonElement_is_written_as_null()
    {
        Assert.Equal(JsonValueKind.Null, RoundTrip.Channel(new InterfaceCollectionState(), "defaultElement").ValueKind);
    }

    [Fact]
    public void Scalars_keep_exact_values()
    {
        var state = new ScalarState
        {
            Decimal = 1.10m,
            Double = -0.0,
            Float = float.NaN,
            Char = '"',
            Text = "tab\t quote\" emoji 😀 nul\0",
            When = new DateTime(2024, 3, 1, 12, 30, 0, DateTimeKind.Local).AddTicks(1234567),
            WhenOffset = new DateTimeOffset(2024, 3, 1, 12, 30, 0, TimeSpan.FromMinutes(345)).AddTicks(7),
            Duration = TimeSpan.MinValue,
            Bytes = [0, 1, 254, 255],
            Element = Json.Parse("{\"a\":[1,null]}"),
        };

        var back = RoundTrip.State(state);

        Assert.Equal(2, decimal.GetBits(back.Decimal)[3] >> 16 & 0xff);
        Assert.True(double.IsNegative(back.Double));
        Assert.Equal(DateTimeKind.Local, back.When.Kind);
        Assert.Equal(TimeSpan.FromMinutes(345), back.WhenOffset.Offset);
    }

    [Fact]
    public void A_negative_decimal_zero_keeps_its_sign_and_scale()
    {
        var negativeZero = new decimal(0, 0, 0, isNegative: true, scale: 3);

        var back = RoundTrip.State(new ScalarState { Decimal = negativeZero });

        Assert.Equal(decimal.GetBits(negativeZero), decimal.GetBits(back.Decimal));
        Assert.Equal("-0.000", RoundTrip.Channel(new ScalarState { Decimal = negativeZero }, "decimal").GetRawText());
    }

    [Fact]
    public void Nulls_round_trip_for_nullable_values_and_nullable_references()
    {
        var back = RoundTrip.State(new ObjectState { MaybePerson = null, MaybePoint = null });

        Assert.Null(back.MaybePerson);
        Assert.Null(back.MaybePoint);
        Assert.Null(RoundTrip.State(new CollectionState { MaybeList = null }).MaybeList);
        Assert.Equal(JsonValueKind.Null, RoundTrip.Channel(new ScalarState { MaybeText = null }, "maybeText").ValueKind);
    }

    [Fact]
    public void A_default_immutable_array_stays_default_and_an_empty_one_stays_empty()
    {
        Assert.True(RoundTrip.State(new CollectionState { ImmutableArray = default }).ImmutableArray.IsDefault);

        var empty = RoundTrip.State(new CollectionState { ImmutableArray = [] }).ImmutableArray;

        Assert.False(empty.IsDefault);
        Assert.Empty(empty);
    }

    [Fact]
    public void Recursive_records_round_trip_at_depth()
    {
        var tree = new Tree("root", []);
        for (var i = 0; i < 20; i++)
        {
            tree = new Tree($"level {i}", [tree, new Tree("leaf", [])]);
        }
        var person = new Person("grandparent", 80)
        {
            Children = [new Person("parent", 50) { Children = [new Person("child", 20) { Home = new Address("1 Main", "Town") }] }],
        };

        var back = RoundTrip.State(new ObjectState { Tree = tree, Person = person });

        Assert.Equal("child", back.Person.Children[0].Children[0].Name);
        Assert.Equal("Town", back.Person.Children[0].Children[0].Home!.City);
    }

    [Fact]
    public void Reducer_updates_round_trip_in_their_own_types()
    {
        var id = Guid.NewGuid();
        var update = new ReducerState.Update
        {
            Addresses = [new Address("a", "b")],
            Numbers = new List<int> { 1, 2, 3 },
            // MergeDictionary's update is a sequence of pairs: order and repeated keys are kept.
            Scores = [new("x", 1), new("y", 2), new("x", 3)],
            People = new Dictionary<Guid, Person> { [id] = new Person("p", 1) },
            Tags = new HashSet<string> { "t" },
            Total = 2.50m,
        };

        var back = (ReducerState.Update)RoundTrip.Update<ReducerState>(update);

        Assert.Equal(new KeyValuePair<string, int>[] { new("x", 1), new("y", 2), new("x", 3) }, back.Scores);
        var applied = RoundTrip.Schema<ReducerState>().Apply(new ReducerState(), [back]);
        Assert.Equal(3, applied.Scores["x"]);
        Assert.Equal("p", applied.People[id].Name);
        Assert.Equal(2.50m, applied.Total);
    }

    [Fact]
    public void An_update_that_writes_some_channels_round_trips_only_those()
    {
        var update = new ObjectState.Update { Point = new Point(1, 2), MaybePerson = null };

        var back = (ObjectState.Update)RoundTrip.Update<ObjectState>(update);

        Assert.Equal(new Point(1, 2), back.Point);
        Assert.True(back.Writes(RoundTrip.Schema<ObjectState>().IndexOf("maybePerson")));
        Assert.False(back.Writes(RoundTrip.Schema<ObjectState>().IndexOf("person")));
    }

    // ---- Property-based: seeded random values, edge cases included ----

    [Fact]
    public void Random_scalars_round_trip_exactly()
    {
        var values = new RandomValues(seed: 101);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.Scalars());
        }
    }

    [Fact]
    public void Random_nullable_scalars_round_trip_exactly()
    {
        var values = new RandomValues(seed: 202);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.NullableScalars());
        }
    }

    [Fact]
    public void Random_collections_round_trip_exactly()
    {
        var values = new RandomValues(seed: 303);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.Collections());
        }
    }

    [Fact]
    public void Random_objects_round_trip_exactly()
    {
        var values = new RandomValues(seed: 404);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.Objects());
        }
    }

    [Fact]
    public void Random_reducer_states_and_updates_round_trip_exactly()
    {
        var values = new RandomValues(seed: 505);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.Reducers());
        }
    }

    [Fact]
    public void Random_collection_interfaces_round_trip_exactly()
    {
        var values = new RandomValues(seed: 707);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.InterfaceCollections());
        }
    }

    [Fact]
    public void Random_keyword_named_members_round_trip_exactly()
    {
        var values = new RandomValues(seed: 606);
        for (var run = 0; run < Runs; run++)
        {
            RoundTrip.State(values.Keywords());
        }
    }

    // ---- Values that do not fit ----

    [Theory]
    [InlineData("array", "{\"x\":1}")]
    [InlineData("dictionary", "[1]")]
    [InlineData("intKeys", "{\"notanumber\":\"a\"}")]
    [InlineData("enumKeys", "{\"Purple\":1}")]
    public void A_collection_value_of_the_wrong_shape_throws_JsonException_or_FormatException(string channel, string json)
    {
        var schema = RoundTrip.Schema<CollectionState>();
        var values = new Dictionary<string, ReadOnlyMemory<byte>> { [channel] = System.Text.Encoding.UTF8.GetBytes(json) };

        var error = Record.Exception(() => schema.ReadState(values));

        Assert.True(error is JsonException or FormatException, error?.ToString());
    }

    [Theory]
    [InlineData("char", "\"ab\"")]
    [InlineData("duration", "\"not a timespan\"")]
    [InlineData("day", "\"2024-13-01\"")]
    [InlineData("color", "\"Purple\"")]
    [InlineData("double", "\"fast\"")]
    public void A_scalar_value_that_does_not_parse_throws_JsonException(string channel, string json)
    {
        var schema = RoundTrip.Schema<ScalarState>();
        var values = new Dictionary<string, ReadOnlyMemory<byte>> { [channel] = System.Text.Encoding.UTF8.GetBytes(json) };

        Assert.Throws<JsonException>(() => schema.ReadState(values));
    }

    [Fact]
    public void An_object_value_that_is_not_an_object_throws_JsonException()
    {
        var values = new Dictionary<string, ReadOnlyMemory<byte>> { ["person"] = "[1,2]"u8.ToArray() };

        Assert.Throws<JsonException>(() => RoundTrip.Schema<ObjectState>().ReadState(values));
    }

    [Fact]
    public void Immutable_collections_read_back_as_immutable_collections()
    {
        var back = RoundTrip.State(new CollectionState
        {
            IReadOnlyList = ["a"],
            ImmutableHashSet = [1],
            ImmutableDictionary = ImmutableDictionary<string, Address>.Empty.Add("k", new Address("s", "c")),
        });

        Assert.IsType<ImmutableList<string>>(back.IReadOnlyList);
        Assert.IsType<ImmutableHashSet<int>>(back.ImmutableHashSet);
        Assert.IsType<ImmutableDictionary<string, Address>>(back.ImmutableDictionary);
    }
}
