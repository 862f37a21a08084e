namespace GraphGen.Benchmarks.Workloads;

/// <summary>How much work each workload does. <see cref="Full"/> is WORKLOADS.md's; <see cref="Smoke"/> checks correctness only.</summary>
/// <param name="CounterInvocations">W1: invocations on one thread.</param>
/// <param name="ChatThreads">W2: threads, one after another.</param>
/// <param name="ChatTurns">W2: turns per thread.</param>
/// <param name="HistoryListings">W3: full history listings of the first W2 thread.</param>
/// <param name="PipelineInvocations">W4: invocations, each on a new thread.</param>
/// <param name="BigStateTurns">W5: turns on one thread.</param>
/// <param name="ConcurrentWorkers">W6: workers running at once, each on its own thread.</param>
/// <param name="ConcurrentTurns">W6: turns per worker.</param>
public sealed record WorkloadSizes(
    int CounterInvocations,
    int ChatThreads,
    int ChatTurns,
    int HistoryListings,
    int PipelineInvocations,
    int BigStateTurns,
    int ConcurrentWorkers,
    int ConcurrentTurns)
{
    /// <summary>The sizes of WORKLOADS.md and the peer's bench.mjs.</summary>
    public static WorkloadSizes Full { get; } = new(1000, 100, 20, 20, 200, 300, 8, 50);

    /// <summary>Every workload at a few invocations, for the test suite and the warm-up.</summary>
    public static WorkloadSizes Smoke { get; } = new(3, 2, 2, 2, 3, 3, 2, 2);

    /// <summary>
    /// The runner's unrecorded warm-up: enough calls (more than 30) of every hot method for .NET's tiered JIT to
    /// start optimizing them before rep 1, in about a second.
    /// </summary>
    public static WorkloadSizes WarmUp { get; } = new(100, 5, 10, 5, 30, 60, 4, 10);

    /// <summary>W5 compares the rate of its first and last this-many turns (50 at full size).</summary>
    public int BigStateWindow => Math.Min(50, BigStateTurns);
}
