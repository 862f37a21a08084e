namespace GraphGen.Benchmarks.Workloads;

/// <summary>A workload's result differs from what WORKLOADS.md says it must be: the run is wrong, not slow.</summary>
public sealed class WorkloadCheckException(string message) : Exception("verification failed: " + message);
