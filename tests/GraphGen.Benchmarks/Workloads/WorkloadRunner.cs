using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphGen.Benchmarks.Workloads.Savers;
using GraphGen.Checkpointing;
using GraphGen.Sqlite;
using Microsoft.Data.Sqlite;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// <c>workloads [--savers memory,sqlite] [--workloads W1,W2,W4,W5,W6] [--reps N] [--size full|smoke]</c>: runs W1–W6
/// like the peer's bench.mjs and prints the same JSON lines — a <c>meta</c> line, one <c>run</c> line per (rep,
/// workload, saver), then one <c>median</c> line per (workload, saver). Exit code 0 when every check passed, 1 when
/// one failed (its row carries <c>error</c>), 2 for bad arguments.
/// </summary>
public static class WorkloadRunner
{
    /// <summary>The first argument that selects this mode instead of BenchmarkDotNet.</summary>
    public const string Command = "workloads";

    private static readonly JsonSerializerOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Fields the median line does not take a median of (the peer's list).
    private static readonly HashSet<string> NotMedianed = ["kind", "rep", "saver", "workload", "unit", "db_bytes_what", "error_samples"];

    /// <summary>Runs the workloads; <paramref name="args"/> are the arguments after <see cref="Command"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct = default)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await errors.WriteLineAsync($"{problem}\nUsage: {Command} [--savers {string.Join(",", WorkloadSaverFactories.Names)}] " +
                $"[--workloads {string.Join(",", Workloads.Ids)}] [--reps N] [--size full|smoke]").ConfigureAwait(false);
            return 2;
        }
        var factories = new List<IWorkloadSaverFactory>();
        try
        {
            foreach (var name in options.Savers)
            {
                factories.Add(WorkloadSaverFactories.Create(name)!);
            }
        }
        catch (InvalidOperationException e)
        {
            // A backend that cannot run here (no server configured): say so, without a stack trace.
            await errors.WriteLineAsync(e.Message).ConfigureAwait(false);
            await Task.WhenAll(factories.Select(factory => factory.DisposeAsync().AsTask())).ConfigureAwait(false);
            return 2;
        }
        try
        {
            void Emit(JsonObject line)
            {
                output.WriteLine(line.ToJsonString(LineOptions));
                output.Flush();
            }

            Emit(await MetaAsync(options, factories, ct).ConfigureAwait(false));
            if (await WarmUpAsync(options, factories, ct).ConfigureAwait(false) is { } warmUpError)
            {
                await errors.WriteLineAsync(warmUpError).ConfigureAwait(false);
                return 1;
            }

            var results = new List<JsonObject>();
            var failed = false;
            for (var rep = 1; rep <= options.Reps; rep++)
            {
                foreach (var workload in options.Workloads)
                {
                    foreach (var factory in factories)
                    {
                        var rows = await RunOnceAsync(workload, factory, $"{workload}_{rep}", options.Sizes, ct).ConfigureAwait(false);
                        foreach (var row in rows)
                        {
                            var line = RunLine(rep, factory.Name, row);
                            failed |= line.ContainsKey("error");
                            Emit(line);
                            results.Add(line);
                        }
                        GC.Collect();
                        GC.WaitForPendingFinalizers();
                    }
                }
            }
            foreach (var median in Medians(results))
            {
                Emit(median);
            }
            return failed ? 1 : 0;
        }
        finally
        {
            foreach (var factory in factories)
            {
                await factory.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One workload on a fresh saver of <paramref name="factory"/>. A failed check or any other exception becomes a
    /// row with <c>error</c>, as in the peer. Rows without a size get one measured at the end, on the last row.
    /// </summary>
    public static async Task<List<JsonObject>> RunOnceAsync(string workload, IWorkloadSaverFactory factory, string tag, WorkloadSizes sizes, CancellationToken ct = default)
    {
        await using var saver = await factory.CreateAsync(tag, ct).ConfigureAwait(false);
        List<JsonObject> rows;
        try
        {
            rows = await Workloads.RunAsync(workload, new WorkloadContext(saver, sizes), ct).ConfigureAwait(false);
            if (!rows.Any(row => row.ContainsKey("db_bytes")))
            {
                var size = await saver.MeasureAsync(ct).ConfigureAwait(false);
                rows[^1]["db_bytes"] = size.Bytes;
                rows[^1]["db_bytes_what"] = size.What;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            rows = [new JsonObject { ["workload"] = workload, ["error"] = e.ToString() }];
        }
        return rows;
    }

    private static JsonObject RunLine(int rep, string saver, JsonObject row)
    {
        var line = new JsonObject { ["kind"] = "run", ["rep"] = rep, ["saver"] = saver };
        foreach (var (key, value) in row)
        {
            line[key] = value?.DeepClone();
        }
        if (row["ms"] is { } msNode)
        {
            var ms = msNode.GetValue<double>();
            line["ms"] = Math.Round(ms, 1);
            line["ops_per_sec"] = Math.Round(Number(row["ops"]!) * 1000 / ms, 2);
        }
        return line;
    }

    /// <summary>Per (workload, saver), the median of every numeric field over the reps, each field on its own.</summary>
    private static IEnumerable<JsonObject> Medians(List<JsonObject> results)
    {
        var groups = results
            .Where(line => !line.ContainsKey("error"))
            .GroupBy(line => (Workload: (string)line["workload"]!, Saver: (string)line["saver"]!));
        foreach (var group in groups)
        {
            var lines = group.ToList();
            var median = new JsonObject { ["kind"] = "median", ["workload"] = group.Key.Workload, ["saver"] = group.Key.Saver, ["n"] = lines.Count };
            foreach (var (key, value) in lines[0])
            {
                if (!NotMedianed.Contains(key) && value is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                {
                    median[key] = Math.Round(Median([.. lines.Select(line => Number(line[key]!))]), 3);
                }
            }
            median["unit"] = lines[0]["unit"]?.DeepClone();
            if (lines[0]["db_bytes_what"] is { } what)
            {
                median["db_bytes_what"] = what.DeepClone();
            }
            yield return median;
        }
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    /// <summary>
    /// Unrecorded: the peer's warm-up (200 chat turns on a memory saver, 5 threads), then passes of every selected
    /// workload at <see cref="WorkloadSizes.WarmUp"/> size on every selected saver (smoke runs: one pass at smoke size),
    /// so that rep 1 does not measure .NET's tiered JIT, which optimizes later than V8: a hot method is recompiled in
    /// the background only after a quiet period, and twice with dynamic PGO (instrumented, then final). Passes repeat,
    /// each followed by a pause, until one leaves the JIT almost nothing new to compile. Returns the first failure,
    /// which fails the run.
    /// </summary>
    private static async Task<string?> WarmUpAsync(RunOptions options, List<IWorkloadSaverFactory> factories, CancellationToken ct)
    {
        var app = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
        for (var k = 0; k < 200; k++)
        {
            await app.InvokeAsync(new ChatState.Update { Messages = [new Message("user", "x")] }, GraphConfig.ForThread($"warm-{k % 5}"), ct).ConfigureAwait(false);
        }
        var smoke = options.Sizes == WorkloadSizes.Smoke;
        for (var pass = 1; pass <= (smoke ? 1 : MaxWarmUpPasses); pass++)
        {
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (await WarmUpPassAsync(options, factories, smoke ? WorkloadSizes.Smoke : WorkloadSizes.WarmUp, ct).ConfigureAwait(false) is { } error)
            {
                return error;
            }
            if (!smoke)
            {
                await Task.Delay(WarmUpPause, ct).ConfigureAwait(false);
            }
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
            Console.Error.WriteLine($"warm-up pass {pass}: {compiled} methods compiled");
            if (compiled <= SettledCompilations)
            {
                break;
            }
        }
        return null;
    }

    private const int MaxWarmUpPasses = 8;
    private const int SettledCompilations = 10;
    private static readonly TimeSpan WarmUpPause = TimeSpan.FromMilliseconds(300);

    private static async Task<string?> WarmUpPassAsync(RunOptions options, List<IWorkloadSaverFactory> factories, WorkloadSizes sizes, CancellationToken ct)
    {
        foreach (var workload in options.Workloads)
        {
            foreach (var factory in factories)
            {
                var rows = await RunOnceAsync(workload, factory, $"warm_{workload}", sizes, ct).ConfigureAwait(false);
                if (rows.FirstOrDefault(row => row.ContainsKey("error")) is { } failed)
                {
                    return $"The warm-up of {workload} on {factory.Name} failed: {failed["error"]}";
                }
            }
        }
        return null;
    }

    private static async Task<JsonObject> MetaAsync(RunOptions options, List<IWorkloadSaverFactory> factories, CancellationToken ct)
    {
        var savers = new JsonObject();
        foreach (var factory in factories)
        {
            savers[factory.Name] = await factory.DescribeAsync(ct).ConfigureAwait(false);
        }
        return new JsonObject
        {
            ["kind"] = "meta",
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["os"] = RuntimeInformation.OSDescription,
            ["nproc"] = Environment.ProcessorCount,
            ["mem_gb"] = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (double)(1L << 30), 1),
            ["cpu"] = CpuModel(),
            ["load_avg"] = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null,
            ["configuration"] = Configuration,
            ["server_gc"] = GCSettings.IsServerGC,
            // Batch is the latency mode the runtime takes when background (concurrent) collections are off.
            ["background_gc"] = GCSettings.LatencyMode != GCLatencyMode.Batch,
            ["versions"] = new JsonObject
            {
                ["GraphGen"] = VersionOf(typeof(ICheckpointSaver).Assembly),
                ["GraphGen.Sqlite"] = VersionOf(typeof(SqliteSaver).Assembly),
                ["Microsoft.Data.Sqlite"] = VersionOf(typeof(SqliteConnection).Assembly),
                ["SQLitePCLRaw.core"] = VersionOf(typeof(SQLitePCL.raw).Assembly),
            },
            ["sqlite_lib"] = SqliteWorkloadSaverFactory.LibraryVersion(),
            ["reps"] = options.Reps,
            ["size"] = options.SizeName,
            ["durability"] = "default (Async)",
            ["savers"] = savers,
        };
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string? VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString();

    private static string? CpuModel() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : RuntimeInformation.ProcessArchitecture.ToString();

    private sealed record RunOptions(IReadOnlyList<string> Savers, IReadOnlyList<string> Workloads, int Reps, string SizeName, WorkloadSizes Sizes);

    private static bool TryParse(string[] args, out RunOptions options, out string problem)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["savers"] = string.Join(",", WorkloadSaverFactories.DefaultNames),
            ["workloads"] = string.Join(",", Workloads.Ids),
            ["reps"] = "3",
            ["size"] = "full",
        };
        options = null!;
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || !values.ContainsKey(args[i][2..]) || i + 1 >= args.Length)
            {
                problem = $"Unknown or incomplete argument '{args[i]}'.";
                return false;
            }
            values[args[i][2..]] = args[i + 1];
        }
        var savers = values["savers"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var workloads = values["workloads"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (savers.FirstOrDefault(s => !WorkloadSaverFactories.Names.Contains(s)) is { } saver)
        {
            problem = $"Unknown saver '{saver}'; known: {string.Join(", ", WorkloadSaverFactories.Names)}.";
            return false;
        }
        if (workloads.FirstOrDefault(w => !Workloads.Ids.Contains(w)) is { } workload)
        {
            problem = $"Unknown workload '{workload}'; known: {string.Join(", ", Workloads.Ids)} (W3 runs after W2).";
            return false;
        }
        if (!int.TryParse(values["reps"], NumberStyles.None, CultureInfo.InvariantCulture, out var reps) || reps < 1)
        {
            problem = $"--reps must be a positive integer, not '{values["reps"]}'.";
            return false;
        }
        WorkloadSizes? sizes = values["size"] switch { "full" => WorkloadSizes.Full, "smoke" => WorkloadSizes.Smoke, _ => null };
        if (sizes is null || savers.Length == 0 || workloads.Length == 0)
        {
            problem = sizes is null ? $"--size must be full or smoke, not '{values["size"]}'." : "Select at least one saver and one workload.";
            return false;
        }
        options = new RunOptions(savers, workloads, reps, values["size"], sizes);
        problem = "";
        return true;
    }
}
