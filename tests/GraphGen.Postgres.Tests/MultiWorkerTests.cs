using System.Collections.Concurrent;
using GraphGen.Checkpointing;

namespace GraphGen.Postgres.Tests;

/// <summary>Several workers, each with its own data source (as separate processes would have), sharing one database.</summary>
public sealed class MultiWorkerTests : IAsyncLifetime
{
    private const int Workers = 4;
    private const int Threads = 8;
    private const int Turns = 25;

    private PostgresTestServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = PostgresTestServer.Connect();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Four_workers_run_eight_threads_of_25_turns_and_every_turn_is_there()
    {
        var schema = _server.NewSchema();
        var savers = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => _server.OpenAsync(schema)));
        var graphs = savers.Select(saver => EchoGraph.Build().Compile(new CompileOptions { Checkpointer = saver })).ToArray();
        var errors = new ConcurrentQueue<Exception>();

        // Every thread runs at once; its turns rotate over the workers, so each turn continues what another worker wrote.
        await Task.WhenAll(Enumerable.Range(0, Threads).Select(thread => Task.Run(async () =>
        {
            for (var turn = 0; turn < Turns; turn++)
            {
                try
                {
                    await graphs[(thread + turn) % Workers].InvokeAsync(new ChatLog.Update { Messages = [$"t{thread} m{turn}"] }, GraphConfig.ForThread($"w-{thread}"));
                }
                catch (Exception e)
                {
                    errors.Enqueue(e);
                }
            }
        })));

        Assert.Empty(errors);
        for (var thread = 0; thread < Threads; thread++)
        {
            var expected = Enumerable.Range(0, Turns).SelectMany(turn => new[] { $"t{thread} m{turn}", $"echo: t{thread} m{turn}" });
            var state = await graphs[thread % Workers].GetStateAsync(GraphConfig.ForThread($"w-{thread}"));
            Assert.Equal(expected, state.Values.Messages);
            Assert.Equal(Turns * 3, await savers[0].ListAsync(new CheckpointConfig($"w-{thread}")).CountAsync());
        }
        foreach (var saver in savers)
        {
            await saver.DisposeAsync();
        }
    }

    [Fact]
    public async Task Of_four_workers_putting_on_one_head_exactly_one_wins_and_the_others_conflict()
    {
        var schema = _server.NewSchema();
        var savers = await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => _server.OpenAsync(schema)));
        for (var thread = 0; thread < Threads; thread++)
        {
            var config = new CheckpointConfig($"race-{thread}");
            var (head, version) = await Puts.PutItems(savers[0], config, null, "[0]");
            for (var round = 1; round <= 5; round++)
            {
                var (parent, previous, value) = (head, version, $"[{round}]");
                var results = await Task.WhenAll(savers.Select(saver => Task.Run(async () =>
                {
                    try
                    {
                        return (CheckpointConfig?)(await Puts.PutItems(saver, parent, previous, value)).Config;
                    }
                    catch (CheckpointConflictException conflict) when (conflict.ThreadId == config.ThreadId && conflict.ExpectedParent == parent.CheckpointId)
                    {
                        return null;
                    }
                })));

                head = Assert.Single(results, result => result is not null)!;
                var tuple = await savers[round % Workers].GetTupleAsync(config);
                Assert.Equal((head, parent), (tuple!.Config, tuple.ParentConfig));
                version = tuple.Checkpoint.ChannelVersions["items"];
            }
            Assert.Equal(6, await savers[1].ListAsync(config).CountAsync());
        }
        foreach (var saver in savers)
        {
            await saver.DisposeAsync();
        }
    }
}
