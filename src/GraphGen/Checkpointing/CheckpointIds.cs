using System.Security.Cryptography;

namespace GraphGen.Checkpointing;

/// <summary>
/// Time-ordered checkpoint ids in the UUID version 6 layout LangGraph uses: the timestamp comes first so
/// ordinal string order is creation order, the clock sequence carries the superstep, and ids are strictly
/// increasing within a process even when the clock does not move.
/// </summary>
public static class CheckpointIds
{
    // 100-ns ticks between 1582-10-15 (the UUID epoch) and 0001-01-01 (DateTime's).
    private static readonly long GregorianOffsetTicks = new DateTime(1582, 10, 15, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static long _lastTimestamp;

    // The node field, random once per process (RFC 4122's node is fixed per machine): with the timestamps strictly
    // increasing in a process, ids stay unique without asking the system's random generator for every checkpoint.
    private static readonly string Node = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>A new id for a checkpoint of superstep <paramref name="step"/>.</summary>
    public static string New(int step) => New(step, DateTimeOffset.UtcNow);

    /// <summary>A new id for a checkpoint of superstep <paramref name="step"/> created at <paramref name="now"/>.</summary>
    public static string New(int step, DateTimeOffset now)
    {
        var timestamp = NextTimestamp(now.UtcTicks - GregorianOffsetTicks);
        var timeHigh = (uint)(timestamp >> 28);              // top 32 of 60 bits
        var timeMid = (ushort)((timestamp >> 12) & 0xFFFF);
        var timeLowAndVersion = (ushort)(0x6000 | (timestamp & 0x0FFF));
        var clockSeq = (ushort)(0x8000 | (step & 0x3FFF));   // RFC 4122 variant; step as LangGraph does
        return string.Create(36, (timeHigh, timeMid, timeLowAndVersion, clockSeq, Node), static (span, s) =>
        {
            s.timeHigh.TryFormat(span[..8], out _, "x8");
            span[8] = '-';
            s.timeMid.TryFormat(span[9..13], out _, "x4");
            span[13] = '-';
            s.timeLowAndVersion.TryFormat(span[14..18], out _, "x4");
            span[18] = '-';
            s.clockSeq.TryFormat(span[19..23], out _, "x4");
            span[23] = '-';
            s.Item5.AsSpan().CopyTo(span[24..]);
        });
    }

    /// <summary>The creation time encoded in an id written by <see cref="New(int)"/>.</summary>
    /// <exception cref="FormatException">The id is not a version 6 UUID.</exception>
    public static DateTimeOffset GetTimestamp(string id)
    {
        if (id.Length != 36 || id[14] != '6')
        {
            throw new FormatException($"'{id}' is not a GraphGen checkpoint id (a version 6 UUID).");
        }
        var high = Convert.ToInt64(id[..8], 16);
        var mid = Convert.ToInt64(id[9..13], 16);
        var low = Convert.ToInt64(id[15..18], 16);
        var timestamp = (high << 28) | (mid << 12) | low;
        return new DateTimeOffset(timestamp + GregorianOffsetTicks, TimeSpan.Zero);
    }

    private static long NextTimestamp(long candidate)
    {
        while (true)
        {
            var last = Volatile.Read(ref _lastTimestamp);
            var next = candidate > last ? candidate : last + 1;
            if (Interlocked.CompareExchange(ref _lastTimestamp, next, last) == last)
            {
                return next;
            }
        }
    }
}
