using System.Security.Cryptography;
using System.Text;
using GraphGen.Benchmarks.Workloads;

namespace GraphGen.Benchmarks.Tests;

/// <summary>W5's payload must be byte for byte the peer's: these outputs come from bench.mjs's <c>blob1k</c> run with node.</summary>
public sealed class Blob1kTests
{
    [Theory]
    [InlineData(0, "hBFPRQayl0L3Ku1xIIRZz5rPyplkb+XUBog06i+H", "53875df3921d224236a0a8b232b5d9a82e699872493076eff7f8bedb9dcec2e6")]
    [InlineData(1, "CCCGajZ2q7K9Jk++//1bIoKZnkE1gZD3R79qinld", "143548c913a125253c99fe4d4ea691b1cb6af7fabeabf8aac37ba88dcff168a3")]
    [InlineData(2, "jDHJLzDEPPBKDKLP33kC7RhWVNhR7nUjQTdeYFba", "cd53f9facef98a66b7ee5bc98890748dec0a2e9cd2421945ddf3d3cc3c4f3a1e")]
    [InlineData(299, "+7mJfLSVWwVo1XUTSt9/C1ekXkhP/cDNDRVGji6Z", "c020d9a45642fda074665e204bef5097bcbd7b0ace657ac609e02b3e4a3061cc")]
    [InlineData(300, "f6jGObInzEef/5hialsmxM1rlNErkiUZC51yZAEe", "039f4aba9bebc75022b277aa501c81ecd8a5e4a5634835d94e69cafad90d60ba")]
    [InlineData(65535, "Axg1tMhTMLxACW4BfwKWUxRTF6dJYfIJalykaW/J", "f2371eed78e81464ddc4435c89ca664d8e2681301055299bed9ae2eccdb52303")]
    // The seed wraps modulo 2^32 as JavaScript's `(turn + 1) >>> 0` does.
    [InlineData(-2, "f/DaRsw7yPv80oiFja8gYWh5QdDUVGxWP+CBJcsI", "bfe6376ba6806a25b16ce2445291b2ef4000c7c397cc80b1a48aed5b490492f0")]
    [InlineData(int.MaxValue, "AEIUBegCHfG7/9rjY7tGXnjcPTPAUyqQXDeiVzDk", "78cdd127fd57beb1b09912e6f37edda0e37f6f6dacb1c471df5cab18605a8204")]
    public void Matches_the_peer(int turn, string start, string sha256)
    {
        var blob = Blob1k.For(turn);

        Assert.Equal(1024, blob.Length);
        Assert.StartsWith(start, blob, StringComparison.Ordinal);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blob))));
    }
}
