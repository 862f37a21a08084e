using System.Runtime.CompilerServices;
using System.Threading.Channels;
using GraphGen.Checkpointing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GraphGen;

/// <summary>
/// A validated graph, ready to run: invoke or stream it on a thread, read its state and history, update it by
/// hand, resume it after an interrupt. Safe to share; every call is independent.
/// </summary>
public sealed class CompiledGraph<TState> where TState : IGraphState<TState>
{
    private readonly Dictionary<string, ILogger> _loggers;
    private readonly IServiceProvider _services;

    internal CompiledGraph(GraphTopology<TState> topology, CompileOptions options)
    {
        Topology = topology;
        Options = options;
        _services = options.Services ?? EmptyServices.Instance;
        var loggerFactory = options.LoggerFactory ?? _services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        _loggers = topology.Nodes.Keys.ToDictionary(n => n, n => loggerFactory.CreateLogger("GraphGen.Node." + n), StringComparer.Ordinal);
        ArgumentOutOfRangeException.ThrowIfNegative(options.StateCacheSize, "CompileOptions.StateCacheSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CheckpointGatherTime, TimeSpan.Zero, "CompileOptions.CheckpointGatherTime");
        States = options.Checkpointer is null || options.StateCacheSize == 0 ? null : new StateCache<TState>(TState.Schema, options.StateCacheSize);
    }

    /// <summary>The saver this graph checkpoints to, if any.</summary>
    public ICheckpointSaver? Checkpointer => Options.Checkpointer;

    /// <summary>The node names.</summary>
    public IReadOnlyCollection<string> Nodes => (IReadOnlyCollection<string>)Topology.Nodes.Keys;

    internal GraphTopology<TState> Topology { get; }

    internal CompileOptions Options { get; }

    /// <summary>The latest state of recently run threads, when the graph checkpoints.</summary>
    internal StateCache<TState>? States { get; }

    internal StateSchema<TState> Schema => TState.Schema;

    /// <summary>A Mermaid flowchart of the graph (solid: edges, dotted: routes, thick: joins).</summary>
    public string ToMermaid() => Topology.ToMermaid();

    /// <summary>
    /// Runs the graph on the config's thread. With an input, the input is applied through the reducers and the
    /// graph runs from its entry; with <see langword="null"/>, it continues from where the thread stopped (after a
    /// breakpoint or a failure). Returns when no node is left to run or the run stops at an interrupt.
    /// </summary>
    /// <exception cref="MissingThreadIdException">The graph has a checkpointer and the config names no thread.</exception>
    /// <exception cref="NodeFailedException">A node threw; the other nodes' writes of that step are saved.</exception>
    /// <exception cref="CheckpointConflictException">Another run wrote to the thread meanwhile.</exception>
    public Task<GraphResult<TState>> InvokeAsync(StateUpdate<TState>? input, GraphConfig? config = null, CancellationToken ct = default) =>
        RunAsync(input, null, config, "InvokeAsync", 0, null, ct);

    /// <summary>Resumes an interrupted thread: the interrupted node runs again and its interrupt returns the command's value.</summary>
    public Task<GraphResult<TState>> InvokeAsync(Command command, GraphConfig config, CancellationToken ct = default) =>
        RunAsync(null, command, config, "InvokeAsync", 0, null, ct);

    /// <summary>Runs like <see cref="InvokeAsync(StateUpdate{TState}, GraphConfig, CancellationToken)"/> and streams what <paramref name="mode"/> asks for.</summary>
    public IAsyncEnumerable<StreamPart<TState>> StreamAsync(StateUpdate<TState>? input, GraphConfig? config = null, StreamMode mode = StreamMode.Values, CancellationToken ct = default) =>
        StreamCoreAsync(input, null, config, mode, ct);

    /// <summary>Resumes an interrupted thread and streams what <paramref name="mode"/> asks for.</summary>
    public IAsyncEnumerable<StreamPart<TState>> StreamAsync(Command command, GraphConfig config, StreamMode mode = StreamMode.Values, CancellationToken ct = default) =>
        StreamCoreAsync(null, command, config, mode, ct);

    /// <summary>The thread's latest state (or the state at <see cref="GraphConfig.CheckpointId"/>), with what runs next.</summary>
    /// <exception cref="MissingThreadIdException">No thread id.</exception>
    /// <exception cref="CheckpointNotFoundException">The config names a checkpoint the thread does not have.</exception>
    public async Task<StateSnapshot<TState>> GetStateAsync(GraphConfig config, CancellationToken ct = default)
    {
        var tuple = await LoadAsync(RequireThread(config, "GetStateAsync"), ct).ConfigureAwait(false);
        return tuple is null
            ? new StateSnapshot<TState> { Values = Schema.CreateInitial(), Next = [], Tasks = [], Interrupts = [] }
            : ToSnapshot(tuple, config.CheckpointNs, applyFinished: config.CheckpointId is null, ChannelState<TState>.ReadState(Schema, tuple.Config, tuple.Checkpoint, States));
    }

    /// <summary>
    /// The thread's checkpoints as snapshots, newest first. <paramref name="filter"/> matches metadata entries exactly,
    /// <paramref name="before"/> keeps checkpoints older than that id, <paramref name="limit"/> caps the count.
    /// </summary>
    public async IAsyncEnumerable<StateSnapshot<TState>> GetStateHistoryAsync(
        GraphConfig config,
        IReadOnlyDictionary<string, object?>? filter = null,
        string? before = null,
        int? limit = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        RequireThread(config, "GetStateHistoryAsync");
        var threadConfig = new CheckpointConfig(config.ThreadId!, config.CheckpointNs, config.CheckpointId);
        var beforeConfig = before is null ? null : threadConfig.WithCheckpoint(before);
        var states = new HistoryStates<TState>(Schema, States);
        await foreach (var tuple in Checkpointer!.ListAsync(threadConfig, filter, beforeConfig, limit, ct).ConfigureAwait(false))
        {
            yield return ToSnapshot(tuple, config.CheckpointNs, applyFinished: false, states.Read(tuple.Config, tuple.Checkpoint));
        }
    }

    /// <summary>
    /// Writes <paramref name="update"/> to the thread as if node <paramref name="asNode"/> had returned it: it goes through
    /// the reducers, <paramref name="asNode"/>'s edges fire, and a new checkpoint (source <c>update</c>) is added; history
    /// is never rewritten. Updating an older checkpoint (<see cref="GraphConfig.CheckpointId"/>) forks a new branch.
    /// Without <paramref name="asNode"/>, the node that ran last is used (or the input, on a new thread).
    /// </summary>
    /// <returns>The config of the new checkpoint, to continue from.</returns>
    public async Task<GraphConfig> UpdateStateAsync(GraphConfig config, StateUpdate<TState>? update, string? asNode = null, CancellationToken ct = default)
    {
        var tuple = await LoadAsync(RequireThread(config, "UpdateStateAsync"), ct).ConfigureAwait(false);
        var threadId = config.ThreadId!;
        var channels = tuple is null
            ? ChannelState<TState>.New(Schema, Topology)
            : ChannelState<TState>.Load(Schema, Topology, tuple.Config, tuple.Checkpoint, States);
        var step = tuple?.Metadata.Step ?? -2;
        var parent = tuple?.Config ?? new CheckpointConfig(threadId, config.CheckpointNs);
        var custom = CustomMetadata(config);

        async Task<CheckpointConfig> PutAsync(CheckpointSource source, int checkpointStep)
        {
            var now = DateTimeOffset.UtcNow;
            var (checkpoint, newVersions) = channels.CreateCheckpoint(CheckpointIds.New(checkpointStep, now), now);
            States?.Add(threadId, config.CheckpointNs, checkpoint, channels.State);
            var metadata = new CheckpointMetadata { Source = source, Step = checkpointStep, Custom = custom, RunId = config.RunId };
            return await Checkpointer!.PutAsync(parent, checkpoint, metadata, newVersions, ct).ConfigureAwait(false);
        }

        if (tuple is not null && config.CheckpointId is not null)
        {
            parent = await PutAsync(CheckpointSource.Fork, step).ConfigureAwait(false);
        }
        else if (tuple is not null)
        {
            // Tasks that finished before a failure or an interrupt keep their work: apply it before the update.
            ApplyFinishedTasks(channels, tuple);
        }
        asNode ??= LastNode(tuple?.Checkpoint) ?? Graph.Start;
        if (asNode != Graph.Start && !Topology.Nodes.ContainsKey(asNode))
        {
            throw new InvalidUpdateException($"UpdateStateAsync: asNode '{asNode}' is not a node of the graph. Known nodes: {string.Join(", ", Topology.Nodes.Keys.Order(StringComparer.Ordinal))}.");
        }
        var task = new PregelTask<TState>("update", asNode, channels.State, [.. channels.ExistingTriggers(asNode)], isPush: false)
        {
            Output = Route(asNode, channels.State, update),
        };
        channels.Apply([task], step + 1);
        var stored = await PutAsync(CheckpointSource.Update, step + 1).ConfigureAwait(false);
        return config with { CheckpointId = stored.CheckpointId };
    }

    internal async ValueTask<CheckpointTuple?> LoadAsync(GraphConfig config, CancellationToken ct)
    {
        if (Checkpointer is null)
        {
            return null;
        }
        var tuple = await Checkpointer.GetTupleAsync(new CheckpointConfig(config.ThreadId!, config.CheckpointNs, config.CheckpointId), ct).ConfigureAwait(false);
        if (tuple is null && config.CheckpointId is not null)
        {
            throw new CheckpointNotFoundException(config.ThreadId!, config.CheckpointId);
        }
        return tuple;
    }

    /// <summary>What a node's task writes: its update, its static edges and joins, and where its routes go.</summary>
    internal TaskOutput<TState> Route(string node, TState input, StateUpdate<TState>? update)
    {
        var outputs = Topology.Outputs[node];
        var output = new TaskOutput<TState> { Update = update };
        output.Branches.AddRange(outputs.Branches);
        output.Joins.AddRange(outputs.Joins);
        if (outputs.Routes.Count == 0)
        {
            return output;
        }
        // A route sees the state with its own node's update applied, not its siblings'.
        var state = update is null || update.IsEmpty ? input : Schema.Apply(input, [update]);
        foreach (var route in outputs.Routes)
        {
            foreach (var target in route.Route(state))
            {
                if (target.Node == Graph.End)
                {
                    continue;
                }
                if (!Topology.Nodes.ContainsKey(target.Node))
                {
                    throw new InvalidUpdateException(
                        $"The route after '{node}' returned '{target.Node}', which is not a node of the graph. Known nodes: {string.Join(", ", Topology.Nodes.Keys.Order(StringComparer.Ordinal))}, or Graph.End.");
                }
                if (target.Send is { } send)
                {
                    output.Sends.Add(TaskOutput<TState>.SerializeSend(Schema, send));
                }
                else
                {
                    output.Branches.Add(GraphTopology<TState>.BranchChannel(target.Node));
                }
            }
        }
        return output;
    }

    internal NodeContext CreateContext(PregelTask<TState> task, int step, GraphConfig config, IReadOnlyList<System.Text.Json.JsonElement> resumeValues, Action<object?>? writer, CancellationToken ct) =>
        new(task.Node, task.Id, step, config, config.Services ?? _services, Options.Store, _loggers[task.Node], resumeValues, writer, ct);

    internal IReadOnlyDictionary<string, object?> CustomMetadata(GraphConfig config)
    {
        if (config.Metadata is null || config.Metadata.Count == 0)
        {
            return new Dictionary<string, object?>();
        }
        var custom = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in config.Metadata)
        {
            if (CheckpointMetadata.ReservedKeys.Contains(key))
            {
                throw new ArgumentException($"GraphConfig.Metadata cannot use the reserved key '{key}'.", nameof(config));
            }
            custom[key] = MetadataValues.Normalize(key, value);
        }
        return custom;
    }

    private async Task<GraphResult<TState>> RunAsync(
        StateUpdate<TState>? input, Command? command, GraphConfig? config, string operation, StreamMode modes, Action<StreamPart<TState>>? sink, CancellationToken ct)
    {
        config ??= new GraphConfig();
        if (Checkpointer is not null)
        {
            RequireThread(config, operation);
        }
        else if (command is not null)
        {
            throw new GraphGenException("Resuming with a Command needs a checkpointer: compile the graph with CompileOptions.Checkpointer so the interrupted state is saved.");
        }
        return await new GraphRun<TState>(this, config, modes, sink, ct).RunAsync(input, command).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<StreamPart<TState>> StreamCoreAsync(
        StateUpdate<TState>? input, Command? command, GraphConfig? config, StreamMode mode, [EnumeratorCancellation] CancellationToken ct)
    {
        var parts = Channel.CreateUnbounded<StreamPart<TState>>(new UnboundedChannelOptions { SingleReader = true });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var run = Task.Run(async () =>
        {
            try
            {
                await RunAsync(input, command, config, "StreamAsync", mode, p => parts.Writer.TryWrite(p), cts.Token).ConfigureAwait(false);
                parts.Writer.Complete();
            }
            catch (Exception e)
            {
                parts.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var part in parts.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                yield return part;
            }
        }
        finally
        {
            // A consumer that stops early cancels the run; the last written checkpoint stays loadable.
            await cts.CancelAsync().ConfigureAwait(false);
            await run.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A checkpoint as a snapshot. For a thread's latest state (<paramref name="applyFinished"/>), the work of tasks that
    /// finished before a failure or an interrupt is applied to the values and those tasks are left out of Next, as
    /// LangGraph's get_state does; history shows each checkpoint as it was stored.
    /// </summary>
    private StateSnapshot<TState> ToSnapshot(CheckpointTuple tuple, string ns, bool applyFinished, TState state)
    {
        var channels = ChannelState<TState>.Load(Schema, Topology, tuple.Config, tuple.Checkpoint, state);
        var tasks = channels.PrepareTasks(tuple.Checkpoint.Id, ns, tuple.Metadata.Step + 1);
        var writes = new TaskWrites<TState>(Schema, tuple.Config, tuple.PendingWrites);
        var infos = new List<PregelTaskInfo>(tasks.Count);
        var interrupts = new List<Interrupt>();
        foreach (var task in tasks)
        {
            var interrupt = writes.PendingInterrupt(task.Id);
            if (interrupt is not null)
            {
                interrupts.Add(interrupt);
            }
            infos.Add(new PregelTaskInfo(task.Id, task.Node, writes.Error(task.Id), interrupt is null ? [] : [interrupt], writes.IsFinished(task.Id)));
        }
        if (applyFinished)
        {
            ApplyFinishedTasks(channels, tuple, tasks, writes);
        }
        return new StateSnapshot<TState>
        {
            Values = channels.State,
            Next = NextNodes(tasks, applyFinished ? writes : null),
            Config = tuple.Config,
            Metadata = tuple.Metadata,
            CreatedAt = tuple.Checkpoint.Ts,
            ParentConfig = tuple.ParentConfig,
            Tasks = infos,
            Interrupts = interrupts,
        };
    }

    /// <summary>The nodes of <paramref name="tasks"/>, each once, in task order; without those <paramref name="finished"/> says are done.</summary>
    private static List<string> NextNodes(List<PregelTask<TState>> tasks, TaskWrites<TState>? finished)
    {
        var nodes = new List<string>(tasks.Count);
        foreach (var task in tasks)
        {
            if ((finished is null || !finished.IsFinished(task.Id)) && !nodes.Contains(task.Node))
            {
                nodes.Add(task.Node);
            }
        }
        return nodes;
    }

    private void ApplyFinishedTasks(ChannelState<TState> channels, CheckpointTuple tuple) =>
        ApplyFinishedTasks(
            channels,
            tuple,
            channels.PrepareTasks(tuple.Checkpoint.Id, tuple.Config.CheckpointNs, tuple.Metadata.Step + 1),
            new TaskWrites<TState>(Schema, tuple.Config, tuple.PendingWrites));

    private static void ApplyFinishedTasks(ChannelState<TState> channels, CheckpointTuple tuple, List<PregelTask<TState>> tasks, TaskWrites<TState> writes)
    {
        var finished = new List<PregelTask<TState>>();
        foreach (var task in tasks)
        {
            task.Output = writes.FinishedOutput(task.Id);
            if (task.Output is not null)
            {
                finished.Add(task);
            }
        }
        if (finished.Count > 0)
        {
            channels.Apply(finished, tuple.Metadata.Step + 1);
        }
    }

    /// <summary>The node that consumed the newest channel version (LangGraph's as_node inference).</summary>
    private string? LastNode(Checkpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return null;
        }
        string? last = null;
        string? lastVersion = null;
        var ambiguous = false;
        foreach (var (node, seen) in checkpoint.VersionsSeen)
        {
            if (node != Graph.Start && !Topology.Nodes.ContainsKey(node))
            {
                continue;
            }
            foreach (var version in seen.Values)
            {
                var order = ChannelVersions.Compare(version, lastVersion);
                if (order > 0)
                {
                    (last, lastVersion, ambiguous) = (node, version, false);
                }
                else if (order == 0 && last != node)
                {
                    ambiguous = true;
                }
            }
        }
        return ambiguous
            ? throw new InvalidUpdateException($"UpdateStateAsync cannot tell which node ran last ('{last}' and another ran in the same step); pass asNode.")
            : last;
    }

    private GraphConfig RequireThread(GraphConfig config, string operation)
    {
        if (Checkpointer is null)
        {
            throw new GraphGenException($"{operation} needs a checkpointer: compile the graph with CompileOptions.Checkpointer (for example new InMemorySaver()).");
        }
        if (string.IsNullOrEmpty(config.ThreadId))
        {
            throw new MissingThreadIdException(operation);
        }
        return config;
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
