using GraphGen.Checkpointing;

namespace GraphGen.Conformance.Helpers;

/// <summary>Short ways to write checkpoint metadata and filters in cases.</summary>
public static class Meta
{
    /// <summary>Metadata with a source, a step and custom entries.</summary>
    public static CheckpointMetadata Of(CheckpointSource source, int step, params (string Key, object? Value)[] custom) => new()
    {
        Source = source,
        Step = step,
        Custom = custom.ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal),
    };

    /// <summary>A loop checkpoint's metadata with custom entries.</summary>
    public static CheckpointMetadata Loop(int step, params (string Key, object? Value)[] custom) => Of(CheckpointSource.Loop, step, custom);

    /// <summary>A metadata filter.</summary>
    public static IReadOnlyDictionary<string, object?> Filter(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal);

    /// <summary>Pending writes for <see cref="ICheckpointSaver.PutWritesAsync"/> from JSON texts.</summary>
    public static ChannelWrite[] Writes(params (string Channel, string Json)[] writes) =>
        [.. writes.Select(write => new ChannelWrite(write.Channel, Bytes.Json(write.Json)))];

    /// <summary>Pending writes as (task, channel, JSON text), in the order a saver returned them.</summary>
    public static List<(string TaskId, string Channel, string Json)> Read(IReadOnlyList<PendingWrite> writes) =>
        [.. writes.Select(write => (write.TaskId, write.Channel, Bytes.Text(write.Value)))];
}
