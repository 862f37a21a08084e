using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

/// <summary>Checkpoint ids sort by creation and carry the step; channel versions order by counter.</summary>
public sealed class IdsAndVersionsTests
{
    [Fact]
    public void Checkpoint_ids_increase_even_within_one_clock_tick()
    {
        var now = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 1000).Select(_ => CheckpointIds.New(3, now)).ToList();

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Theory]
    [InlineData(-1, "bfff")]
    [InlineData(0, "8000")]
    [InlineData(2, "8002")]
    public void Checkpoint_ids_encode_the_step_like_LangGraph(int step, string clockSeq)
    {
        var id = CheckpointIds.New(step);

        Assert.Equal(36, id.Length);
        Assert.Equal('6', id[14]);
        Assert.Equal(clockSeq, id[19..23]);
    }

    [Fact]
    public void Checkpoint_ids_carry_their_creation_time()
    {
        var when = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

        var id = CheckpointIds.New(0, when);

        Assert.InRange(CheckpointIds.GetTimestamp(id), when, when.AddMilliseconds(1));
        Assert.Throws<FormatException>(() => CheckpointIds.GetTimestamp("not-an-id"));
    }

    [Fact]
    public void Channel_versions_order_by_counter_not_by_text()
    {
        var v9 = "00000009.ffffffff";
        var v10 = "00000010.00000000";

        Assert.True(ChannelVersions.IsNewer(v10, v9));
        Assert.True(ChannelVersions.IsNewer("123456789.0", v10));
        Assert.True(ChannelVersions.IsNewer(v9, null));
        Assert.StartsWith("00000011.", ChannelVersions.Next(v10));
        Assert.NotEqual(ChannelVersions.Next(v10), ChannelVersions.Next(v10));
        Assert.Throws<FormatException>(() => ChannelVersions.Compare("x.1", v9));
    }
}
