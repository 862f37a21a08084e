namespace GraphGen.Checkpointing;

/// <summary>The argument checks every <see cref="ICheckpointSaver"/> makes, with the same messages in every saver.</summary>
public static class SaverArguments
{
    /// <summary>
    /// A value handed to a saver as an array the saver may keep: the caller's own array when the memory spans all of
    /// it (no copy: callers do not change buffers after handing them over, see <see cref="ICheckpointSaver"/>), else a copy.
    /// </summary>
    public static byte[] HandedOver(ReadOnlyMemory<byte> value) => WholeArray(value) ?? value.ToArray();

    /// <summary>
    /// A value handed to a saver as a whole value the saver may keep: the caller's own when it is whole and spans all of
    /// its array (no copy), else its joined bytes in a new array.
    /// </summary>
    public static ChannelBytes HandedOver(ChannelBytes value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Base is null && WholeArray(value.Suffix) is not null ? value : ChannelBytes.Whole(HandedOver(value.ToMemory()));
    }

    private static byte[]? WholeArray(ReadOnlyMemory<byte> value) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : null;

    /// <summary>Checks the arguments of <see cref="ICheckpointSaver.PutAsync"/>.</summary>
    public static void ValidatePut(CheckpointConfig config, Checkpoint checkpoint, CheckpointMetadata metadata, IReadOnlyDictionary<string, string> newVersions)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(newVersions);
        RequireThreadId(config.ThreadId, nameof(config));
        if (string.IsNullOrEmpty(checkpoint.Id))
        {
            throw new ArgumentException("The checkpoint has no id; create one with CheckpointIds.New(step).", nameof(checkpoint));
        }
    }

    /// <summary>Checks the arguments of <see cref="ICheckpointSaver.PutWritesAsync"/>; returns the checkpoint id the writes belong to.</summary>
    public static string ValidatePutWrites(CheckpointConfig config, IReadOnlyList<ChannelWrite> writes, string taskId, string taskPath)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(writes);
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentNullException.ThrowIfNull(taskPath);
        RequireThreadId(config.ThreadId, nameof(config));
        return config.CheckpointId ?? throw new ArgumentException(
            $"Pending writes belong to a checkpoint, but the config of thread '{config.ThreadId}' names none; " +
            "pass the config of the checkpoint the task ran from.", nameof(config));
    }

    /// <summary>Checks the arguments of <see cref="ICheckpointSaver.ListAsync"/>.</summary>
    public static void ValidateList(int? limit)
    {
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit cannot be negative.");
        }
    }

    /// <summary>Rejects a missing or empty thread id.</summary>
    public static void RequireThreadId(string threadId, string paramName)
    {
        if (string.IsNullOrEmpty(threadId))
        {
            throw new ArgumentException("A thread id is required: every checkpoint belongs to a thread, e.g. \"user-42\".", paramName);
        }
    }
}
