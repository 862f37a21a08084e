using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace GraphGen.Tests.Serialization;

/// <summary>Version 2 of a profile: <see cref="Version"/>, <see cref="Tags"/> and <see cref="Color"/> are new, and
/// <see cref="DisplayName"/> was renamed from <c>oldName</c> in C# only.</summary>
public sealed record Profile(string Name, int Version = 2)
{
    [JsonPropertyName("oldName")]
    public string DisplayName { get; init; } = "anonymous";

    public ImmutableList<string> Tags { get; init; } = ["new"];

    public Color Color { get; init; } = Color.Green;
}

[GraphState]
public partial record ProfileState
{
    public Profile Profile { get; init; } = new("nobody");

    public int Visits { get; init; } = 1;

    public ImmutableList<Profile> History { get; init; } = [];
}

/// <summary>JSON written by older versions of a state reads into the current one.</summary>
public class EvolutionTests
{
    private static ProfileState Read(string json) =>
        RoundTrip.Schema<ProfileState>().DeserializeState(System.Text.Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Unknown_properties_are_skipped_at_any_depth()
    {
        var state = Read("""
            {
              "profile": {
                "removed": { "deep": [1, { "x": null, "s": "}]\"" }], "more": {} },
                "name": "Ann",
                "alsoRemoved": [[], [{}], "text"],
                "oldName": "Annie"
              },
              "removedChannel": { "a": [1, 2, 3] },
              "visits": 3
            }
            """);

        Assert.Equal("Ann", state.Profile.Name);
        Assert.Equal("Annie", state.Profile.DisplayName);
        Assert.Equal(3, state.Visits);
    }

    [Fact]
    public void Missing_properties_keep_constructor_defaults_and_initializers()
    {
        var state = Read("""{ "profile": { "name": "Ann" }, "history": [ { "name": "old", "oldName": "Old" } ] }""");

        Assert.Equal(2, state.Profile.Version);
        Assert.Equal("anonymous", state.Profile.DisplayName);
        Assert.Equal(["new"], state.Profile.Tags);
        Assert.Equal(Color.Green, state.Profile.Color);
        Assert.Equal(1, state.Visits);
        Assert.Equal("Old", state.History[0].DisplayName);
        Assert.Equal(["new"], state.History[0].Tags);
    }

    [Fact]
    public void Present_properties_override_defaults_even_when_they_equal_the_type_default()
    {
        var state = Read("""{ "profile": { "name": "Ann", "version": 0, "tags": [], "color": "Red", "oldName": "" }, "visits": 0 }""");

        Assert.Equal(0, state.Profile.Version);
        Assert.Empty(state.Profile.Tags);
        Assert.Equal(Color.Red, state.Profile.Color);
        Assert.Equal("", state.Profile.DisplayName);
        Assert.Equal(0, state.Visits);
    }

    [Fact]
    public void The_renamed_property_is_written_under_its_old_name()
    {
        var profile = RoundTrip.Channel(new ProfileState { Profile = new Profile("Ann") { DisplayName = "A" } }, "profile");

        Assert.Equal("A", profile.GetProperty("oldName").GetString());
        Assert.False(profile.TryGetProperty("displayName", out _));
    }

    [Fact]
    public void Names_match_exactly_after_unescaping_and_in_any_order()
    {
        var state = Read("""{ "profile": { "c\u006flor": "Blue", "Name": "wrong case", "name": "Ann", "NAME": "x" } }""");

        Assert.Equal("Ann", state.Profile.Name);
        Assert.Equal(Color.Blue, state.Profile.Color);
    }

    [Fact]
    public void Enums_read_numbers_CSharp_names_and_flag_lists()
    {
        var schema = RoundTrip.Schema<ScalarState>();
        var values = new Dictionary<string, ReadOnlyMemory<byte>>
        {
            ["color"] = "5"u8.ToArray(),
            ["access"] = "\"Read, Write\""u8.ToArray(),
            ["renamed"] = "\"First\""u8.ToArray(),
            ["size"] = "\"Huge\""u8.ToArray(),
        };

        var state = schema.ReadState(values);

        Assert.Equal(Color.Blue, state.Color);
        Assert.Equal(Access.Read | Access.Write, state.Access);
        Assert.Equal(Renamed.First, state.Renamed);
        Assert.Equal(Size.Huge, state.Size);
    }

    [Fact]
    public void Channels_missing_from_stored_state_take_their_initial_values()
    {
        var state = Read("""{ "visits": 9 }""");

        Assert.Equal("nobody", state.Profile.Name);
        Assert.Empty(state.History);
    }
}

// ---- Constructor binding ----

/// <summary>The parameter is not nullable, the property is.</summary>
public sealed class NullableMismatch(string name)
{
    public string? Name { get; } = name;
}

/// <summary>An int member bound to a long parameter with a default.</summary>
public sealed class WideningDefault(long count = 5)
{
    public int Count { get; } = (int)count;
}

/// <summary>An optional parameter no member matches: it keeps its default; the get-only member it feeds is not serialized.</summary>
public sealed class OptionalExtra(string name, int unrelated = 3)
{
    public string Name { get; } = name;
    public int Extra { get; } = unrelated;
}

public sealed class PicksMarkedConstructor
{
    public PicksMarkedConstructor() => Source = "parameterless";

    [JsonConstructor]
    public PicksMarkedConstructor(string source, int value)
    {
        Source = source;
        Value = value;
    }

    public string Source { get; }
    public int Value { get; }
}

public sealed class ObsoleteMember
{
    [Obsolete("Use New.")]
    public int Old { get; set; }

    public int New { get; set; }
}

public sealed record WithDefaults(string Name = "n/a", Color Color = Color.Azure, decimal Amount = 1.50m, double Ratio = 0.25,
    char Mark = '*', string? Missing = null, bool Flag = true, float Small = -1.5f, ulong Big = ulong.MaxValue);

[GraphState]
public partial record ConstructorState
{
    public NullableMismatch Mismatch { get; init; } = new("m");
    public WideningDefault Widening { get; init; } = new();
    public OptionalExtra Optional { get; init; } = new("o");
    public PicksMarkedConstructor Marked { get; init; } = new();
    public ObsoleteMember Obsolete { get; init; } = new();
    public WithDefaults Defaults { get; init; } = new();
}

public class ConstructorBindingTests
{
    private static ConstructorState Read(string json) =>
        RoundTrip.Schema<ConstructorState>().DeserializeState(System.Text.Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Constructor_bound_types_round_trip()
    {
        var state = new ConstructorState
        {
            Mismatch = new NullableMismatch(null!),
            Widening = new WideningDefault(9),
            Optional = new OptionalExtra("x"),
            Marked = new PicksMarkedConstructor("json", 4),
#pragma warning disable CS0618
            Obsolete = new ObsoleteMember { Old = 1, New = 2 },
#pragma warning restore CS0618
            Defaults = new WithDefaults("a", Color.Red, 2.000m, -0.0, '\'', "m", false, float.NaN, 0),
        };

        var back = RoundTrip.State(state);

        Assert.Null(back.Mismatch.Name);
        Assert.Equal(3, back.Optional.Extra);
        Assert.Equal("json", back.Marked.Source);
    }

    [Fact]
    public void Missing_constructor_arguments_take_the_parameters_default_values()
    {
        var state = Read("""{ "widening": {}, "optional": { "name": "n", "extra": 7 }, "marked": {}, "defaults": {} }""");

        Assert.Equal(5, state.Widening.Count);
        Assert.Equal(3, state.Optional.Extra);
        Assert.Null(state.Marked.Source);
        Deep.Equal(new WithDefaults(), state.Defaults);
        Assert.Equal(2, decimal.GetBits(state.Defaults.Amount)[3] >> 16 & 0xff);
    }

    [Fact]
    public void Object_json_lists_only_members_it_can_restore()
    {
        var optional = RoundTrip.Channel(new ConstructorState(), "optional");
        var obsolete = RoundTrip.Channel(new ConstructorState(), "obsolete");

        Assert.Equal(["name"], optional.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["old", "new"], obsolete.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Enum_names_are_read_ignoring_case_as_System_Text_Json_does()
    {
        var state = Read("""{ "defaults": { "color": "green" } }""");

        Assert.Equal(Color.Green, state.Defaults.Color);
    }
}
