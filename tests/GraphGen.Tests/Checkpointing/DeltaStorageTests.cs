using System.Text;
using GraphGen.Checkpointing;

namespace GraphGen.Tests.Checkpointing;

public sealed class DeltaStorageTests
{
    private static ReadOnlyMemory<byte> Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Rebuilding_without_deltas_copies_the_whole_value()
    {
        var whole = Encoding.UTF8.GetBytes("[1]");

        var rebuilt = DeltaStorage.Rebuild(whole, []);

        Assert.NotSame(whole, rebuilt);
        Assert.Equal("[1]", Text(rebuilt));
    }

    [Fact]
    public void Each_delta_keeps_its_shared_prefix_of_the_value_so_far_and_appends_its_suffix()
    {
        // [1,2,3] -> keep "[1" + "]" = [1] -> keep "[1" + ",9,8]" = [1,9,8] -> keep "[1,9" + "]" = [1,9]
        var rebuilt = DeltaStorage.Rebuild(Utf8("[1,2,3]").Span, [(2, Utf8("]")), (2, Utf8(",9,8]")), (4, Utf8("]"))]);

        Assert.Equal("[1,9]", Text(rebuilt));
    }

    [Fact]
    public void A_delta_sharing_more_than_the_value_so_far_has_is_a_format_error()
    {
        var error = Assert.Throws<FormatException>(() => DeltaStorage.Rebuild(Utf8("[1]").Span, [(2, Utf8("]")), (4, Utf8(",2]"))]));

        Assert.Equal("A delta shares 4 bytes with a value of 3 bytes.", error.Message);
    }

    [Fact]
    public void Random_chains_rebuild_to_what_applying_them_in_order_gives_and_to_what_their_extensions_join_to()
    {
        var random = new Random(20261204);
        for (var chain = 0; chain < 500; chain++)
        {
            var whole = RandomBytes(random, random.Next(0, 40));
            var expected = whole.ToArray();
            var extension = ChannelBytes.Whole(whole);
            var deltas = new List<(int, ReadOnlyMemory<byte>)>();
            for (var link = random.Next(0, 12); link > 0; link--)
            {
                var shared = random.Next(0, expected.Length + 1);
                var suffix = RandomBytes(random, random.Next(0, 20));
                deltas.Add((shared, suffix));
                expected = [.. expected[..shared], .. suffix];
                extension = extension.Extend(shared, suffix);
            }

            Assert.Equal(expected, DeltaStorage.Rebuild(whole, deltas));
            Assert.Equal(expected, extension.ToMemory().ToArray());
            Assert.Equal(expected.Length, extension.Length);
        }
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
