using GraphGen.Benchmarks.Workloads.Savers;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>What one workload run gets: a fresh saver behind a call counter, and the sizes to run at.</summary>
public sealed class WorkloadContext(IWorkloadSaver saver, WorkloadSizes sizes)
{
    /// <summary>The saver the graphs compile with; it counts calls like the peer's <c>instrument</c>.</summary>
    public CountingSaver Saver { get; } = new(saver.Saver);

    /// <summary>How much work to do.</summary>
    public WorkloadSizes Sizes => sizes;

    /// <summary>Measures <c>db_bytes</c> now.</summary>
    public ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default) => saver.MeasureAsync(ct);

    /// <summary>Compile options with this run's saver; everything else stays at the defaults (async durability).</summary>
    public CompileOptions CompileOptions => new() { Checkpointer = Saver };
}
