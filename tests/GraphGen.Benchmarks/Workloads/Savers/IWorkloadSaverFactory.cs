using System.Text.Json.Nodes;

namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>One backend of the workload runner, registered by <see cref="Name"/> in <see cref="WorkloadSaverFactories"/>.</summary>
public interface IWorkloadSaverFactory : IAsyncDisposable
{
    /// <summary>The name <c>--savers</c> selects it by and the rows report as <c>saver</c> (the peer's names).</summary>
    string Name { get; }

    /// <summary>The settings the savers run with (journal mode, durability, ...), for the <c>meta</c> line.</summary>
    ValueTask<JsonObject> DescribeAsync(CancellationToken ct = default);

    /// <summary>A new, empty saver; <paramref name="tag"/> (<c>W1_2</c>: workload and rep) names its storage.</summary>
    ValueTask<IWorkloadSaver> CreateAsync(string tag, CancellationToken ct = default);
}
