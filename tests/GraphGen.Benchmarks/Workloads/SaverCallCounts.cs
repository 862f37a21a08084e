namespace GraphGen.Benchmarks.Workloads;

/// <summary>How often each saver member was called (puts and put writes include those that came in a batch), and the number of batches.</summary>
public readonly record struct SaverCallCounts(long Puts, long PutWrites, long GetTuples, long Lists, long Batches);
