using System.Diagnostics;
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
    private readonly PersistenceQueue? _queue;
    private readonly List<(string TaskId, List<ChannelWrite> Writes)> _deferredWrites = [];

    private ChannelState<TState> _channels = null!;
    private CheckpointConfig? _head;
    private string _checkpointId = "";
    private CheckpointSource _source;
    private int _step;
    private TaskWrites<TState> _writes;

    public GraphRun(CompiledGraph<TState> graph, GraphConfig config, StreamMode modes, Action<StreamPart<TState>>? sink, CancellationToken ct)
    {
        _graph = graph;
        _config = config;
        _saver = graph.Checkpointer;
        _queue = _saver is null ? null : new PersistenceQueue(_saver, graph.Options.CheckpointGatherTime);
        _durability = config.Durability ?? graph.Options.Durability;
        _modes = sink is null ? 0 : modes;
        _sink = sink;
        _ct = ct;
        _threadId = config.ThreadId ?? "";
        _runId = config.RunId ?? Guid.NewGuid().ToString();
        _custom = graph.CustomMetadata(config);
        _interruptBefore = Union(graph.Topology.InterruptBefore, graph.Topology.ResolveInterrupts(config.InterruptBefore, "GraphConfig.InterruptBefore"));
        _interruptAfter = Union(graph.Topology.InterruptAfter, graph.Topology.ResolveInterrupts(config.InterruptAfter, "GraphConfig.InterruptAfter"));
        _writes = TaskWrites<TState>.None(graph.Schema);
    }

    private StateSchema<TState> Schema => _graph.Schema;

    private string Ns => _config.CheckpointNs;

    public async Task<GraphResult<TState>> RunAsync(StateUpdate<TState>? input, Command? command)
    {
        using var activity = GraphGenTelemetry.ActivitySource.StartActivity("graphgen.run");
        activity?.SetTag("graphgen.thread_id", _saver is null ? null : _threadId);
        activity?.SetTag("graphgen.run_id", _runId);
        try
        {
            var result = await RunCoreAsync(input, command).ConfigureAwait(false);
            activity?.SetTag("graphgen.interrupted", result.IsInterrupted);
            return result;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            if (_durability == Durability.Exit && _saver is not null && e is not CheckpointConflictException)
            {
                // Exit durability still keeps what the run did before it failed or was cancelled.
                await PersistExitAsync().ConfigureAwait(false);
            }
            // Never leave saver calls running behind a failed or cancelled call; their own errors matter less.
            if (_queue is not null)
            {
                await _queue.DrainAsync().ConfigureAwait(false);
            }
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
            _channels = ChannelState<TState>.Load(Schema, _graph.Topology, tuple.Config, tuple.Checkpoint, _graph.States);
            _checkpointId = tuple.Checkpoint.Id;
            _step = tuple.Metadata.Step;
            _head = tuple.Config;
            _writes = new TaskWrites<TState>(Schema, tuple.Config, tuple.PendingWrites);
        }

        if (tuple is not null && _config.CheckpointId is not null)
        {
            // Time travel: branch off the named checkpoint; replaying a finished one is a no-op.
            var tasks = PrepareTasks();
            if (input is null && command is null && tasks.Count == 0)
            {
                return Result([], []);
            }
            var saved = _writes;
            await WriteCheckpointAsync(CheckpointSource.Fork, _step).ConfigureAwait(false);
            if (command is not null)
            {
                // Resuming an older interrupt: on the fork, its interrupted tasks wait at their interrupts again
                // (answers given there before are dropped) and its finished tasks keep their work.
                await CarryWritesAsync(tasks, saved).ConfigureAwait(false);
            }
        }
        if (command is { } resume)
        {
            await ApplyResumeAsync(resume).ConfigureAwait(false);
        }
        if (input is not null)
        {
            // New input abandons whatever the thread had not finished (a failed or interrupted step), as LangGraph does.
            var abandoned = PrepareTasks();
            if (abandoned.Count > 0)
            {
                abandoned.ForEach(t => t.Output = new TaskOutput<TState>());
                _channels.Apply(abandoned, _step + 1);
            }
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
            _queue?.ThrowIfFaulted();
            var tasks = PrepareTasks();
            if (tasks.Count == 0)
            {
                break;
            }
            if (stepsRun >= _config.RecursionLimit)
            {
                throw new GraphRecursionException(_config.RecursionLimit, _saver is null ? null : _threadId);
            }
            if (_interruptBefore.Count > 0 && tasks.Exists(t => _interruptBefore.Contains(t.Node)) && _channels.ChangedSinceResume())
            {
                return await StopAsync(tasks, []).ConfigureAwait(false);
            }

            var interrupts = await RunTasksAsync(tasks).ConfigureAwait(false);
            if (interrupts.Count > 0)
            {
                return await StopAsync(tasks, interrupts).ConfigureAwait(false);
            }

            _channels.Apply(tasks, _step + 1);
            GraphGenTelemetry.Supersteps.Add(1);
            EmitUpdates(tasks);
            await WriteCheckpointAsync(CheckpointSource.Loop, _step + 1).ConfigureAwait(false);
            if (Streams(StreamMode.Values))
            {
                _sink!(new ValuesPart<TState>(_step, _channels.State));
            }

            if (_interruptAfter.Count > 0 && tasks.Exists(t => _interruptAfter.Contains(t.Node)) && _channels.ChangedSinceResume())
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
            task.Output = _writes.FinishedOutput(task.Id);
            if (task.Output is null)
            {
                toRun.Add(task);
            }
        }

        if (toRun.Exists(t => t.Node != Graph.Start))
        {
            // Node code runs next: the checkpoints and writes so far may go while it runs.
            _queue?.Start();
        }
        var outcomes = toRun.Count == 1
            ? [await RunTaskAsync(toRun[0]).ConfigureAwait(false)]
            : await Task.WhenAll(toRun.Select(t => Task.Run(() => RunTaskAsync(t), _ct))).ConfigureAwait(false);

        var failure = Array.FindIndex(outcomes, o => o.Error is not null);
        if (failure >= 0)
        {
            await FinishAsync().ConfigureAwait(false);
            var others = toRun.Where((t, i) => i != failure && outcomes[i].Error is not null).Select(t => t.Node).ToList();
            throw new NodeFailedException(toRun[failure].Node, _step + 1, _saver is null ? null : _threadId, outcomes[failure].Error!, others);
        }
        _ct.ThrowIfCancellationRequested();
        List<Interrupt>? interrupts = null;
        foreach (var outcome in outcomes)
        {
            if (outcome.Interrupt is { } interrupt)
            {
                (interrupts ??= []).Add(interrupt);
            }
        }
        return interrupts is null ? [] : interrupts;
    }

    private async Task<TaskOutcome> RunTaskAsync(PregelTask<TState> task)
    {
        if (Streams(StreamMode.Debug))
        {
            _sink!(new DebugPart<TState>(_step + 1, DebugEventKind.TaskStarted, task.Node, task.Id, null, null));
        }
        using var activity = GraphGenTelemetry.ActivitySource.StartActivity("graphgen.node");
        activity?.SetTag("graphgen.node", task.Node);
        activity?.SetTag("graphgen.step", _step + 1);
        var started = Stopwatch.GetTimestamp();
        try
        {
            StateUpdate<TState>? update;
            if (task.Node == Graph.Start)
            {
                update = _channels.ReadInput();
            }
            else
            {
                var context = _graph.CreateContext(task, _step + 1, _config, _writes.ResumeValues(task.Id), CustomWriter(task), _ct);
                update = await _graph.Topology.Nodes[task.Node].Run(task.Input, context).ConfigureAwait(false);
            }
            task.Output = _graph.Route(task.Node, task.Input, update);
            Persist(task.Id, task.Output.ToWrites(Schema, task.Node));
            if (Streams(StreamMode.Debug))
            {
                _sink!(new DebugPart<TState>(_step + 1, DebugEventKind.TaskFinished, task.Node, task.Id, null, null));
            }
            return default;
        }
        catch (GraphInterruptSignal signal)
        {
            activity?.SetTag("graphgen.interrupted", true);
            Persist(task.Id, [new ChannelWrite(WriteChannels.Interrupt, InterruptJson.Serialize(signal.Interrupt))]);
            return new TaskOutcome(signal.Interrupt, null);
        }
        catch (OperationCanceledException) when (_ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            Persist(task.Id, [new ChannelWrite(WriteChannels.Error, Json.Write(w => w.WriteStringValue($"{e.GetType().Name}: {e.Message}")))]);
            if (Streams(StreamMode.Debug))
            {
                _sink!(new DebugPart<TState>(_step + 1, DebugEventKind.TaskFinished, task.Node, task.Id, null, e.Message));
            }
            return new TaskOutcome(null, e);
        }
        finally
        {
            if (GraphGenTelemetry.NodeDuration.Enabled)
            {
                GraphGenTelemetry.NodeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("graphgen.node", task.Node));
            }
        }
    }

    private async Task ApplyResumeAsync(Command command)
    {
        var pending = PrepareTasks()
            .Select(t => (Task: t, Interrupt: _writes.PendingInterrupt(t.Id)))
            .Where(p => p.Interrupt is not null)
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

        foreach (var (task, value) in resumes)
        {
            var values = _writes.ResumeValues(task.Id).Append(value).ToList();
            var write = new ChannelWrite(WriteChannels.Resume, Json.Write(w =>
            {
                w.WriteStartArray();
                values.ForEach(v => v.WriteTo(w));
                w.WriteEndArray();
            }));
            await _saver!.PutWritesAsync(_head!, [write], task.Id, "", _ct).ConfigureAwait(false);
            _writes.SetResume(task.Id, write);
        }
    }

    private async Task CarryWritesAsync(List<PregelTask<TState>> from, TaskWrites<TState> saved)
    {
        await _queue!.FlushAsync().ConfigureAwait(false);
        var to = PrepareTasks();
        for (var i = 0; i < from.Count; i++)
        {
            var all = saved.WritesOf(from[i].Id);
            var interrupted = all.Any(w => w.Channel == WriteChannels.Interrupt);
            var writes = all
                .Where(w => !interrupted || w.Channel == WriteChannels.Interrupt)
                .Select(w => new ChannelWrite(w.Channel, w.Value))
                .ToList();
            if (writes.Count > 0)
            {
                await _saver!.PutWritesAsync(_head!, writes, to[i].Id, "", _ct).ConfigureAwait(false);
                _writes.Add(to[i].Id, writes);
            }
        }
    }

    private async Task WriteCheckpointAsync(CheckpointSource source, int step)
    {
        var now = DateTimeOffset.UtcNow;
        _step = step;
        _source = source;
        _checkpointId = CheckpointIds.New(step, now);
        _writes = TaskWrites<TState>.None(Schema);
        // Writes held back by exit durability belong to the step just applied; the new checkpoint absorbed them.
        _deferredWrites.Clear();
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
        _graph.States?.Add(_threadId, Ns, checkpoint, _channels.State);
        var metadata = new CheckpointMetadata { Source = _source, Step = _step, RunId = _runId, Custom = _custom };
        var parent = new CheckpointConfig(_threadId, Ns, _head?.CheckpointId);
        _head = parent.WithCheckpoint(checkpoint.Id);
        GraphGenTelemetry.Checkpoints.Add(1);
        _queue!.Enqueue(new CheckpointPut(parent, checkpoint, metadata, newVersions));
        if (_durability == Durability.Sync)
        {
            await _queue.FlushAsync().ConfigureAwait(false);
        }
        var config = _head;
        if (Streams(StreamMode.Debug))
        {
            _sink!(new DebugPart<TState>(_step, DebugEventKind.Checkpoint, null, null, config, null));
        }
    }

    private void Persist(string taskId, List<ChannelWrite> writes)
    {
        if (_saver is null)
        {
            return;
        }
        if (_durability == Durability.Exit)
        {
            // Held back until the run ends; needed only if it ends inside this step (failure or interrupt).
            lock (_deferredWrites)
            {
                _deferredWrites.Add((taskId, writes));
            }
            return;
        }
        _queue!.Enqueue(new WritesPut(_head!, writes, taskId));
    }

    /// <summary>Writes what exit durability held back and waits until every saver call has finished.</summary>
    private async Task FinishAsync()
    {
        if (_queue is null)
        {
            return;
        }
        if (_durability == Durability.Exit)
        {
            await PersistExitAsync().ConfigureAwait(false);
        }
        await _queue.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Exit durability: the run's one checkpoint, then the writes of the step it stopped in.</summary>
    private async Task PersistExitAsync()
    {
        if (_checkpointId.Length > 0 && _head?.CheckpointId != _checkpointId)
        {
            await PutCurrentAsync(DateTimeOffset.UtcNow).ConfigureAwait(false);
        }
        foreach (var (taskId, writes) in _deferredWrites)
        {
            _queue!.Enqueue(new WritesPut(_head!, writes, taskId));
        }
        _deferredWrites.Clear();
    }

    private async Task<GraphResult<TState>> StopAsync(List<PregelTask<TState>> tasks, IReadOnlyList<Interrupt> interrupts)
    {
        await FinishAsync().ConfigureAwait(false);
        // Tasks that finished in the stopped step keep their saved writes and will not run again.
        var next = tasks.Where(t => t.Output is null).Select(t => t.Node).Distinct().ToList();
        if (Streams((StreamMode)~0))
        {
            _sink!(new InterruptPart<TState>(_step, next, interrupts));
        }
        return Result(next, interrupts);
    }

    private GraphResult<TState> Result(IReadOnlyList<string> next, IReadOnlyList<Interrupt> interrupts) =>
        new(_channels.State, next, interrupts, _head);

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

    // Callers build a part only when its mode is streamed: steps of a plain invoke allocate nothing for streaming.
    private bool Streams(StreamMode mode) => (_modes & mode) != 0;

    private static string Describe(IEnumerable<string> ids) => string.Join(", ", ids.Select(i => $"'{i}'"));

    private static IReadOnlySet<string> Union(IReadOnlySet<string> a, IReadOnlySet<string> b) =>
        b.Count == 0 ? a : a.Count == 0 ? b : a.Union(b).ToHashSet(StringComparer.Ordinal);

    private readonly record struct TaskOutcome(Interrupt? Interrupt, Exception? Error);
}
