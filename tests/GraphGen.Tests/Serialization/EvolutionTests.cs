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
