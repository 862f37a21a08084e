namespace GraphGen.Benchmarks.Workloads;

/// <summary>How often each saver member was called.</summary>
public readonly record struct SaverCallCounts(long Puts, long PutWrites, long GetTuples, long Lists);
