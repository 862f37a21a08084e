using System.Text.Json.Nodes;
using GraphGen.Benchmarks.Workloads;

namespace GraphGen.Benchmarks.Tests;

/// <summary>The <c>compare</c> command: medians over rounds, ratios in the right direction, targets judged.</summary>
public sealed class WorkloadComparisonTests
{
    private static JsonObject Run(string workload, string saver, string field, double value) =>
        new() { ["kind"] = "run", ["rep"] = 1, ["workload"] = workload, ["saver"] = saver, [field] = value };

    [Fact]
    public void Rates_are_GraphGen_over_peer_and_costs_peer_over_GraphGen_each_a_median_over_rounds()
    {
        List<JsonObject> peer =
        [
            Run("W2_chat", "sqlite", "ops_per_sec", 400), Run("W2_chat", "sqlite", "ops_per_sec", 500), Run("W2_chat", "sqlite", "ops_per_sec", 100),
            Run("W3_history", "sqlite", "ms_per_listing", 12),
        ];
        List<JsonObject> graphGen =
        [
            Run("W2_chat", "sqlite", "ops_per_sec", 5_000), Run("W2_chat", "sqlite", "ops_per_sec", 3_000), Run("W2_chat", "sqlite", "ops_per_sec", 90_000),
            Run("W3_history", "sqlite", "ms_per_listing", 1.5),
        ];

        var rows = WorkloadComparison.Compare(peer, graphGen);

        Assert.Equal(2, rows.Count);
        var chat = rows.Single(row => row.Metric.Workload == "W2_chat");
        Assert.Equal((400, 5_000, 3, 3), (chat.Peer, chat.GraphGen, chat.PeerRuns, chat.GraphGenRuns));
        Assert.Equal(12.5, chat.Advantage);
        Assert.True(chat.Met); // target 10×
        var history = rows.Single(row => row.Metric.Workload == "W3_history");
        Assert.Equal(8, history.Advantage);
        Assert.False(history.Met); // target 20×
    }

    [Fact]
    public void The_W5_time_ratio_is_judged_on_GraphGens_own_value_and_failed_runs_are_left_out()
    {
        List<JsonObject> peer = [Run("W5_bigstate", "sqlite", "last50_over_first50_time", 3.0)];
        var failed = Run("W5_bigstate", "sqlite", "last50_over_first50_time", 0.5);
        failed["error"] = "boom";
        List<JsonObject> graphGen = [Run("W5_bigstate", "sqlite", "last50_over_first50_time", 1.3), failed];

        var row = Assert.Single(WorkloadComparison.Compare(peer, graphGen));

        Assert.Equal(1, row.GraphGenRuns);
        Assert.Null(row.Advantage);
        Assert.False(row.Met); // 1.3 > 1.2
        Assert.Contains("| W5_bigstate | sqlite | last 50 ÷ first 50 turns (time) | 3.00 | 1.30 |  | ≤ 1.2 | **no** |", WorkloadComparison.Table([row]));
    }

    [Fact]
    public void The_command_reads_two_files_skips_non_json_lines_and_exits_1_when_a_target_is_missed()
    {
        var peerPath = Path.GetTempFileName();
        var graphGenPath = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(peerPath, ["npm notice something", Run("W1_counter", "memory", "ops_per_sec", 500).ToJsonString()]);
            File.WriteAllLines(graphGenPath, [Run("W1_counter", "memory", "ops_per_sec", 10_000).ToJsonString()]);
            var output = new StringWriter();
            var errors = new StringWriter();

            var exit = WorkloadComparison.Run([peerPath, graphGenPath], output, errors);

            Assert.Equal(1, exit); // 20× against a 50× target
            Assert.Equal("", errors.ToString());
            Assert.Contains("| W1_counter | memory | invocations/s | 500 | 10,000 | 20.0× | ≥ 50× | **no** |", output.ToString());
        }
        finally
        {
            File.Delete(peerPath);
            File.Delete(graphGenPath);
        }
    }

    [Fact]
    public void A_broken_line_is_a_clear_error_naming_file_and_line()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, [Run("W1_counter", "memory", "ops_per_sec", 1).ToJsonString(), "{\"kind\": "]);
            var errors = new StringWriter();

            var exit = WorkloadComparison.Run([path, path], new StringWriter(), errors);

            Assert.Equal(2, exit);
            Assert.Contains($"{path}, line 2: not a JSON line", errors.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
