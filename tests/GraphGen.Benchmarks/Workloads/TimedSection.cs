using System.Diagnostics;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// The wall time of a workload's timed loop, plus what the GC did meanwhile (process-wide, so W6's workers count
/// too): GraphGen-only fields that say whether allocation is where the time went.
/// </summary>
public readonly struct TimedSection
{
    private readonly long _start;
    private readonly long _allocated;
    private readonly TimeSpan _paused;
    private readonly int _gen2;

    private TimedSection(long start, long allocated, TimeSpan paused, int gen2) =>
        (_start, _allocated, _paused, _gen2) = (start, allocated, paused, gen2);

    /// <summary>Starts measuring now.</summary>
    public static TimedSection Start() =>
        new(Stopwatch.GetTimestamp(), GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration(), GC.CollectionCount(2));

    /// <summary>What happened since <see cref="Start"/>.</summary>
    public TimedResult Stop() => new(
        Stopwatch.GetElapsedTime(_start).TotalMilliseconds,
        (GC.GetTotalAllocatedBytes() - _allocated) / (double)(1 << 20),
        (GC.GetTotalPauseDuration() - _paused).TotalMilliseconds,
        GC.CollectionCount(2) - _gen2);
}
