using System.Runtime;
using System.Text.Json.Nodes;
using GraphGen.Benchmarks.Workloads;

namespace GraphGen.Benchmarks.Tests;

/// <summary>The <c>workloads</c> command line: the peer's JSON-line shape and exit codes.</summary>
public sealed class WorkloadRunnerTests
{
    [Fact]
    public async Task Prints_meta_then_a_run_line_per_rep_then_medians()
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await WorkloadRunner.RunAsync(
            ["--savers", "memory,sqlite", "--workloads", "W1,W2", "--reps", "2", "--size", "smoke"], output, errors, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Equal("", errors.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        var meta = lines[0];
        Assert.Equal("meta", (string?)meta["kind"]);
        Assert.Equal("wal", (string?)meta["savers"]!["sqlite"]!["journal_mode"]);
        Assert.Equal("normal", (string?)meta["savers"]!["sqlite"]!["synchronous"]);
        Assert.False(string.IsNullOrEmpty((string?)meta["sqlite_lib"]));
        // The GC mode moves the in-memory rows (docs/benchmarks.md), so the meta line reports this process's.
        Assert.Equal(GCSettings.IsServerGC, (bool?)meta["server_gc"]);
        Assert.Equal(GCSettings.LatencyMode != GCLatencyMode.Batch, (bool?)meta["background_gc"]);

        // 2 reps × (W1 + W2 + W3) × 2 savers, then one median per (workload, saver).
        var runs = lines.Where(line => (string?)line["kind"] == "run").ToList();
        Assert.Equal(12, runs.Count);
        Assert.All(runs, run => Assert.True((double?)run["ops_per_sec"] > 0));
        Assert.Equal([1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2], runs.Select(run => (int)run["rep"]!));
        var medians = lines.Where(line => (string?)line["kind"] == "median").ToList();
        Assert.Equal(6, medians.Count);
        Assert.Equal(lines.Count, 1 + runs.Count + medians.Count);
        var w1 = medians.Single(m => (string?)m["workload"] == "W1_counter" && (string?)m["saver"] == "memory");
        Assert.Equal(2, (int?)w1["n"]);
        Assert.Equal(WorkloadSizes.Smoke.CounterInvocations, (double?)w1["final_count"]);
        Assert.Equal("invocations", (string?)w1["unit"]);
    }

    [Theory]
    [InlineData("--savers", "oracle")]
    [InlineData("--workloads", "W3")]
    [InlineData("--reps", "0")]
    [InlineData("--size", "huge")]
    [InlineData("--reps")]
    public async Task Bad_arguments_exit_with_2_and_say_what_is_wrong(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await WorkloadRunner.RunAsync(args, output, errors, TestContext.Current.CancellationToken);

        Assert.Equal(2, exit);
        Assert.Equal("", output.ToString());
        Assert.Contains("Usage: workloads", errors.ToString());
    }
}
