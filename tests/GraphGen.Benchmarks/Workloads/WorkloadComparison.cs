using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GraphGen.Benchmarks.Workloads;

/// <summary>
/// <c>compare &lt;peer.jsonl&gt; &lt;graphgen.jsonl&gt;</c>: reads the <c>run</c> lines both sides printed over several
/// rounds (compare.sh runs them alternately), takes per (workload, saver) the median of each metric over the rounds,
/// and prints a Markdown table of how many times better GraphGen is, next to issue 7's targets. Exit code 0 when every
/// target with data is met, 1 when one is missed, 2 for unreadable input.
/// </summary>
public static class WorkloadComparison
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Command = "compare";

    /// <summary>How a metric is compared: a rate (more is better), a cost (less is better) or GraphGen's own value.</summary>
    public enum Better { Higher, Lower, AtMost }

    /// <summary>
    /// One compared number, GraphGen and the peer on the saver of the same name. <see cref="Target"/> is the least
    /// advantage (GraphGen ÷ peer for rates, peer ÷ GraphGen for costs) or, for <see cref="Better.AtMost"/>, the most
    /// GraphGen's own value may be; null when only reported.
    /// </summary>
    public sealed record Metric(string Workload, string Saver, string Field, string Label, Better Better, double? Target);

    /// <summary>Issue 7's targets, and the other numbers worth reading next to them, in table order.</summary>
    public static IReadOnlyList<Metric> Metrics { get; } =
    [
        .. For("W1_counter", "ops_per_sec", "invocations/s", Better.Higher, memory: 50, sqlite: 10, postgres: null),
        .. For("W2_chat", "ops_per_sec", "turns/s", Better.Higher, memory: 50, sqlite: 10, postgres: 5),
        .. For("W3_history", "ms_per_listing", "ms per listing", Better.Lower, memory: 20, sqlite: 20, postgres: 20),
        .. For("W4_pipeline", "ops_per_sec", "invocations/s", Better.Higher, memory: 50, sqlite: 10, postgres: null),
        .. For("W5_bigstate", "ops_per_sec", "turns/s", Better.Higher, memory: null, sqlite: null, postgres: null),
        .. For("W5_bigstate", "db_bytes", "stored bytes", Better.Lower, memory: null, sqlite: 50, postgres: 50),
        .. For("W5_bigstate", "last50_over_first50_time", "last 50 ÷ first 50 turns (time)", Better.AtMost, memory: 1.2, sqlite: 1.2, postgres: 1.2),
        .. For("W6_concurrent", "ops_per_sec", "turns/s", Better.Higher, memory: null, sqlite: 10, postgres: 5),
    ];

    private static Metric[] For(string workload, string field, string label, Better better, double? memory, double? sqlite, double? postgres) =>
    [
        new(workload, "memory", field, label, better, memory),
        new(workload, "sqlite", field, label, better, sqlite),
        new(workload, "postgres", field, label, better, postgres),
    ];

    /// <summary>One row of the table: medians over the rounds on both sides, and what they make of the target.</summary>
    public sealed record Row(Metric Metric, double Peer, int PeerRuns, double GraphGen, int GraphGenRuns)
    {
        /// <summary>How many times better GraphGen is (rates: GraphGen ÷ peer; costs: peer ÷ GraphGen); null for AtMost.</summary>
        public double? Advantage => Metric.Better switch
        {
            Better.Higher => GraphGen / Peer,
            Better.Lower => Peer / GraphGen,
            _ => null,
        };

        /// <summary>Whether the target is met; null when the metric has none.</summary>
        public bool? Met => Metric.Target is not { } target ? null
            : Metric.Better == Better.AtMost ? GraphGen <= target
            : Advantage >= target;
    }

    /// <summary>Runs the command; <paramref name="args"/> are the arguments after <see cref="Command"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args is not [var peerPath, var graphGenPath])
        {
            errors.WriteLine($"Usage: {Command} <peer.jsonl> <graphgen.jsonl>");
            return 2;
        }
        List<JsonObject> peer, graphGen;
        try
        {
            peer = ReadLines(peerPath);
            graphGen = ReadLines(graphGenPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            errors.WriteLine(e.Message);
            return 2;
        }
        var rows = Compare(peer, graphGen);
        output.Write(Table(rows));
        return rows.Any(row => row.Met == false) ? 1 : 0;
    }

    /// <summary>The rows for every metric both sides have at least one successful run of.</summary>
    public static List<Row> Compare(IReadOnlyList<JsonObject> peer, IReadOnlyList<JsonObject> graphGen)
    {
        var rows = new List<Row>();
        foreach (var metric in Metrics)
        {
            var peerValues = Values(peer, metric);
            var graphGenValues = Values(graphGen, metric);
            if (peerValues.Length > 0 && graphGenValues.Length > 0)
            {
                rows.Add(new Row(metric, Median(peerValues), peerValues.Length, Median(graphGenValues), graphGenValues.Length));
            }
        }
        return rows;
    }

    /// <summary>The Markdown table of <paramref name="rows"/>.</summary>
    public static string Table(IEnumerable<Row> rows)
    {
        var table = new StringBuilder()
            .AppendLine("| workload | saver | metric | peer | GraphGen | GraphGen advantage | target | met |")
            .AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var row in rows)
        {
            var metric = row.Metric;
            var target = metric.Target is not { } t ? "" : metric.Better == Better.AtMost ? $"≤ {t.ToString(CultureInfo.InvariantCulture)}" : $"≥ {t.ToString(CultureInfo.InvariantCulture)}×";
            var met = row.Met switch { true => "yes", false => "**no**", null => "" };
            var runs = row.PeerRuns == row.GraphGenRuns ? "" : $" (runs: peer {row.PeerRuns}, GraphGen {row.GraphGenRuns})";
            table.AppendLine(CultureInfo.InvariantCulture,
                $"| {metric.Workload} | {metric.Saver} | {metric.Label}{runs} | {Format(row.Peer)} | {Format(row.GraphGen)} | " +
                $"{(row.Advantage is { } advantage ? Format(advantage) + "×" : "")} | {target} | {met} |");
        }
        return table.ToString();
    }

    private static double[] Values(IReadOnlyList<JsonObject> lines, Metric metric) =>
    [
        .. lines
            .Where(line => (string?)line["kind"] == "run" && !line.ContainsKey("error")
                && (string?)line["workload"] == metric.Workload && (string?)line["saver"] == metric.Saver)
            .Select(line => line[metric.Field])
            .OfType<JsonValue>()
            .Select(value => value.GetValue<double>()),
    ];

    private static double Median(double[] values)
    {
        Array.Sort(values);
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string Format(double value) => value switch
    {
        >= 1_000 => value.ToString("N0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static List<JsonObject> ReadLines(string path)
    {
        var lines = new List<JsonObject>();
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('{'))
            {
                continue; // npm and dotnet may print other lines into the same file
            }
            try
            {
                lines.Add(JsonNode.Parse(text)!.AsObject());
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new FormatException($"{path}, line {number}: not a JSON line ({e.Message}).", e);
            }
        }
        return lines;
    }
}
