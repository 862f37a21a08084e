using System.Globalization;

namespace GraphGen.Checkpointing;

/// <summary>
/// Channel versions: <c>"{counter}.{random}"</c>. The counter orders versions of one channel; the random part keeps
/// two branches of a forked thread from ever writing the same (channel, version) with different values, which
/// would break the one-value-per-version blob storage.
/// </summary>
public static class ChannelVersions
{
    /// <summary>The version that follows <paramref name="current"/> (or the first version).</summary>
    public static string Next(string? current)
    {
        var counter = current is null ? 1 : CounterOf(current) + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{counter:D8}.{Random.Shared.Next():x8}");
    }

    /// <summary>Compares two versions of the same channel by their counters; null is lower than any version.</summary>
    public static int Compare(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null ? (b is null ? 0 : -1) : 1;
        }
        return CounterOf(a).CompareTo(CounterOf(b));
    }

    /// <summary>True when <paramref name="version"/> is newer than <paramref name="seen"/>.</summary>
    public static bool IsNewer(string? version, string? seen) => Compare(version, seen) > 0;

    private static long CounterOf(string version)
    {
        var dot = version.IndexOf('.');
        var digits = dot < 0 ? version.AsSpan() : version.AsSpan(0, dot);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var counter)
            ? counter
            : throw new FormatException($"'{version}' is not a channel version.");
    }
}
