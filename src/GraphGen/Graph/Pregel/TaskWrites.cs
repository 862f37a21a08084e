using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// The pending writes saved against one checkpoint, grouped by task: which tasks already finished (and what they
/// wrote), which failed, which are waiting at an interrupt, and the resume values they were given.
/// </summary>
internal sealed class TaskWrites<TState> where TState : IGraphState<TState>
{
    private readonly StateSchema<TState> _schema;
    private readonly CheckpointConfig? _checkpoint;
    // Created by the first write: most checkpoints a history listing shows have none.
    private Dictionary<string, List<PendingWrite>>? _byTask;

    public TaskWrites(StateSchema<TState> schema, CheckpointConfig? checkpoint, IEnumerable<PendingWrite> writes)
    {
        _schema = schema;
        _checkpoint = checkpoint;
        foreach (var write in writes)
        {
            Of(write.TaskId).Add(write);
        }
    }

    public static TaskWrites<TState> None(StateSchema<TState> schema) => new(schema, null, []);

    /// <summary>The output of a task that finished before (its writes are reused, it does not run again); null otherwise.</summary>
    /// <exception cref="CorruptCheckpointException">The saved writes do not fit the state type.</exception>
    public TaskOutput<TState>? FinishedOutput(string taskId)
    {
        if (_byTask is null || !_byTask.TryGetValue(taskId, out var writes))
        {
            return null;
        }
        try
        {
            return TaskOutput<TState>.FromWrites(_schema, writes);
        }
        catch (Exception e) when (ChannelState<TState>.IsReadError(e))
        {
            throw new CorruptCheckpointException(
                _checkpoint?.ThreadId ?? "", _checkpoint?.CheckpointId ?? "", $"the saved writes of task '{taskId}' do not fit {typeof(TState).Name}: {e.Message}", e);
        }
    }

    public bool IsFinished(string taskId) =>
        _byTask is not null && _byTask.TryGetValue(taskId, out var writes) && writes.Exists(w => !WriteChannels.IsSpecial(w.Channel));

    /// <summary>The interrupt a task is waiting at, if it has not finished since.</summary>
    public Interrupt? PendingInterrupt(string taskId) =>
        !IsFinished(taskId) && Find(taskId, WriteChannels.Interrupt) is { } write ? InterruptJson.Deserialize(write.Value) : null;

    /// <summary>The message of the error a task failed with, if any.</summary>
    public string? Error(string taskId) => Find(taskId, WriteChannels.Error) is { } write ? Json.Parse(write.Value).GetString() : null;

    /// <summary>The resume values a task has been given so far, in the order of its interrupt calls.</summary>
    public IReadOnlyList<JsonElement> ResumeValues(string taskId) =>
        Find(taskId, WriteChannels.Resume) is { } write ? [.. Json.Parse(write.Value).EnumerateArray()] : [];

    /// <summary>Every write saved by a task.</summary>
    public IReadOnlyList<PendingWrite> WritesOf(string taskId) => _byTask is not null && _byTask.TryGetValue(taskId, out var writes) ? writes : [];

    /// <summary>Adds writes saved for a task.</summary>
    public void Add(string taskId, IEnumerable<ChannelWrite> writes) =>
        Of(taskId).AddRange(writes.Select(w => new PendingWrite(taskId, w.Channel, w.Value)));

    /// <summary>Replaces a task's resume write (special writes are upserted by savers too).</summary>
    public void SetResume(string taskId, ChannelWrite write)
    {
        var writes = Of(taskId);
        writes.RemoveAll(w => w.Channel == WriteChannels.Resume);
        writes.Add(new PendingWrite(taskId, write.Channel, write.Value));
    }

    /// <summary>The task's last write to <paramref name="channel"/>.</summary>
    private PendingWrite? Find(string taskId, string channel)
    {
        if (_byTask is not null && _byTask.TryGetValue(taskId, out var writes))
        {
            for (var i = writes.Count - 1; i >= 0; i--)
            {
                if (writes[i].Channel == channel)
                {
                    return writes[i];
                }
            }
        }
        return null;
    }

    private List<PendingWrite> Of(string taskId)
    {
        _byTask ??= new(StringComparer.Ordinal);
        if (!_byTask.TryGetValue(taskId, out var writes))
        {
            _byTask[taskId] = writes = [];
        }
        return writes;
    }
}
