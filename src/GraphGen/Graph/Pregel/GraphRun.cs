using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// One invoke or stream call: loads the thread, writes the input checkpoint, then runs supersteps until no task
/// is left, a breakpoint or interrupt stops it, or a node fails, checkpointing after every step.
/// </summary>
internal sealed class GraphRun<TState> where TState : IGraphState<TState>
{
    private readonly CompiledGraph<TState> _graph;
    private readonly GraphConfig _config;
    private readonly ICheckpointSaver? _saver;
    private readonly Durability _durability;
    private readonly StreamMode _modes;
    private readonly Action<StreamPart<TState>>? _sink;
    private readonly CancellationToken _ct;
    private readonly string _threadId;
    private readonly string _runId;
    private readonly IReadOnlyDictionary<string, object?> _custom;
    private readonly IReadOnlySet<string> _interruptBefore;
    private readonly IReadOnlySet<string> _interruptAfter;
    private readonly PersistenceQueue _queue = new();
    private readonly List<(string TaskId, ChannelWrite Write)> _deferredWrites = [];

    private ChannelState<TState> _channels = null!;
    private CheckpointConfig? _head;
    private string _checkpointId = "";
    private CheckpointSource _source;
    private int _step;
    private IReadOnlyList<PendingWrite> _pendingWrites = [];

    public GraphRun(CompiledGraph<TState> graph, GraphConfig config, StreamMode modes, Action<StreamPart<TState>>? sink, CancellationToken ct)
    {
        _graph = graph;
        _config = config;
        _saver = graph.Checkpointer;
        _durability = config.Durability ?? graph.Options.Durability;
        _modes = sink is null ? 0 : modes;
        _sink = sink;
        _ct = ct;
        _threadId = config.ThreadId ?? "";
        _runId = config.RunId ?? Guid.NewGuid().ToString();
        _custom = graph.CustomMetadata(config);
        _interruptBefore = Union(graph.Topology.InterruptBefore, graph.Topology.ResolveInterrupts(config.InterruptBefore, "GraphConfig.InterruptBefore"));
        _interruptAfter = Union(graph.Topology.InterruptAfter, graph.Topology.ResolveInterrupts(config.InterruptAfter, "GraphConfig.InterruptAfter"));
    }

    private StateSchema<TState> Schema => _graph.Schema;

    private string Ns => _config.CheckpointNs;

    public async Task<GraphResult<TState>> RunAsync(StateUpdate<TState>? input, Command? command)
    {
        try
        {
            return await RunCoreAsync(input, command).ConfigureAwait(false);
        }
        catch
        {
            // Never leave saver calls running behind a failed or cancelled call; their own errors matter less.
            await _queue.DrainAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<GraphResult<TState>> RunCoreAsync(StateUpdate<TState>? input, Command? command)
    {
        var tuple = await _graph.LoadAsync(_config, _ct).ConfigureAwait(false);
        if (tuple is null)
        {
            _channels = ChannelState<TState>.New(Schema, _graph.Topology);
            _step = -2;
        }
        else
        {
            _channels = ChannelState<TState>.Load(Schema, _graph.Topology, tuple.Config, tuple.Checkpoint);
            _checkpointId = tuple.Checkpoint.Id;
            _step = tuple.Metadata.Step;
            _head = tuple.Config;
            _pendingWrites = tuple.PendingWrites;
        }

        if (tuple is not null && _config.CheckpointId is not null && command is null)
        {
            // Time travel: replaying a finished checkpoint is a no-op; otherwise branch off it.
            if (input is null && PrepareTasks().Count == 0)
            {
                return Result([], []);
            }
            await WriteCheckpointAsync(CheckpointSource.Fork, _step).ConfigureAwait(false);
        }
        if (command is { } resume)
        {
            await ApplyResumeAsync(resume).ConfigureAwait(false);
        }
        if (input is not null)
        {
            _channels.SetInput(input);
            await WriteCheckpointAsync(CheckpointSource.Input, _step + 1).ConfigureAwait(false);
        }
        else
        {
            _channels.MarkResumed();
        }

        for (var stepsRun = 0; ; stepsRun++)
        {
            _ct.ThrowIfCancellationRequested();
            _queue.ThrowIfFaulted();
            var tasks = PrepareTasks();
            if (tasks.Count == 0)
            {
                break;
            }
            if (stepsRun >= _config.RecursionLimit)
            {
                throw new GraphRecursionException(_config.RecursionLimit, _saver is null ? null : _threadId);
            }
            if (tasks.Exists(t => _interruptBefore.Contains(t.Node)) && _channels.ChangedSinceResume())
            {
                return await StopAsync(tasks, []).ConfigureAwait(false);
            }

            var interrupts = await RunTasksAsync(tasks).ConfigureAwait(false);
            if (interrupts.Count > 0)
            {
                return await StopAsync(tasks, interrupts).ConfigureAwait(false);
            }

            _channels.Apply(tasks, _step + 1);
            EmitUpdates(tasks);
            await WriteCheckpointAsync(CheckpointSource.Loop, _step + 1).ConfigureAwait(false);
            Emit(StreamMode.Values, () => new ValuesPart<TState>(_step, _channels.State));

            if (tasks.Exists(t => _interruptAfter.Contains(t.Node)) && _channels.ChangedSinceResume())
            {
                var next = PrepareTasks();
                if (next.Count > 0)
                {
                    return await StopAsync(next, []).ConfigureAwait(false);
                }
            }
        }
        await FinishAsync().ConfigureAwait(false);
        return Result([], []);
    }

    private List<PregelTask<TState>> PrepareTasks() => _channels.PrepareTasks(_checkpointId, Ns, _step + 1);

    private async Task<IReadOnlyList<Interrupt>> RunTasksAsync(List<PregelTask<TState>> tasks)
    {
        var toRun = new List<PregelTask<TState>>(tasks.Count);
        foreach (var task in tasks)
        {
            // A task whose writes were saved before a failure or an interrupt is not run again.
            task.Output = TaskOutput<TState>.FromWrites(Schema, WritesOf(task.Id));
            if (task.Output is null)
            {
                toRun.Add(task);
            }
        }

        var outcomes = toRun.Count == 1
            ? [await RunTaskAsync(toRun[0]).ConfigureAwait(false)]
            : await Task.WhenAll(toRun.Select(t => Task.Run(() => RunTaskAsync(t), _ct))).ConfigureAwait(false);

        var failure = Array.FindIndex(outcomes, o => o.Error is not null);
        if (failure >= 0)
        {
            await FinishAsync().ConfigureAwait(false);
            var task = toRun[failure];
            throw new NodeFailedException(task.Node, _step + 1, _saver is null ? null : _threadId, outcomes[failure].Error!);
        }
        _ct.ThrowIfCancellationRequested();
        return [.. outcomes.Where(o => o.Interrupt is not null).Select(o => o.Interrupt!)];
    }

    private async Task<TaskOutcome> RunTaskAsync(PregelTask<TState> task)
    {
        Emit(StreamMode.Debug, () => new DebugPart<TState>(_step + 1, DebugEventKind.TaskStarted, task.Node, task.Id, null, null));
        try
        {
            StateUpdate<TState>? update;
            if (task.Node == Graph.Start)
            {
                update = _channels.ReadInput();
            }
            else
            {
                var context = _graph.CreateContext(task, _step + 1, _config, ResumeValuesOf(task.Id), CustomWriter(task), _ct);
                update = await _graph.Topology.Nodes[task.Node].Run(task.Input, context).ConfigureAwait(false);
            }
            task.Output = _graph.Route(task.Node, task.Input, update);
            Persist(task.Id, task.Output.ToWrites(Schema, task.Node), special: false);
            Emit(StreamMode.Debug, () => new DebugPart<TState>(_step + 1, DebugEventKind.TaskFinished, task.Node, task.Id, null, null));
            return default;
        }
        catch (GraphInterruptSignal signal)
        {
            Persist(task.Id, [new ChannelWrite(WriteChannels.Interrupt, InterruptJson.Serialize(signal.Interrupt))], special: true);
            return new TaskOutcome(signal.Interrupt, null);
        }
        catch (OperationCanceledException) when (_ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Persist(task.Id, [new ChannelWrite(WriteChannels.Error, Json.Write(w => w.WriteStringValue($"{e.GetType().Name}: {e.Message}")))], special: true);
            Emit(StreamMode.Debug, () => new DebugPart<TState>(_step + 1, DebugEventKind.TaskFinished, task.Node, task.Id, null, e.Message));
            return new TaskOutcome(null, e);
        }
    }

    private async Task ApplyResumeAsync(Command command)
    {
        var pending = PrepareTasks()
            .Select(t => (Task: t, Interrupt: InterruptJson.PendingOf(WritesOf(t.Id))))
            .Where(p => p.Interrupt is not null && TaskOutput<TState>.FromWrites(Schema, WritesOf(p.Task.Id)) is null)
            .ToList();
        var resumes = new List<(PregelTask<TState> Task, JsonElement Value)>();
        if (command.ResumeValues is { } byId)
        {
            foreach (var (id, value) in byId)
            {
                var match = pending.Find(p => p.Interrupt!.Id == id);
                if (match.Task is null)
                {
                    throw new InvalidUpdateException(
                        $"Thread '{_threadId}' has no pending interrupt with id '{id}'. Pending: {Describe(pending.Select(p => p.Interrupt!.Id))}.");
                }
                resumes.Add((match.Task, value));
            }
        }
        else if (command.ResumeValue is { } value)
        {
            if (pending.Count != 1)
            {
                throw new InvalidUpdateException(pending.Count == 0
                    ? $"Thread '{_threadId}' has no pending interrupt to resume; invoke it with an input instead."
                    : $"Thread '{_threadId}' has {pending.Count} pending interrupts ({Describe(pending.Select(p => p.Interrupt!.Id))}); resume each by id with Command.ResumeById.");
            }
            resumes.Add((pending[0].Task, value));
        }

        var writes = _pendingWrites.ToList();
        foreach (var (task, value) in resumes)
        {
            var values = ResumeValuesOf(task.Id).Append(value).ToList();
            var write = new ChannelWrite(WriteChannels.Resume, Json.Write(w =>
            {
                w.WriteStartArray();
                values.ForEach(v => v.WriteTo(w));
                w.WriteEndArray();
            }));
            await _saver!.PutWritesAsync(_head!, [write], task.Id, "", _ct).ConfigureAwait(false);
            writes.RemoveAll(w => w.TaskId == task.Id && w.Channel == WriteChannels.Resume);
            writes.Add(new PendingWrite(task.Id, write.Channel, write.Value));
        }
        _pendingWrites = writes;
    }

    private async Task WriteCheckpointAsync(CheckpointSource source, int step)
    {
        var now = DateTimeOffset.UtcNow;
        _step = step;
        _source = source;
        _checkpointId = CheckpointIds.New(step, now);
        _pendingWrites = [];
        if (_saver is null)
        {
            _channels.ClearChanges();
            return;
        }
        // With exit durability only the last checkpoint is written; a fork is written at once because later
        // checkpoints build on it as the thread's new head.
        if (_durability != Durability.Exit || source == CheckpointSource.Fork)
        {
            await PutCurrentAsync(now).ConfigureAwait(false);
        }
    }

    private async Task PutCurrentAsync(DateTimeOffset now)
    {
        var (checkpoint, newVersions) = _channels.CreateCheckpoint(_checkpointId, now);
        var metadata = new CheckpointMetadata { Source = _source, Step = _step, RunId = _runId, Custom = _custom };
        var parent = new CheckpointConfig(_threadId, Ns, _head?.CheckpointId);
        var saver = _saver!;
        var ct = _ct;
        _head = parent.WithCheckpoint(checkpoint.Id);
        _queue.Enqueue(async () => await saver.PutAsync(parent, checkpoint, metadata, newVersions, ct).ConfigureAwait(false));
        if (_durability == Durability.Sync)
        {
            await _queue.FlushAsync().ConfigureAwait(false);
        }
        var config = _head;
        Emit(StreamMode.Debug, () => new DebugPart<TState>(_step, DebugEventKind.Checkpoint, null, null, config, null));
    }

    private void Persist(string taskId, List<ChannelWrite> writes, bool special)
    {
        if (_saver is null || (_durability == Durability.Exit && !special))
        {
            return;
        }
        if (_durability == Durability.Exit)
        {
            // Interrupts and errors must survive an exit-durability run; they are written after its checkpoint.
            lock (_deferredWrites)
            {
                _deferredWrites.AddRange(writes.Select(w => (taskId, w)));
            }
            return;
        }
        var config = _head!;
        var saver = _saver;
        var ct = _ct;
        _queue.Enqueue(() => saver.PutWritesAsync(config, writes, taskId, "", ct));
    }

    /// <summary>Writes what exit durability held back and waits until every saver call has finished.</summary>
    private async Task FinishAsync()
    {
        if (_saver is not null && _durability == Durability.Exit)
        {
            if (_checkpointId.Length > 0 && _head?.CheckpointId != _checkpointId)
            {
                await PutCurrentAsync(DateTimeOffset.UtcNow).ConfigureAwait(false);
            }
            var config = _head!;
            foreach (var group in _deferredWrites.GroupBy(w => w.TaskId))
            {
                var saver = _saver;
                var writes = group.Select(w => w.Write).ToList();
                _queue.Enqueue(() => saver.PutWritesAsync(config, writes, group.Key, "", _ct));
            }
        }
        await _queue.FlushAsync().ConfigureAwait(false);
    }

    private async Task<GraphResult<TState>> StopAsync(List<PregelTask<TState>> tasks, IReadOnlyList<Interrupt> interrupts)
    {
        await FinishAsync().ConfigureAwait(false);
        var next = tasks.Select(t => t.Node).Distinct().ToList();
        Emit((StreamMode)~0, () => new InterruptPart<TState>(_step, next, interrupts));
        return Result(next, interrupts);
    }

    private GraphResult<TState> Result(IReadOnlyList<string> next, IReadOnlyList<Interrupt> interrupts) =>
        new(_channels.State, next, interrupts, _head);

    private IEnumerable<PendingWrite> WritesOf(string taskId) => _pendingWrites.Where(w => w.TaskId == taskId);

    private IReadOnlyList<JsonElement> ResumeValuesOf(string taskId)
    {
        foreach (var write in WritesOf(taskId))
        {
            if (write.Channel == WriteChannels.Resume)
            {
                return [.. Json.Parse(write.Value).EnumerateArray()];
            }
        }
        return [];
    }

    private Action<object?>? CustomWriter(PregelTask<TState> task) =>
        (_modes & StreamMode.Custom) == 0 ? null : data => _sink!(new CustomPart<TState>(_step + 1, task.Node, data));

    private void EmitUpdates(List<PregelTask<TState>> tasks)
    {
        if ((_modes & StreamMode.Updates) == 0)
        {
            return;
        }
        foreach (var task in tasks)
        {
            if (task.Node != Graph.Start && task.Output!.Update is { } update)
            {
                _sink!(new UpdatesPart<TState>(_step + 1, task.Node, update));
            }
        }
    }

    private void Emit(StreamMode mode, Func<StreamPart<TState>> part)
    {
        if ((_modes & mode) != 0)
        {
            _sink!(part());
        }
    }

    private static string Describe(IEnumerable<string> ids) => string.Join(", ", ids.Select(i => $"'{i}'"));

    private static IReadOnlySet<string> Union(IReadOnlySet<string> a, IReadOnlySet<string> b) =>
        b.Count == 0 ? a : a.Count == 0 ? b : a.Union(b).ToHashSet(StringComparer.Ordinal);

    private readonly record struct TaskOutcome(Interrupt? Interrupt, Exception? Error);
}
