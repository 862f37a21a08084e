using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>Runs and nodes show up as activities and metrics under the "GraphGen" name.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task Runs_and_nodes_are_traced_and_measured()
    {
        var activities = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GraphGenTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var durations = new ConcurrentBag<string>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GraphGenTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (instrument.Name == "graphgen.node.duration" && tag.Key == "graphgen.node")
                {
                    durations.Add((string)tag.Value!);
                }
            }
        });
        meters.Start();
        var app = new StateGraph<CounterState>()
            .AddNode("telemetry_probe", s => new CounterState.Update { Count = s.Count + 1 })
            .AddEdge(GraphGen.Graph.Start, "telemetry_probe")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        await app.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("telemetry-thread"));

        var run = Assert.Single(activities, a => a.OperationName == "graphgen.run" && (string?)a.GetTagItem("graphgen.thread_id") == "telemetry-thread");
        var node = Assert.Single(activities, a => a.OperationName == "graphgen.node" && (string?)a.GetTagItem("graphgen.node") == "telemetry_probe");
        Assert.Equal(run.SpanId, node.ParentSpanId);
        Assert.Contains("telemetry_probe", durations);
    }
}
