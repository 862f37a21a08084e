using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using GraphGen.Benchmarks.Workloads.Savers;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// W1–W6 as ../shared/bench/WORKLOADS.md and the peer's bench.mjs define them: same graphs, drivers, checks and row
/// fields. Each returns its rows without <c>kind</c>, <c>rep</c> and <c>saver</c>, which the runner adds. A failed
/// check throws <see cref="WorkloadCheckException"/>.
/// </summary>
public static class Workloads
{
    /// <summary>The workloads <c>--workloads</c> can name; W2 also runs W3 on what it wrote.</summary>
    public static IReadOnlyList<string> Ids { get; } = ["W1", "W2", "W4", "W5", "W6"];

    /// <summary>Runs workload <paramref name="id"/> (one of <see cref="Ids"/>) on the context's saver.</summary>
    public static Task<List<JsonObject>> RunAsync(string id, WorkloadContext context, CancellationToken ct = default) => id switch
    {
        "W1" => CounterAsync(context, ct),
        "W2" => ChatAndHistoryAsync(context, ct),
        "W4" => PipelineAsync(context, ct),
        "W5" => BigStateAsync(context, ct),
        "W6" => ConcurrentAsync(context, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, $"Unknown workload; known: {string.Join(", ", Ids)}."),
    };

    /// <summary>W1: n invocations on thread "w1"; each loads the count from the last checkpoint and adds one.</summary>
    private static async Task<List<JsonObject>> CounterAsync(WorkloadContext context, CancellationToken ct)
    {
        var app = CounterGraph.Build().Compile(context.CompileOptions);
        var thread = GraphConfig.ForThread("w1");
        var n = context.Sizes.CounterInvocations;
        var timed = TimedSection.Start();
        for (var i = 1; i <= n; i++)
        {
            var result = await app.InvokeAsync(new CounterState.Update(), thread, ct);
            Check(result.State.Count == i, $"W1 count {result.State.Count} != {i}");
        }
        var time = timed.Stop();
        var counts = context.Saver.Counts;
        var state = await app.GetStateAsync(thread, ct);
        Check(state.Values.Count == n, $"W1 persisted count {state.Values.Count}");
        return [Row("W1_counter", n, "invocations", time, counts, new() { ["final_count"] = state.Values.Count })];
    }

    /// <summary>
    /// W2: threads "w2-t&lt;i&gt;" one after another, turns of one user message each. Then W3: full history listings of
    /// thread "w2-t0".
    /// </summary>
    private static async Task<List<JsonObject>> ChatAndHistoryAsync(WorkloadContext context, CancellationToken ct)
    {
        var app = ChatGraph.Build().Compile(context.CompileOptions);
        var (threads, turns) = (context.Sizes.ChatThreads, context.Sizes.ChatTurns);
        var timed = TimedSection.Start();
        for (var t = 0; t < threads; t++)
        {
            var thread = GraphConfig.ForThread($"w2-t{t}");
            for (var k = 0; k < turns; k++)
            {
                var result = await app.InvokeAsync(new ChatState.Update { Messages = [new Message("user", $"t{t} m{k}")] }, thread, ct);
                Check(result.State.Messages.Count == 2 * (k + 1), $"W2 len {result.State.Messages.Count}");
            }
        }
        var time = timed.Stop();
        var counts = context.Saver.Counts;
        for (var t = 0; t < threads; t++)
        {
            var messages = (await app.GetStateAsync(GraphConfig.ForThread($"w2-t{t}"), ct)).Values.Messages;
            Check(messages.Count == 2 * turns, $"W2 thread {t} has {messages.Count}");
            Check(messages[^1] == new Message("assistant", $"echo: t{t} m{turns - 1}"), $"W2 last message of thread {t}: {messages[^1]}");
        }
        var size = await context.MeasureAsync(ct);
        var chat = Row("W2_chat", threads * turns, "turns", time, counts, size: size);

        // W3 only reads: 3 checkpoints per turn (input, after __start__, after respond).
        var first = GraphConfig.ForThread("w2-t0");
        var listings = context.Sizes.HistoryListings;
        var inThread = 0;
        timed = TimedSection.Start();
        for (var r = 0; r < listings; r++)
        {
            var c = 0;
            await foreach (var snapshot in app.GetStateHistoryAsync(first, ct: ct))
            {
                if (++c == 1)
                {
                    Check(snapshot.Values.Messages.Count == 2 * turns, "W3 head");
                }
            }
            if (r == 0)
            {
                inThread = c;
            }
            else
            {
                Check(c == inThread, "W3 stable count");
            }
        }
        var time3 = timed.Stop();
        Check(inThread == 3 * turns, $"W3 thread w2-t0 has {inThread} checkpoints, not 3 per turn");
        var history = new JsonObject
        {
            ["workload"] = "W3_history",
            ["ops"] = listings,
            ["unit"] = "full listings",
            ["ms"] = time3.Ms,
            ["ms_per_listing"] = time3.Ms / listings,
            ["checkpoints_in_thread"] = inThread,
        };
        AddGcFields(history, time3);
        return [chat, history];
    }

    /// <summary>W4: n invocations of the 10-node pipeline, each on a new thread "w4-&lt;i&gt;".</summary>
    private static async Task<List<JsonObject>> PipelineAsync(WorkloadContext context, CancellationToken ct)
    {
        var app = PipelineGraph.Build().Compile(context.CompileOptions);
        var n = context.Sizes.PipelineInvocations;
        var timed = TimedSection.Start();
        for (var i = 0; i < n; i++)
        {
            var result = await app.InvokeAsync(new PipelineState.Update { Counter = 0 }, GraphConfig.ForThread($"w4-{i}"), ct);
            var state = result.State;
            Check(state.Counter == 10 && state.Log.Count == 10 && state.Log[9] == "n10",
                $"W4 result counter={state.Counter} log=[{string.Join(",", state.Log)}]");
        }
        var time = timed.Stop();
        var counts = context.Saver.Counts;
        Check(counts.Puts == 12L * n, $"W4 wrote {counts.Puts} checkpoints, not 12 per invocation");
        var size = await context.MeasureAsync(ct);
        return [Row("W4_pipeline", n, "invocations", time, counts, size: size)];
    }

    /// <summary>W5: n turns on thread "w5", each appending a 1 KB string; compares the first and last 50 turns.</summary>
    private static async Task<List<JsonObject>> BigStateAsync(WorkloadContext context, CancellationToken ct)
    {
        var app = BigStateGraph.Build().Compile(context.CompileOptions);
        var thread = GraphConfig.ForThread("w5");
        var n = context.Sizes.BigStateTurns;
        var perTurn = new double[n];
        var timed = TimedSection.Start();
        for (var t = 1; t <= n; t++)
        {
            var turnStart = Stopwatch.GetTimestamp();
            await app.InvokeAsync(new BigState.Update { Turn = t }, thread, ct);
            perTurn[t - 1] = Stopwatch.GetElapsedTime(turnStart).TotalMilliseconds;
        }
        var time = timed.Stop();
        var counts = context.Saver.Counts;
        var items = (await app.GetStateAsync(thread, ct)).Values.Items;
        Check(items.Count == n, $"W5 items {items.Count}");
        Check(items[^1] == Blob1k.For(n), "W5 last blob");
        var window = context.Sizes.BigStateWindow;
        var first = perTurn.Take(window).Sum();
        var last = perTurn.Skip(n - window).Sum();
        var size = await context.MeasureAsync(ct);
        return [Row("W5_bigstate", n, "turns", time, counts, new()
        {
            ["first50_turns_per_sec"] = window * 1000 / first,
            ["last50_turns_per_sec"] = window * 1000 / last,
            ["last50_over_first50_time"] = last / first,
        }, size)];
    }

    /// <summary>W6: workers at once, each running its turns on its own thread "w6-&lt;w&gt;"; errors are counted.</summary>
    private static async Task<List<JsonObject>> ConcurrentAsync(WorkloadContext context, CancellationToken ct)
    {
        var app = ChatGraph.Build().Compile(context.CompileOptions);
        var (workers, turns) = (context.Sizes.ConcurrentWorkers, context.Sizes.ConcurrentTurns);
        var errors = new ConcurrentQueue<string>();
        var timed = TimedSection.Start();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var thread = GraphConfig.ForThread($"w6-{w}");
            for (var k = 0; k < turns; k++)
            {
                try
                {
                    await app.InvokeAsync(new ChatState.Update { Messages = [new Message("user", $"w{w} m{k}")] }, thread, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    errors.Enqueue(e.Message.Length > 200 ? e.Message[..200] : e.Message);
                }
            }
        }, ct)));
        var time = timed.Stop();
        var counts = context.Saver.Counts;
        var complete = 0;
        for (var w = 0; w < workers; w++)
        {
            if ((await app.GetStateAsync(GraphConfig.ForThread($"w6-{w}"), ct)).Values.Messages.Count == 2 * turns)
            {
                complete++;
            }
        }
        Check(errors.IsEmpty && complete == workers,
            $"W6 {errors.Count} errors ({string.Join(" | ", errors.Distinct().Take(3))}), {complete} of {workers} threads complete");
        return [Row("W6_concurrent", workers * turns, "turns", time, counts, new()
        {
            ["errors"] = errors.Count,
            ["error_samples"] = new JsonArray([.. errors.Distinct().Take(3).Select(e => (JsonNode)e)]),
            ["threads_complete"] = complete,
        })];
    }

    /// <summary>
    /// A row in the peer's field order. The saver call counts are the peer's <c>checkpoints_written</c> and
    /// <c>put_writes_calls</c>, counted when the timed loop ends; <c>get_tuple_calls</c>, <c>list_calls</c>,
    /// <c>put_batches</c> (the transactions or round trips the puts took) and the GC fields of <see cref="TimedResult"/>
    /// are GraphGen's own.
    /// </summary>
    private static JsonObject Row(string workload, int ops, string unit, TimedResult time, SaverCallCounts counts, JsonObject? fields = null, StorageSize? size = null)
    {
        var row = new JsonObject { ["workload"] = workload, ["ops"] = ops, ["unit"] = unit, ["ms"] = time.Ms };
        foreach (var (key, value) in fields ?? new JsonObject())
        {
            row[key] = value?.DeepClone();
        }
        row["checkpoints_written"] = counts.Puts;
        row["put_writes_calls"] = counts.PutWrites;
        row["get_tuple_calls"] = counts.GetTuples;
        row["list_calls"] = counts.Lists;
        row["put_batches"] = counts.Batches;
        AddGcFields(row, time);
        if (size is { } measured)
        {
            row["db_bytes"] = measured.Bytes;
            row["db_bytes_what"] = measured.What;
        }
        return row;
    }

    /// <summary>What the GC did in a timed section: GraphGen-only fields, to tell whether allocation is where the time went.</summary>
    private static void AddGcFields(JsonObject row, TimedResult time)
    {
        row["alloc_mb"] = Math.Round(time.AllocatedMb, 1);
        row["gc_pause_ms"] = Math.Round(time.GcPauseMs, 1);
        row["gen2_gcs"] = time.Gen2Collections;
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new WorkloadCheckException(message);
        }
    }
}
