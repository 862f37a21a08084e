using System.Runtime.InteropServices;
using System.Text;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

public sealed class ChannelBytesTests
{
    private static ChannelBytes Whole(string text) => ChannelBytes.Whole(Encoding.UTF8.GetBytes(text));

    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    private static byte[] ArrayOf(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) ? segment.Array! : throw new InvalidOperationException("Not an array.");

    [Fact]
    public void A_whole_value_is_the_bytes_given_without_a_copy()
    {
        var bytes = Encoding.UTF8.GetBytes("[1,2]");

        var value = ChannelBytes.Whole(bytes);

        Assert.Null(value.Base);
        Assert.Equal(5, value.Length);
        Assert.Same(bytes, ArrayOf(value.ToMemory()));
        Assert.Same(bytes, ArrayOf(value.After(0)));
        Assert.Equal(",2]", Text(value.After(2)));
    }

    [Fact]
    public void An_extension_joins_to_its_base_prefix_and_suffix_and_hands_its_suffix_over_unjoined()
    {
        var first = Whole("[1]");
        var second = first.Extend(2, Utf8(",2]"));
        var suffix = Utf8(",3,4]");
        var third = second.Extend(4, suffix);

        Assert.Same(second, third.Base);
        Assert.Equal((4, 9), (third.SharedPrefix, third.Length));
        Assert.Equal("[1,2]", Text(second.ToMemory()));
        Assert.Equal("[1,2,3,4]", Text(third.ToMemory()));
        Assert.Same(ArrayOf(suffix), ArrayOf(third.After(4)));
        Assert.Equal("3,4]", Text(third.After(5)));
        Assert.Equal("[1]", Text(first.ToMemory()));
    }

    [Fact]
    public void An_extension_may_keep_less_than_its_base_and_be_shorter()
    {
        var value = Whole("[1,2,3]").Extend(2, Utf8("]")).Extend(2, Utf8(",9]"));

        Assert.Equal("[1,9]", Text(value.ToMemory()));
        Assert.Equal("[1]", Text(value.Base!.ToMemory()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4)]
    public void Extending_beyond_the_value_is_refused(int sharedPrefix)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Whole("[1]").Extend(sharedPrefix, Utf8("]")));
        Assert.Equal("sharedPrefix", error.ParamName);
    }

    [Fact]
    public void A_chain_of_a_hundred_thousand_extensions_joins_without_recursion()
    {
        var value = Whole("[]");
        var expected = new StringBuilder("[");
        for (var i = 0; i < 100_000; i++)
        {
            var item = (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            value = value.Extend(value.Length - 1, Utf8((i == 0 ? "" : ",") + item + "]"));
            expected.Append(i == 0 ? "" : ",").Append(item);
        }

        Assert.Equal(expected.Append(']').ToString(), Text(value.ToMemory()));
    }

    [Theory]
    [InlineData("[]", null, null, true)]
    [InlineData("[1]", 2, ",2]", true)]
    [InlineData("[1]", 0, "[5]", true)]
    [InlineData("null", null, null, false)]
    [InlineData("\"[x]\"", null, null, false)]
    [InlineData("{\"a\":[1]}", null, null, false)]
    [InlineData("[1]", 3, "", false)]
    [InlineData("[1]", 0, "7]", false)]
    [InlineData("[", null, null, false)]
    public void A_json_array_is_told_without_joining(string whole, int? sharedPrefix, string? suffix, bool isArray)
    {
        var value = Whole(whole);
        if (sharedPrefix is { } shared)
        {
            value = value.Extend(shared, Utf8(suffix!));
        }

        Assert.Equal(isArray, value.IsJsonArray);
    }

    [Fact]
    public void A_value_map_reads_as_a_dictionary_of_joined_values()
    {
        var messages = Whole("[1]").Extend(2, Utf8(",2]"));
        var map = new ChannelValueMap(new Dictionary<string, ChannelBytes> { ["messages"] = messages, ["n"] = Whole("7") });

        Assert.Equal(2, map.Count);
        Assert.True(map.ContainsKey("n"));
        Assert.False(map.ContainsKey("missing"));
        Assert.Equal("[1,2]", Text(map["messages"]));
        Assert.True(map.TryGetValue("messages", out var read));
        Assert.Equal("[1,2]", Text(read));
        Assert.False(map.TryGetValue("missing", out _));
        Assert.Equal(["messages=[1,2]", "n=7"], map.Select(entry => $"{entry.Key}={Text(entry.Value)}").Order(StringComparer.Ordinal));
        Assert.Equal(["7", "[1,2]"], map.Values.Select(Text).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_checkpoint_gives_a_maps_values_as_held_and_a_dictionarys_as_whole_values()
    {
        var messages = Whole("[1]").Extend(2, Utf8(",2]"));
        var fromMap = Checkpoint.Empty("c1", DateTimeOffset.UnixEpoch) with
        {
            ChannelValues = new ChannelValueMap(new Dictionary<string, ChannelBytes> { ["messages"] = messages }),
        };
        var bytes = Encoding.UTF8.GetBytes("[1,2]");
        var fromDictionary = fromMap with { ChannelValues = new Dictionary<string, ReadOnlyMemory<byte>> { ["messages"] = bytes } };

        Assert.Same(messages, fromMap.GetChannelBytes("messages"));
        Assert.Null(fromMap.GetChannelBytes("missing"));
        var whole = fromDictionary.GetChannelBytes("messages");
        Assert.NotNull(whole);
        Assert.Null(whole.Base);
        Assert.Same(bytes, ArrayOf(whole.ToMemory()));
        Assert.Null(fromDictionary.GetChannelBytes("missing"));
    }
}
