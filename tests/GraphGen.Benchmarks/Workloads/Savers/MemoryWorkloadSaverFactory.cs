using System.Text.Json.Nodes;
using GraphGen.Checkpointing;

namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary><c>memory</c>: an <see cref="InMemorySaver"/>; <c>db_bytes</c> is its <see cref="InMemorySaver.SerializedBytes"/>.</summary>
public sealed class MemoryWorkloadSaverFactory : IWorkloadSaverFactory
{
    /// <inheritdoc/>
    public string Name => "memory";

    /// <inheritdoc/>
    public ValueTask<JsonObject> DescribeAsync(CancellationToken ct = default) =>
        ValueTask.FromResult(new JsonObject { ["saver"] = nameof(InMemorySaver) });

    /// <inheritdoc/>
    public ValueTask<IWorkloadSaver> CreateAsync(string tag, CancellationToken ct = default) =>
        ValueTask.FromResult<IWorkloadSaver>(new MemoryWorkloadSaver(new InMemorySaver()));

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class MemoryWorkloadSaver(InMemorySaver saver) : IWorkloadSaver
    {
        public ICheckpointSaver Saver => saver;

        public ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default) =>
            ValueTask.FromResult(new StorageSize(saver.SerializedBytes, "serialized bytes held in memory"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
