using System.Text;
using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

/// <summary>The JSON form every saver stores metadata in, read back by <see cref="CheckpointMetadata.FromJson"/>.</summary>
public sealed class CheckpointMetadataTests
{
    private static CheckpointMetadata Read(string json) => CheckpointMetadata.FromJson(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Every_field_and_custom_value_kind_round_trips()
    {
        var metadata = new CheckpointMetadata
        {
            Source = CheckpointSource.Fork,
            Step = 12,
            RunId = "run-1",
            Parents = new Dictionary<string, string> { [""] = "root-id", ["child:1"] = "child-id" },
            Custom = new Dictionary<string, object?> { ["user"] = "ada", ["n"] = 7L, ["ratio"] = 0.5, ["ok"] = true, ["none"] = null },
        };

        var read = CheckpointMetadata.FromJson(metadata.ToJson());

        Assert.Equal((CheckpointSource.Fork, 12, "run-1"), (read.Source, read.Step, read.RunId));
        Assert.Equal(metadata.Parents, read.Parents);
        Assert.Equal(metadata.Custom, read.Custom);
        Assert.Equal(metadata.ToJson(), read.ToJson());
    }

    [Theory]
    [InlineData("input", CheckpointSource.Input)]
    [InlineData("loop", CheckpointSource.Loop)]
    [InlineData("update", CheckpointSource.Update)]
    [InlineData("fork", CheckpointSource.Fork)]
    public void Each_source_is_read_by_its_name(string name, CheckpointSource source) =>
        Assert.Equal(source, Read($$"""{"source":"{{name}}","step":0}""").Source);

    [Fact]
    public void Missing_fields_take_their_defaults_and_nested_custom_values_keep_their_json_text()
    {
        var read = Read("""{"tags":["a",{"b":1}],"obj":{"x":[1,2]},"big":12345678901234,"step":-1}""");

        Assert.Equal((CheckpointSource.Loop, -1, (string?)null), (read.Source, read.Step, read.RunId));
        Assert.Empty(read.Parents);
        Assert.Equal("""["a",{"b":1}]""", read.Custom["tags"]);
        Assert.Equal("""{"x":[1,2]}""", read.Custom["obj"]);
        Assert.Equal(12345678901234L, read.Custom["big"]);
        Assert.Equal(3, read.Custom.Count);
    }

    [Fact]
    public void Metadata_read_from_a_parsed_element_is_the_same_and_keeps_nested_values_as_written()
    {
        using var document = JsonDocument.Parse("""{"source":"update","step":3,"parents":{"":"p"},"user":"ada","tags": [1, 2]}""");

        var read = CheckpointMetadata.FromElement(document.RootElement);

        Assert.Equal((CheckpointSource.Update, 3, "p", (object?)"ada"), (read.Source, read.Step, read.Parents[""], read.Custom["user"]));
        Assert.Equal("[1, 2]", read.Custom["tags"]);
    }

    [Theory]
    [InlineData("[1]", "StartArray")]
    [InlineData("\"loop\"", "String")]
    [InlineData("""{"source":"elsewhere"}""", "elsewhere")]
    [InlineData("""{"source":null}""", "Null")]
    [InlineData("""{"source":1}""", "Number")]
    [InlineData("""{"parents":[]}""", "parents")]
    [InlineData("""{"step":1} {"step":2}""", null)]
    [InlineData("""{"step":1""", null)]
    public void Anything_else_is_a_json_error_that_says_what_it_found(string json, string? named)
    {
        var error = Assert.ThrowsAny<JsonException>(() => Read(json));

        if (named is not null)
        {
            Assert.Contains(named, error.Message);
        }
    }
}
