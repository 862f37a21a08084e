namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// W5's payload, ported from the peer's <c>blob1k</c>: 1,024 characters of a 64-character alphabet driven by
/// xorshift32 seeded with <c>turn + 1</c>. Both sides must write the same bytes; the tests pin outputs computed
/// with node. Pseudo-random on purpose, so that no storage compression can shrink it much.
/// </summary>
public static class Blob1k
{
    /// <summary>The characters, in the peer's order.</summary>
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>The length of every blob.</summary>
    public const int Length = 1024;

    /// <summary>The blob of <paramref name="turn"/>; the seed wraps modulo 2^32 like the peer's <c>(turn + 1) &gt;&gt;&gt; 0</c>.</summary>
    public static string For(int turn) => string.Create(Length, unchecked((uint)(turn + 1)), static (chars, seed) =>
    {
        var x = seed;
        for (var i = 0; i < chars.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            chars[i] = Alphabet[(int)(x & 63)];
        }
    });
}
