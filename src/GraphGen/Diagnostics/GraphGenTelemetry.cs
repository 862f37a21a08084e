using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace GraphGen;

/// <summary>
/// The traces and metrics GraphGen emits, OpenTelemetry-ready without depending on it: subscribe to the
/// <see cref="ActivitySource"/> and <see cref="Meter"/> named <see cref="Name"/> (for example
/// <c>AddSource("GraphGen")</c> and <c>AddMeter("GraphGen")</c>). Nothing is recorded while nobody listens.
/// </summary>
public static class GraphGenTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "GraphGen";

    /// <summary>One activity per run (<c>graphgen.run</c>) and one per node task (<c>graphgen.node</c>).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Counters of supersteps and checkpoints, and a histogram of node durations.</summary>
    public static Meter Meter { get; } = new(Name);

    internal static Counter<long> Supersteps { get; } = Meter.CreateCounter<long>("graphgen.supersteps", description: "Supersteps run.");

    internal static Counter<long> Checkpoints { get; } = Meter.CreateCounter<long>("graphgen.checkpoints", description: "Checkpoints written.");

    internal static Histogram<double> NodeDuration { get; } =
        Meter.CreateHistogram<double>("graphgen.node.duration", unit: "ms", description: "Time a node took, including failed and interrupted runs.");
}
