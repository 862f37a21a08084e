using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace GraphGen.Tests.Serialization;

/// <summary>
/// The generated JSON is plain System.Text.Json JSON: STJ (camelCase, string enums, named float literals) reads it back
/// into equal values, we read STJ's output back, and spot checks pin the shapes.
/// </summary>
public class JsonShapeTests
{
    private const int Runs = 200;

    [Fact]
    public void System_Text_Json_reads_generated_scalars_and_writes_what_we_read()
    {
        var values = new RandomValues(seed: 11, stjCompatible: true);
        for (var run = 0; run < Runs; run++)
        {
            BothWays(values.Scalars(), StjJson.Default.ScalarState);
            BothWays(values.NullableScalars(), StjJson.Default.NullableScalarState);
        }
    }

    [Fact]
    public void System_Text_Json_reads_generated_collections_and_writes_what_we_read()
    {
        var values = new RandomValues(seed: 12, stjCompatible: true);
        for (var run = 0; run < Runs; run++)
        {
            BothWays(values.Collections(), StjJson.Default.CollectionState);
        }
    }

    [Fact]
    public void System_Text_Json_reads_generated_objects_and_writes_what_we_read()
    {
        var values = new RandomValues(seed: 13, stjCompatible: true);
        for (var run = 0; run < Runs; run++)
        {
            BothWays(values.Objects(), StjJson.Default.ObjectState);
            BothWays(values.Reducers(), StjJson.Default.ReducerState);
        }
    }

    [Fact]
    public void Objects_have_camelCase_names_and_only_restorable_members()
    {
        var state = new ObjectState
        {
            Person = new Person("Ann", 41) { Home = new Address("1 Main", "Town", Zip: null), Favorite = Color.Green },
            Init = new InitOnly { Name = "n", Version = 3, Owner = "me", Cache = "not written" },
            Fields = new WithFields { Count = 4, NotIncluded = 5, Label = "l" },
        };

        var person = RoundTrip.Channel(state, "person");
        var init = RoundTrip.Channel(state, "init");
        var fields = RoundTrip.Channel(state, "fields");

        Assert.Equal(["name", "age", "home", "children", "favorite"], person.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Green", person.GetProperty("favorite").GetString());
        Assert.Equal(JsonValueKind.Null, person.GetProperty("home").GetProperty("zip").ValueKind);
        Assert.Equal(["name", "version", "legacy_id", "owner"], init.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["count", "label"], fields.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Ignore_conditions_leave_out_null_and_default_members()
    {
        var empty = RoundTrip.Channel(new ObjectState { Conditional = new Conditional() }, "conditional");
        var full = RoundTrip.Channel(new ObjectState { Conditional = new Conditional { Maybe = "m", Zero = 1 } }, "conditional");

        Assert.Empty(empty.EnumerateObject());
        Assert.Equal(["maybe", "zero"], full.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Scalars_have_System_Text_Json_shapes()
    {
        var state = new ScalarState
        {
            Color = Color.Blue,
            Access = Access.Read | Access.Write,
            Renamed = Renamed.First,
            Char = 'x',
            Double = double.PositiveInfinity,
            Duration = new TimeSpan(1, 2, 3, 4, 5),
            Day = new DateOnly(2024, 2, 29),
            Time = new TimeOnly(13, 14, 15),
            When = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc),
            WhenOffset = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)),
            Id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
            Bytes = [1, 2, 3],
            Link = new Uri("https://example.com/x"),
            Version = new Version(1, 2, 3),
        };

        string Raw(string channel) => RoundTrip.Channel(state, channel).GetRawText();

        Assert.Equal("\"Blue\"", Raw("color"));
        Assert.Equal("3", Raw("access"));
        Assert.Equal("\"first-one\"", Raw("renamed"));
        Assert.Equal("\"x\"", Raw("char"));
        Assert.Equal("\"Infinity\"", Raw("double"));
        Assert.Equal("\"1.02:03:04.0050000\"", Raw("duration"));
        Assert.Equal("\"2024-02-29\"", Raw("day"));
        Assert.Equal("\"13:14:15\"", Raw("time"));
        Assert.Equal("\"2024-01-02T03:04:05Z\"", Raw("when"));
        Assert.Equal("\"2024-01-02T03:04:05-05:00\"", Raw("whenOffset"));
        Assert.Equal("\"0f8fad5b-d9cb-469f-a165-70867728950e\"", Raw("id"));
        Assert.Equal("\"AQID\"", Raw("bytes"));
        Assert.Equal("\"https://example.com/x\"", Raw("link"));
        Assert.Equal("\"1.2.3\"", Raw("version"));
        foreach (var (channel, expected) in new[] { ("color", "\"Blue\""), ("renamed", "\"first-one\""), ("double", "\"Infinity\""), ("duration", "\"1.02:03:04.0050000\"") })
        {
            var stj = JsonSerializer.SerializeToElement(state, StjJson.Default.ScalarState).GetProperty(channel).GetRawText();
            Assert.Equal(expected, stj);
        }
    }

    [Fact]
    public void Dictionaries_are_objects_with_string_keys()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var state = new CollectionState
        {
            IntKeys = new() { [-5] = "minus five", [7] = "seven" },
            GuidKeys = new() { [id] = 1 },
            EnumKeys = new() { [Color.Green] = 1, [(Color)42] = 2 },
            PairList = [new("k", 1)],
        };

        Assert.Equal("{\"-5\":\"minus five\",\"7\":\"seven\"}", RoundTrip.Channel(state, "intKeys").GetRawText());
        Assert.Equal("{\"0f8fad5b-d9cb-469f-a165-70867728950e\":1}", RoundTrip.Channel(state, "guidKeys").GetRawText());
        Assert.Equal("{\"Green\":1,\"42\":2}", RoundTrip.Channel(state, "enumKeys").GetRawText());
        Assert.Equal("[{\"key\":\"k\",\"value\":1}]", RoundTrip.Channel(state, "pairList").GetRawText());
        Deep.Equal(state.EnumKeys, RoundTrip.State(state).EnumKeys);
    }

    [Fact]
    public void A_MergeDictionary_update_is_written_as_an_object()
    {
        var update = new ReducerState.Update { Scores = [new("a", 1), new("b", 2)] };
        var schema = RoundTrip.Schema<ReducerState>();

        var json = schema.SerializeUpdateChannel(update, schema.IndexOf("scores"));

        Assert.Equal("{\"a\":1,\"b\":2}", System.Text.Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void Strings_are_escaped_for_JSON_but_non_ASCII_text_stays_readable()
    {
        var state = new CollectionState { Dictionary = new() { ["quote\" <tag> é"] = 1 }, List = ["line\nbreak", "😀 日本"] };
        var schema = RoundTrip.Schema<CollectionState>();

        // Checkpoints are stored, not embedded in HTML: the relaxed encoder keeps é and 日本 as UTF-8.
        var ours = System.Text.Encoding.UTF8.GetString(schema.SerializeChannel(state, schema.IndexOf("dictionary")))
            + System.Text.Encoding.UTF8.GetString(schema.SerializeChannel(state, schema.IndexOf("list")));
        var relaxed = new JsonSerializerOptions(StjJson.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var stj = JsonSerializer.SerializeToElement(state, (JsonTypeInfo<CollectionState>)relaxed.GetTypeInfo(typeof(CollectionState)));

        Assert.Equal(stj.GetProperty("dictionary").GetRawText() + stj.GetProperty("list").GetRawText(), ours);
        Assert.Contains("é", ours);
        Assert.Contains("日本", ours);
        Assert.Contains("\\\"", ours);
        Assert.Contains("\\n", ours);
    }

    /// <summary>STJ reads our JSON into an equal value, and we read STJ's JSON into an equal value.</summary>
    private static void BothWays<T>(T value, JsonTypeInfo<T> stj) where T : IGraphState<T>
    {
        var schema = RoundTrip.Schema<T>();
        var ours = schema.SerializeState(value);
        Deep.Equal(value, JsonSerializer.Deserialize(ours, stj));
        Deep.Equal(value, schema.DeserializeState(JsonSerializer.SerializeToUtf8Bytes(value, stj)));
    }
}
