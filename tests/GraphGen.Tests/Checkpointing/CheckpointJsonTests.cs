using System.Text;
using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

public sealed class CheckpointJsonTests
{
    private static readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>> NoValues = new Dictionary<string, ReadOnlyMemory<byte>>();

    [Fact]
    public void A_checkpoint_reads_back_as_written_without_its_values_and_hints()
    {
        var checkpoint = new Checkpoint
        {
            Id = CheckpointIds.New(3),
            Ts = new DateTimeOffset(2026, 12, 4, 23, 59, 1, TimeSpan.FromHours(2)),
            ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["messages"] = Encoding.UTF8.GetBytes("[1]") },
            ChannelVersions = new Dictionary<string, string> { ["messages"] = "00000003.ab", ["é \"q\""] = "00000001.cd" },
            VersionsSeen = new Dictionary<string, IReadOnlyDictionary<string, string>>
            {
                ["respond"] = new Dictionary<string, string> { ["messages"] = "00000002.ef" },
                ["empty"] = new Dictionary<string, string>(),
            },
            UpdatedChannels = ["messages", "é \"q\""],
            Appends = new Dictionary<string, ChannelAppend> { ["messages"] = new("00000002.ef", 2) },
        };

        var read = CheckpointJson.Read(CheckpointJson.Write(checkpoint), NoValues);

        Assert.Equal((checkpoint.V, checkpoint.Id, checkpoint.Ts), (read.V, read.Id, read.Ts));
        Assert.Equal(checkpoint.ChannelVersions, read.ChannelVersions);
        Assert.Equal(["empty", "respond"], read.VersionsSeen.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(checkpoint.VersionsSeen["respond"], read.VersionsSeen["respond"]);
        Assert.Empty(read.VersionsSeen["empty"]);
        Assert.Equal(checkpoint.UpdatedChannels, read.UpdatedChannels);
        Assert.Same(NoValues, read.ChannelValues);
        Assert.Empty(read.Appends);
    }

    [Theory]
    [InlineData("2026-12-04T23:59:01.1234567+02:00")]
    [InlineData("2026-12-04T23:59:01-05:30")]
    [InlineData("2026-12-04T21:59:01.5Z")]
    [InlineData("2026-12-04 23:59:01 +02:00")]
    public void The_time_keeps_its_instant_and_its_offset_iso_or_not(string ts)
    {
        var json = $$$"""{"v":4,"id":"x","ts":"{{{ts}}}","channel_versions":{},"versions_seen":{}}""";

        var read = CheckpointJson.Read(Encoding.UTF8.GetBytes(json), NoValues);

        var expected = DateTimeOffset.Parse(ts, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind);
        Assert.Equal((expected, expected.Offset), (read.Ts, read.Ts.Offset));
    }

    [Fact]
    public void Channel_and_node_names_and_recently_read_versions_are_one_instance_across_reads()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"x","ts":"2026-12-05T00:00:00+00:00","channel_versions":{"messages":"00000002.ab"},"versions_seen":{"respond":{"messages":"00000001.cd"}},"updated_channels":["messages"]}""");

        var (first, second) = (CheckpointJson.Read(json, NoValues), CheckpointJson.Read(json, NoValues));

        Assert.Same(first.ChannelVersions.Keys.Single(), second.ChannelVersions.Keys.Single());
        Assert.Same(first.VersionsSeen.Keys.Single(), second.VersionsSeen.Keys.Single());
        Assert.Same(first.ChannelVersions.Keys.Single(), second.UpdatedChannels.Single());
        Assert.Same(first.ChannelVersions.Keys.Single(), first.VersionsSeen["respond"].Keys.Single());
        Assert.Same(first.ChannelVersions["messages"], second.ChannelVersions["messages"]);
        Assert.Equal("00000002.ab", second.ChannelVersions["messages"]);
        Assert.Equal("00000001.cd", second.VersionsSeen["respond"]["messages"]);
    }

    [Fact]
    public void Versions_read_back_exactly_however_many_distinct_ones_pass_through_the_shared_slots()
    {
        // Far more distinct versions than slots, read twice in different orders: slots are replaced and collide.
        var versions = Enumerable.Range(0, 3000).Select(i => ChannelVersions.Next(i == 0 ? null : $"{i:D8}.{i * 7919 % 9973:x4}")).ToList();
        foreach (var order in new[] { versions, Enumerable.Reverse(versions).ToList() })
        {
            foreach (var version in order)
            {
                var json = Encoding.UTF8.GetBytes($$$"""{"id":"x","ts":"2026-12-05T00:00:00+00:00","channel_versions":{"a":"{{{version}}}","b":"{{{version}}}x"},"versions_seen":{}}""");
                var read = CheckpointJson.Read(json, NoValues);
                Assert.Equal(version, read.ChannelVersions["a"]);
                Assert.Equal(version + "x", read.ChannelVersions["b"]);
            }
        }
    }

    [Fact]
    public void Unknown_fields_of_any_shape_are_skipped()
    {
        const string json = """
            {"future":{"a":[1,{"b":2}]},"v":4,"list":[1,2],"id":"c1","n":null,"ts":"2026-12-04T23:59:01.0000000+00:00",
             "channel_versions":{"x":"00000001.aa"},"versions_seen":{},"updated_channels":["x"],"last":"yes"}
            """;

        var read = CheckpointJson.Read(Encoding.UTF8.GetBytes(json), NoValues);

        Assert.Equal(("c1", 4, "00000001.aa"), (read.Id, read.V, read.ChannelVersions["x"]));
        Assert.Equal(["x"], read.UpdatedChannels);
    }

    [Theory]
    [InlineData("""{"ts":"2026-12-04T00:00:00+00:00","channel_versions":{}}""", "\"id\"")]
    [InlineData("""{"id":"c1","channel_versions":{}}""", "\"ts\"")]
    [InlineData("""{"id":"c1","ts":"2026-12-04T00:00:00+00:00"}""", "\"channel_versions\"")]
    [InlineData("""{"id":"c1","ts":"2026-12-04T00:00:00+00:00","channel_versions":{"x":null}}""", "'x'")]
    public void A_checkpoint_missing_what_it_needs_is_a_json_error_naming_it(string json, string named)
    {
        var error = Assert.Throws<JsonException>(() => CheckpointJson.Read(Encoding.UTF8.GetBytes(json), NoValues));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
