namespace GraphGen.Checkpointing;

/// <summary>A write to one channel, serialized as UTF-8 JSON.</summary>
/// <param name="Channel">A state channel name or one of the reserved <see cref="WriteChannels"/>.</param>
/// <param name="Value">The serialized value.</param>
public readonly record struct ChannelWrite(string Channel, ReadOnlyMemory<byte> Value);

/// <summary>A write saved by a task against a checkpoint, waiting for the next checkpoint to absorb it.</summary>
/// <param name="TaskId">The deterministic id of the task that produced the write.</param>
/// <param name="Channel">A state channel name or one of the reserved <see cref="WriteChannels"/>.</param>
/// <param name="Value">The serialized value.</param>
public readonly record struct PendingWrite(string TaskId, string Channel, ReadOnlyMemory<byte> Value);

/// <summary>Reserved channel names used in pending writes and checkpoints.</summary>
public static class WriteChannels
{
    /// <summary>A task failed; the value is the error message.</summary>
    public const string Error = "__error__";
    /// <summary>A task is scheduled (reserved for parity with LangGraph).</summary>
    public const string Scheduled = "__scheduled__";
    /// <summary>A task interrupted; the value lists the interrupts.</summary>
    public const string Interrupt = "__interrupt__";
    /// <summary>The values a resumed task's interrupts return.</summary>
    public const string Resume = "__resume__";
    /// <summary>Sends (map-reduce fan-out) waiting to run in the next step.</summary>
    public const string Tasks = "__pregel_tasks";
    /// <summary>A task finished without writing anything (marks it done for fault recovery).</summary>
    public const string NoWrites = "__no_writes__";

    /// <summary>
    /// The index a write is stored under: special channels have fixed negative indices so that they
    /// cannot collide with regular writes and are upserted; regular writes use their position.
    /// </summary>
    public static int IndexOf(string channel, int position) => channel switch
    {
        Error => -1,
        Scheduled => -2,
        Interrupt => -3,
        Resume => -4,
        _ => position,
    };

    /// <summary>True for the channels whose writes replace earlier ones (special, negative index).</summary>
    public static bool IsSpecial(string channel) => IndexOf(channel, 0) < 0;
}
