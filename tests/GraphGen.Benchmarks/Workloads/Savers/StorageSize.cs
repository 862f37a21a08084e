namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>A <c>db_bytes</c> value and what it measures (<c>db_bytes_what</c>).</summary>
public readonly record struct StorageSize(long Bytes, string What);
