namespace GraphGen.Benchmarks.Workloads;

/// <summary>A timed loop's wall time, megabytes allocated, GC pause time and gen-2 collections.</summary>
public readonly record struct TimedResult(double Ms, double AllocatedMb, double GcPauseMs, int Gen2Collections);
