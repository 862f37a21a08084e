using BenchmarkDotNet.Attributes;
using GraphGen.Benchmarks.Workloads;
using GraphGen.Checkpointing;
using GraphGen.Sqlite;

namespace GraphGen.Benchmarks;

/// <summary>The savers the runtime micro benchmarks run on: none, in memory, or a SQLite file with default options.</summary>
public enum BenchSaver { None, Memory, Sqlite }

/// <summary>Creates and deletes the saver of a <see cref="BenchSaver"/>; one SQLite file per benchmark case.</summary>
public sealed class BenchSaverHost : IDisposable
{
    private readonly string? _folder;

    private BenchSaverHost(ICheckpointSaver? saver, string? folder) => (Saver, _folder) = (saver, folder);

    /// <summary>The saver, or null for <see cref="BenchSaver.None"/>.</summary>
    public ICheckpointSaver? Saver { get; }

    /// <summary>A fresh saver of the kind asked for.</summary>
    public static BenchSaverHost Create(BenchSaver kind)
    {
        if (kind != BenchSaver.Sqlite)
        {
            return new BenchSaverHost(kind == BenchSaver.Memory ? new InMemorySaver() : null, null);
        }
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "graphgen-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        return new BenchSaverHost(SqliteSaver.Open(Path.Combine(folder, "bench.db")), folder);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        (Saver as IDisposable)?.Dispose();
        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>
/// What the runtime costs per superstep: W4's ten-node pipeline invoked on a new thread each time (12 checkpoints with
/// a saver: input, ten steps, and the loop's first), reported per superstep (ten per invocation).
/// </summary>
[MemoryDiagnoser]
public class InvokeBenchmarks
{
    private const int Supersteps = 10;
    private BenchSaverHost _host = null!;
    private CompiledGraph<PipelineState> _app = null!;
    private int _thread;

    [Params(BenchSaver.None, BenchSaver.Memory, BenchSaver.Sqlite)]
    public BenchSaver Saver { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _host = BenchSaverHost.Create(Saver);
        _app = PipelineGraph.Build().Compile(new CompileOptions { Checkpointer = _host.Saver });
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(OperationsPerInvoke = Supersteps)]
    public async Task<int?> PipelinePerSuperstep()
    {
        var config = _host.Saver is null ? null : GraphConfig.ForThread($"t{_thread++}");
        var result = await _app.InvokeAsync(new PipelineState.Update(), config);
        return result.State.Counter;
    }
}

/// <summary>
/// One checkpoint written and one read. <c>UpdateStateAsync</c> writes one message to a new thread each time (one
/// checkpoint: the message serialized, the saver's put; a growing thread would measure its growth instead);
/// <c>GetTupleAsync</c> reads the latest checkpoint of a chat thread of 40 messages back from the saver (what every
/// invocation starts with when the runtime's state cache misses).
/// </summary>
[MemoryDiagnoser]
public class CheckpointBenchmarks
{
    private static readonly GraphConfig Thread = GraphConfig.ForThread("chat");
    private BenchSaverHost _host = null!;
    private CompiledGraph<ChatState> _app = null!;
    private int _written;

    [Params(BenchSaver.Memory, BenchSaver.Sqlite)]
    public BenchSaver Saver { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _host = BenchSaverHost.Create(Saver);
        _app = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = _host.Saver });
        for (var turn = 0; turn < 20; turn++)
        {
            await _app.InvokeAsync(new ChatState.Update { Messages = [new Message("user", $"m{turn}")] }, Thread);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public Task<GraphConfig> WriteCheckpoint() =>
        _app.UpdateStateAsync(GraphConfig.ForThread($"w{_written++}"), new ChatState.Update { Messages = [new Message("user", "one more")] }, asNode: "respond");

    [Benchmark]
    public ValueTask<CheckpointTuple?> ReadLatestCheckpoint() => _host.Saver!.GetTupleAsync(new CheckpointConfig("chat"));
}

/// <summary>W3's listing: the whole state history of one chat thread of 60 checkpoints, newest first.</summary>
[MemoryDiagnoser]
public class HistoryBenchmarks
{
    private static readonly GraphConfig Thread = GraphConfig.ForThread("w2-t0");
    private BenchSaverHost _host = null!;
    private CompiledGraph<ChatState> _app = null!;

    [Params(BenchSaver.Memory, BenchSaver.Sqlite)]
    public BenchSaver Saver { get; set; }

    [GlobalSetup]
    public async Task Setup()
    {
        _host = BenchSaverHost.Create(Saver);
        _app = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = _host.Saver });
        for (var turn = 0; turn < 20; turn++)
        {
            await _app.InvokeAsync(new ChatState.Update { Messages = [new Message("user", $"m{turn}")] }, Thread);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark]
    public async Task<int> ListHistory60()
    {
        var count = 0;
        await foreach (var _ in _app.GetStateHistoryAsync(Thread))
        {
            count++;
        }
        return count == 60 ? count : throw new InvalidOperationException($"Expected 60 checkpoints, listed {count}.");
    }
}
