using System.Text.Json.Nodes;
using GraphGen.Benchmarks.Workloads;
using GraphGen.Benchmarks.Workloads.Savers;
using GraphGen.Checkpointing;

namespace GraphGen.Benchmarks.Tests;

/// <summary>
/// Every workload at smoke size on every saver: its checks pass and its rows report the work WORKLOADS.md
/// describes (3 checkpoints and 2 put-writes calls per one-node invocation, 12 checkpoints per pipeline run).
/// </summary>
public sealed class WorkloadSmokeTests
{
    private static readonly WorkloadSizes Sizes = WorkloadSizes.Smoke;

    public static TheoryData<string> Savers => [.. WorkloadSaverFactories.Names];

    [Theory]
    [MemberData(nameof(Savers))]
    public async Task W1_counts_to_the_number_of_invocations(string saver)
    {
        var row = Assert.Single(await Run("W1", saver));

        Assert.Equal("W1_counter", (string?)row["workload"]);
        Assert.Equal(Sizes.CounterInvocations, (int?)row["final_count"]);
        Assert.Equal(3 * Sizes.CounterInvocations, (long?)row["checkpoints_written"]);
        Assert.Equal(2 * Sizes.CounterInvocations, (long?)row["put_writes_calls"]);
        Assert.True((long?)row["db_bytes"] > 0);
    }

    [Theory]
    [MemberData(nameof(Savers))]
    public async Task W2_keeps_every_thread_and_W3_lists_three_checkpoints_per_turn(string saver)
    {
        var rows = await Run("W2", saver);

        Assert.Equal(["W2_chat", "W3_history"], rows.Select(row => (string?)row["workload"]));
        var turns = Sizes.ChatThreads * Sizes.ChatTurns;
        Assert.Equal(turns, (int?)rows[0]["ops"]);
        Assert.Equal(3 * turns, (long?)rows[0]["checkpoints_written"]);
        Assert.True((long?)rows[0]["db_bytes"] > 0);
        Assert.Equal(3 * Sizes.ChatTurns, (int?)rows[1]["checkpoints_in_thread"]);
        Assert.Equal(Sizes.HistoryListings, (int?)rows[1]["ops"]);
        Assert.False(rows[1].ContainsKey("db_bytes"));
    }

    [Theory]
    [MemberData(nameof(Savers))]
    public async Task W4_writes_twelve_checkpoints_per_pipeline_run(string saver)
    {
        var row = Assert.Single(await Run("W4", saver));

        Assert.Equal(12 * Sizes.PipelineInvocations, (long?)row["checkpoints_written"]);
        Assert.Equal(11 * Sizes.PipelineInvocations, (long?)row["put_writes_calls"]);
    }

    [Theory]
    [MemberData(nameof(Savers))]
    public async Task W5_stores_every_blob(string saver)
    {
        var row = Assert.Single(await Run("W5", saver));

        Assert.Equal(3 * Sizes.BigStateTurns, (long?)row["checkpoints_written"]);
        Assert.True((double?)row["first50_turns_per_sec"] > 0);
        Assert.True((double?)row["last50_over_first50_time"] > 0);
        // At least the blobs themselves, once; a saver may store them more often, not less.
        Assert.True((long?)row["db_bytes"] >= Sizes.BigStateTurns * Blob1k.Length);
    }

    [Theory]
    [MemberData(nameof(Savers))]
    public async Task W6_completes_every_worker_thread_without_errors(string saver)
    {
        var row = Assert.Single(await Run("W6", saver));

        Assert.Equal(0, (int?)row["errors"]);
        Assert.Equal(Sizes.ConcurrentWorkers, (int?)row["threads_complete"]);
        Assert.Equal(3 * Sizes.ConcurrentWorkers * Sizes.ConcurrentTurns, (long?)row["checkpoints_written"]);
    }

    [Fact]
    public async Task A_saver_that_stores_nothing_fails_the_check()
    {
        await using var factory = new DiscardingFactory();

        var row = Assert.Single(await WorkloadRunner.RunOnceAsync("W1", factory, "discarding", Sizes, TestContext.Current.CancellationToken));

        Assert.Contains("verification failed: W1 count 1 != 2", (string?)row["error"]);
    }

    private static async Task<List<JsonObject>> Run(string workload, string saver)
    {
        if (saver.StartsWith("postgres", StringComparison.Ordinal) && PostgresWorkloadSaverFactory.ConnectionString is null && Environment.GetEnvironmentVariable("GRAPHGEN_REQUIRE_POSTGRES") != "1")
        {
            Assert.Skip("No PostgreSQL server: set GRAPHGEN_TEST_POSTGRES to an Npgsql connection string (.ci/run starts one).");
        }
        await using var factory = WorkloadSaverFactories.Create(saver)!;
        var rows = await WorkloadRunner.RunOnceAsync(workload, factory, workload + "_smoke", Sizes, TestContext.Current.CancellationToken);
        Assert.All(rows, row => Assert.False(row.ContainsKey("error"), (string?)row["error"]));
        return rows;
    }

    /// <summary>A wrong backend: its saver accepts every write and stores nothing, so each run starts from scratch.</summary>
    private sealed class DiscardingFactory : IWorkloadSaverFactory, IWorkloadSaver, ICheckpointSaver
    {
        public string Name => "discarding";

        public ICheckpointSaver Saver => this;

        public ValueTask<JsonObject> DescribeAsync(CancellationToken ct = default) => ValueTask.FromResult(new JsonObject());

        public ValueTask<IWorkloadSaver> CreateAsync(string tag, CancellationToken ct = default) => ValueTask.FromResult<IWorkloadSaver>(this);

        public ValueTask<StorageSize> MeasureAsync(CancellationToken ct = default) => ValueTask.FromResult(new StorageSize(0, "nothing"));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<CheckpointTuple?> GetTupleAsync(CheckpointConfig config, CancellationToken ct = default) => ValueTask.FromResult<CheckpointTuple?>(null);

        public IAsyncEnumerable<CheckpointTuple> ListAsync(CheckpointConfig? config, IReadOnlyDictionary<string, object?>? filter = null, CheckpointConfig? before = null, int? limit = null, CancellationToken ct = default) =>
            AsyncEnumerable.Empty<CheckpointTuple>();

        public ValueTask<CheckpointConfig> PutAsync(CheckpointConfig config, Checkpoint checkpoint, CheckpointMetadata metadata, IReadOnlyDictionary<string, string> newVersions, CancellationToken ct = default) =>
            ValueTask.FromResult(config.WithCheckpoint(checkpoint.Id));

        public ValueTask PutWritesAsync(CheckpointConfig config, IReadOnlyList<ChannelWrite> writes, string taskId, string taskPath = "", CancellationToken ct = default) =>
            ValueTask.CompletedTask;

        public ValueTask DeleteThreadAsync(string threadId, CancellationToken ct = default) => ValueTask.CompletedTask;

        public ValueTask PruneAsync(IReadOnlyCollection<string> threadIds, PruneStrategy strategy = PruneStrategy.KeepLatest, CancellationToken ct = default) =>
            ValueTask.CompletedTask;

        public ValueTask CopyThreadAsync(string sourceThreadId, string targetThreadId, CancellationToken ct = default) => ValueTask.CompletedTask;

        public IAsyncEnumerable<ThreadInfo> ListThreadsAsync(CancellationToken ct = default) => AsyncEnumerable.Empty<ThreadInfo>();
    }
}
