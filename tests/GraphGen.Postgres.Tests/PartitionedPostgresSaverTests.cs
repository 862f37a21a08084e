using GraphGen.Checkpointing;
using Npgsql;

namespace GraphGen.Postgres.Tests;

/// <summary>Partitioning threads over databases: stable routing, listing across partitions, moving threads when partitions are added.</summary>
public sealed class PartitionedPostgresSaverTests : IAsyncLifetime
{
    private PostgresTestServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = PostgresTestServer.Connect();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Routing_is_stable_spreads_threads_and_moves_few_when_a_partition_is_added()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").ToList();
        var onThree = ids.Select(id => PartitionedPostgresSaver.PartitionIndex(id, 3)).ToList();
        var onFour = ids.Select(id => PartitionedPostgresSaver.PartitionIndex(id, 4)).ToList();

        // Fixed values: the same in every process and .NET version (string.GetHashCode is randomized per process).
        Assert.Equal([1, 1, 0, 1, 1], ids.Take(5).Select(id => PartitionedPostgresSaver.PartitionIndex(id, 3)));
        Assert.All(onThree.CountBy(p => p), group => Assert.InRange(group.Value, 3000, 3700));
        var moved = onThree.Zip(onFour).Count(pair => pair.First != pair.Second);
        Assert.InRange(moved, 2200, 2800);
        Assert.All(onThree.Zip(onFour).Where(pair => pair.First != pair.Second), pair => Assert.Equal(3, pair.Second));
    }

    [Fact]
    public async Task Threads_live_in_separate_databases_are_listed_across_them_and_moved_when_a_partition_is_added()
    {
        var databases = await CreateDatabasesAsync(3);
        try
        {
            var partitions = new List<PostgresSaver>();
            foreach (var database in databases.Take(2))
            {
                partitions.Add(await PostgresSaver.OpenAsync(database));
            }
            var ids = Enumerable.Range(0, 12).Select(i => $"thread-{i}").ToList();
            await using (var two = new PartitionedPostgresSaver(partitions))
            {
                var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = two });
                foreach (var id in ids)
                {
                    await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread(id));
                }
                Assert.All(partitions, p => Assert.NotEmpty(p.ListThreadsAsync().ToBlockingEnumerable()));
                Assert.Equal(ids.Order(StringComparer.Ordinal), await two.ListThreadsAsync().Select(t => t.ThreadId).ToListAsync());
            }

            var grown = new List<PostgresSaver>();
            foreach (var database in databases)
            {
                grown.Add(await PostgresSaver.OpenAsync(database));
            }
            await using var three = new PartitionedPostgresSaver(grown);
            var belongOnThird = ids.Where(id => PartitionedPostgresSaver.PartitionIndex(id, 3) == 2).ToList();
            Assert.NotEmpty(belongOnThird);

            var moved = await three.RebalanceAsync();

            Assert.Equal(belongOnThird.Count, moved);
            Assert.Equal(belongOnThird.Order(StringComparer.Ordinal), await grown[2].ListThreadsAsync().Select(t => t.ThreadId).ToListAsync());
            var graphOnThree = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = three });
            foreach (var id in ids)
            {
                Assert.Equal(2, (await graphOnThree.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread(id))).State.Count);
                Assert.Equal(6, await three.ListAsync(new CheckpointConfig(id)).CountAsync());
            }
            var all = await three.ListAsync(null).Select(t => t.Config.CheckpointId!).ToListAsync();
            Assert.Equal(ids.Count * 6, all.Count);
            Assert.Equal(all.OrderDescending(StringComparer.Ordinal), all);
        }
        finally
        {
            await DropDatabasesAsync(databases);
        }
    }

    private async Task<List<string>> CreateDatabasesAsync(int count)
    {
        var connectionStrings = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = "graphgen_test_" + Guid.NewGuid().ToString("N")[..12];
            await _server.ScalarAsync($"CREATE DATABASE {name}");
            connectionStrings.Add(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name }.ToString());
        }
        return connectionStrings;
    }

    private async Task DropDatabasesAsync(List<string> connectionStrings)
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var connectionString in connectionStrings)
        {
            await _server.ScalarAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connectionString).Database} WITH (FORCE)");
        }
    }
}
