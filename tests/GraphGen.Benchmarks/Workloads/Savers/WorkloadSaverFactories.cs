namespace GraphGen.Benchmarks.Workloads.Savers;

/// <summary>
/// The backends <c>--savers</c> can name. A new backend is one <see cref="IWorkloadSaverFactory"/> and one
/// entry here; the workloads and the runner do not change.
/// </summary>
public static class WorkloadSaverFactories
{
    private static readonly (string Name, Func<IWorkloadSaverFactory> Create)[] Known =
    [
        ("memory", () => new MemoryWorkloadSaverFactory()),
        ("sqlite", () => new SqliteWorkloadSaverFactory()),
        ("postgres", () => new PostgresWorkloadSaverFactory()),
        ("postgres-async-commit", () => new PostgresWorkloadSaverFactory(synchronousCommit: false)),
    ];

    /// <summary>The registered names, in the order the runner uses by default.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Known.Select(known => known.Name)];

    /// <summary>What the runner runs when <c>--savers</c> is not given: every backend whose server is configured.</summary>
    public static IReadOnlyList<string> DefaultNames =>
        [.. Names.Where(name => !name.StartsWith("postgres", StringComparison.Ordinal) || PostgresWorkloadSaverFactory.ConnectionString is not null)];

    /// <summary>A new factory for the backend registered as <paramref name="name"/>, or null when there is none.</summary>
    public static IWorkloadSaverFactory? Create(string name) =>
        Known.FirstOrDefault(known => known.Name == name).Create?.Invoke();
}
