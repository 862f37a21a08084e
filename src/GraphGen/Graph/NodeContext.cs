using System.Text.Json;
using GraphGen.Checkpointing;
using Microsoft.Extensions.Logging;

namespace GraphGen;

/// <summary>
/// What a running node can reach: its config and thread, the memory store, services, a logger, the custom
/// stream, interrupts, and cancellation. One context per task; not shared between tasks.
/// </summary>
public sealed class NodeContext
{
    private readonly IReadOnlyList<JsonElement> _resumeValues;
    private readonly Action<object?>? _streamWriter;
    private int _interruptCounter;

    internal NodeContext(
        string node,
        string taskId,
        int step,
        GraphConfig config,
        IServiceProvider services,
        Store.IStore? store,
        ILogger logger,
        IReadOnlyList<JsonElement> resumeValues,
        Action<object?>? streamWriter,
        CancellationToken cancellationToken)
    {
        Node = node;
        TaskId = taskId;
        Step = step;
        Config = config;
        Services = services;
        Store = store;
        Logger = logger;
        _resumeValues = resumeValues;
        _streamWriter = streamWriter;
        CancellationToken = cancellationToken;
    }

    /// <summary>The node being run.</summary>
    public string Node { get; }

    /// <summary>The deterministic id of this task.</summary>
    public string TaskId { get; }

    /// <summary>The superstep.</summary>
    public int Step { get; }

    /// <summary>The call's config (thread id, metadata, ...).</summary>
    public GraphConfig Config { get; }

    /// <summary>Services from the compile options or the call's config.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The cross-thread memory store from the compile options, if any (memories shared by all threads).</summary>
    public Store.IStore? Store { get; }

    /// <summary>A logger named after the node.</summary>
    public ILogger Logger { get; }

    /// <summary>Cancelled when the caller cancels the run.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The service of type <typeparamref name="T"/> from <see cref="Services"/>.</summary>
    /// <exception cref="InvalidOperationException">No such service is registered; the message names the node.</exception>
    public T GetRequiredService<T>() where T : notnull =>
        Services.GetService(typeof(T)) is T service
            ? service
            : throw new InvalidOperationException(
                $"Node '{Node}' needs a {typeof(T).Name}, but the graph's services have none. Register it and pass the provider as CompileOptions.Services (or GraphConfig.Services).");

    /// <summary>The memory store.</summary>
    /// <exception cref="InvalidOperationException">The graph was compiled without one; the message names the node.</exception>
    public Store.IStore RequireStore() =>
        Store ?? throw new InvalidOperationException($"Node '{Node}' needs the memory store, but the graph was compiled without one: set CompileOptions.Store.");

    /// <summary>Sends <paramref name="data"/> to callers streaming with <see cref="StreamMode.Custom"/>; ignored otherwise.</summary>
    public void Write(object? data) => _streamWriter?.Invoke(data);

    /// <summary>
    /// Pauses the run for human input. The first time, the node stops here and the run returns with this interrupt
    /// pending; when the caller resumes with a <see cref="Command"/>, the node runs again from its start and this
    /// call returns the resume value. Several calls in one node are matched to resume values in order.
    /// </summary>
    /// <param name="value">What the human should see (a question, a draft, a tool call).</param>
    public JsonElement Interrupt(JsonElement value)
    {
        var index = _interruptCounter++;
        if (index < _resumeValues.Count)
        {
            return _resumeValues[index];
        }
        throw new GraphInterruptSignal(new Interrupt(TaskIds.InterruptId(TaskId, index), value.Clone(), Node));
    }

    /// <summary>Pauses the run for human input with a text payload; see <see cref="Interrupt(JsonElement)"/>.</summary>
    public JsonElement Interrupt(string value) => Interrupt(Json.Of(value));
}

/// <summary>Thrown inside a node to stop it at an interrupt; the runtime catches it. Never catch it in a node.</summary>
internal sealed class GraphInterruptSignal(Interrupt interrupt) : Exception($"Interrupted at node '{interrupt.Node}'.")
{
    public Interrupt Interrupt { get; } = interrupt;
}
