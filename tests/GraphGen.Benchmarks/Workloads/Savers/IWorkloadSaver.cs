using GraphGen.Checkpointing;

namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>A fresh saver for one (workload, rep): runs the workload, reports its storage size, then deletes what it stored.</summary>
public interface IWorkloadSaver : IAsyncDisposable
{
    /// <summary>The saver the graphs checkpoint to.</summary>
    ICheckpointSaver Saver { get; }

    /// <summary>What the saver stores now, measured as WORKLOADS.md defines <c>db_bytes</c> for this backend.</summary>
    ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default);
}
