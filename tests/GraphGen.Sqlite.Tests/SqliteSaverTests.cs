using GraphGen.Checkpointing;

namespace GraphGen.Sqlite.Tests;

/// <summary>What only the SQLite saver does: files, schema, deltas on disk, corruption, backup, retention, several connections.</summary>
public sealed class SqliteSaverTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    private static CheckpointConfig Thread(string id) => new(id);

    [Fact]
    public async Task A_thread_continues_after_the_saver_is_reopened()
    {
        using (var saver = _db.Open())
        {
            var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
            for (var i = 0; i < 3; i++)
            {
                await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));
            }
        }
        using (var reopened = _db.Open())
        {
            var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = reopened });
            var result = await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));
            Assert.Equal(4, result.State.Count);
            var history = await graph.GetStateHistoryAsync(GraphConfig.ForThread("t")).ToListAsync();
            Assert.Equal(12, history.Count);
            Assert.Equal([4, 3, 3, 3], history.Take(4).Select(s => s.Values.Count));
        }
    }

    [Fact]
    public async Task History_read_from_a_reopened_file_has_each_checkpoints_own_state_and_shares_list_items()
    {
        using (var saver = _db.Open())
        {
            var graph = LogGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
            for (var i = 0; i < 5; i++)
            {
                await graph.InvokeAsync(new LogState.Update { Turn = i }, GraphConfig.ForThread("t"));
            }
        }
        using var reopened = _db.Open();
        var app = LogGraph.Build().Compile(new CompileOptions { Checkpointer = reopened });

        // Values are read back whole after a reopen: older lists are found to be the newer ones cut by comparing bytes.
        var history = await app.GetStateHistoryAsync(GraphConfig.ForThread("t")).ToListAsync();

        Assert.Equal(15, history.Count);
        foreach (var snapshot in history)
        {
            var whole = SchemaOf<LogState>().ReadState((await reopened.GetTupleAsync(snapshot.Config!))!.Checkpoint.ChannelValues);
            Assert.Equal(whole.Items, snapshot.Values.Items);
            Assert.Equal(whole.Turn, snapshot.Values.Turn);
        }
        var withItems = history.Where(s => s.Values.Items.Count > 0).ToList();
        Assert.Equal(13, withItems.Count);
        Assert.All(withItems, s => Assert.Same(history[0].Values.Items[0], s.Values.Items[0]));
    }

    private static StateSchema<T> SchemaOf<T>() where T : IGraphState<T> => T.Schema;

    [Fact]
    public async Task Batches_queued_behind_the_write_lock_are_all_stored_and_a_refused_one_fails_alone()
    {
        using var saver = _db.Open();
        var (head, _) = await Puts.PutItems(saver, Thread("c"), null, "[1]");
        static CheckpointPut Put(CheckpointConfig parent, string value)
        {
            var (checkpoint, version) = Puts.ItemsCheckpoint(null, value);
            return new(parent, checkpoint, new CheckpointMetadata { Source = CheckpointSource.Loop, Step = 0 }, new Dictionary<string, string> { ["items"] = version });
        }
        static WritesPut Write(CheckpointConfig config, string task) => new(config, [new ChannelWrite("items", "[2]"u8.ToArray())], task);

        // Another connection holds SQLite's write lock, so the batches below queue up behind the first one.
        using var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_db.Path};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }
        var good = Enumerable.Range(0, 8).Select(i =>
        {
            var put = Put(Thread($"g{i}"), $"[{i}]");
            return saver.PutBatchAsync([put, Write(Thread($"g{i}").WithCheckpoint(put.Checkpoint.Id), "task")]).AsTask();
        }).ToList();
        // A writer still on an older head: its writes come first and stay, its checkpoint is refused.
        var stale = saver.PutBatchAsync([Write(head, "late"), Put(Thread("c"), "[9]")]).AsTask();
        await Task.Delay(300, TestContext.Current.CancellationToken);
        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            rollback.ExecuteNonQuery();
        }

        await Task.WhenAll(good);
        var conflict = await Assert.ThrowsAsync<CheckpointConflictException>(() => stale);

        Assert.Equal(("c", head.CheckpointId), (conflict.ThreadId, conflict.ActualHead));
        for (var i = 0; i < 8; i++)
        {
            var tuple = await saver.GetTupleAsync(Thread($"g{i}"), TestContext.Current.CancellationToken);
            Assert.Equal($"[{i}]", System.Text.Encoding.UTF8.GetString(tuple!.Checkpoint.ChannelValues["items"].Span));
            Assert.Equal("task", Assert.Single(tuple.PendingWrites).TaskId);
        }
        var c = await saver.GetTupleAsync(Thread("c"), TestContext.Current.CancellationToken);
        Assert.Equal(head, c!.Config);
        Assert.Equal("late", Assert.Single(c.PendingWrites).TaskId);
        Assert.Equal(9, _db.Scalar("SELECT COUNT(*) FROM checkpoints"));
    }

    [Fact]
    public async Task A_schema_newer_than_the_code_is_a_clear_error_and_the_file_is_left_alone()
    {
        using (var saver = _db.Open())
        {
            await Puts.PutItems(saver, Thread("t"), null, "[1]");
        }
        _db.Execute("INSERT INTO graphgen_migrations (version, applied_at) VALUES (99, 'future')");

        var error = Assert.Throws<SchemaVersionException>(() => _db.Open());
        Assert.Equal(99, error.StoredVersion);
        Assert.Contains("checkpoints.db", error.Message);
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM checkpoints"));
        Assert.Equal(2, _db.Scalar("SELECT COUNT(*) FROM graphgen_migrations"));
    }

    [Fact]
    public async Task Opening_twice_applies_each_migration_once()
    {
        using (_db.Open())
        {
        }
        using (_db.Open())
        {
        }
        Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM graphgen_migrations"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_growing_list_is_stored_as_deltas_and_every_checkpoint_reads_back_exact()
    {
        using var saver = _db.Open(new SqliteSaverOptions { ValueCacheBytes = 0 });
        var config = Thread("t");
        string? version = null;
        var previous = "[]";
        (config, version) = await Puts.PutItems(saver, config, version, previous);
        var ids = new List<(string Id, string Value)>();
        for (var n = 1; n <= 300; n++)
        {
            var value = Puts.Items(n);
            (config, version) = await Puts.PutItems(saver, config, version, value, appendedFrom: previous);
            ids.Add((config.CheckpointId!, value));
            previous = value;
        }

        foreach (var (id, value) in ids)
        {
            Assert.Equal(value, Puts.Text(await saver.GetTupleAsync(Thread("t").WithCheckpoint(id))));
        }
        var wholeBytes = _db.Scalar("SELECT SUM(length(blob)) FROM checkpoint_blobs WHERE base_version IS NULL");
        var deltaBytes = _db.Scalar("SELECT SUM(length(blob)) FROM checkpoint_blobs WHERE base_version IS NOT NULL");
        var finalBytes = System.Text.Encoding.UTF8.GetByteCount(previous);
        // 300 full copies would be ~45 MB; deltas hold each item once and whole values form a geometric series.
        Assert.InRange(deltaBytes, finalBytes / 2, finalBytes);
        Assert.True(wholeBytes < 2.5 * finalBytes, $"whole values take {wholeBytes} bytes for a final value of {finalBytes}");
        // A rebuild reads at most the value's own size in deltas.
        Assert.Equal(0, _db.Scalar("SELECT COUNT(*) FROM checkpoint_blobs WHERE chain_bytes > shared_prefix + length(blob)"));
        Assert.True(_db.Scalar($"SELECT MAX(depth) FROM checkpoint_blobs") <= DeltaStorage.MaxChainLength);
    }

    [Fact]
    public async Task A_delta_whose_base_is_gone_is_a_corrupt_checkpoint_naming_thread_and_checkpoint()
    {
        using (var saver = _db.Open())
        {
            var (first, v1) = await Puts.PutItems(saver, Thread("t"), null, Puts.Items(4));
            await Puts.PutItems(saver, first, v1, Puts.Items(5), appendedFrom: Puts.Items(4));
            await Puts.PutItems(saver, Thread("other"), null, "[1]");
            Assert.Equal(1, _db.Scalar("SELECT COUNT(*) FROM checkpoint_blobs WHERE base_version IS NOT NULL"));
        }
        _db.Execute("DELETE FROM checkpoint_blobs WHERE thread_id = 't' AND base_version IS NULL");

        using var reopened = _db.Open();
        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(async () => await reopened.GetTupleAsync(Thread("t")));
        Assert.Equal("t", error.ThreadId);
        Assert.Contains("missing", error.Message);
        Assert.Equal("[1]", Puts.Text(await reopened.GetTupleAsync(Thread("other"))));
    }

    [Fact]
    public async Task A_malformed_checkpoint_row_is_a_corrupt_checkpoint_and_the_rest_stays_readable()
    {
        using var saver = _db.Open();
        var (first, v1) = await Puts.PutItems(saver, Thread("t"), null, "[1]");
        var (second, _) = await Puts.PutItems(saver, first, v1, "[1,2]");
        await Puts.PutItems(saver, Thread("other"), null, "[3]");
        _db.Execute($"UPDATE checkpoints SET checkpoint = substr(checkpoint, 1, 20) WHERE checkpoint_id = '{second.CheckpointId}'");

        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(async () => await saver.GetTupleAsync(Thread("t")));
        Assert.Equal(("t", second.CheckpointId), (error.ThreadId, error.CheckpointId));
        Assert.Equal("[1]", Puts.Text(await saver.GetTupleAsync(first)));
        Assert.Equal("[3]", Puts.Text(await saver.GetTupleAsync(Thread("other"))));
        await Puts.PutItems(saver, Thread("third"), null, "[4]");
        Assert.Equal(3, await saver.ListThreadsAsync().CountAsync());
    }

    [Fact]
    public async Task Backup_copies_a_database_in_use_into_a_file_another_saver_opens()
    {
        using var saver = _db.Open();
        var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
        await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("a"));
        await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("a"));
        var backupPath = Path.Combine(Path.GetDirectoryName(_db.Path)!, "backup.db");

        await saver.BackupAsync(backupPath);
        await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("a"));

        using var backup = SqliteSaver.Open(backupPath);
        var restored = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = backup });
        Assert.Equal(2, (await restored.GetStateAsync(GraphConfig.ForThread("a"))).Values.Count);
        Assert.Equal(3, (await graph.GetStateAsync(GraphConfig.ForThread("a"))).Values.Count);
    }

    [Fact]
    public async Task Idle_threads_are_deleted_and_active_ones_kept()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        using var saver = _db.Open(new SqliteSaverOptions { TimeProvider = clock });
        await Puts.PutItems(saver, Thread("old"), null, "[1]", ts: clock.GetUtcNow() - TimeSpan.FromDays(40));
        await Puts.PutItems(saver, Thread("recent"), null, "[2]", ts: clock.GetUtcNow() - TimeSpan.FromDays(2));

        var deleted = await saver.DeleteIdleThreadsAsync(TimeSpan.FromDays(30));

        Assert.Equal(["old"], deleted);
        Assert.Equal(["recent"], await saver.ListThreadsAsync().Select(t => t.ThreadId).ToListAsync());
        Assert.Equal(0, _db.Scalar("SELECT COUNT(*) FROM checkpoint_blobs WHERE thread_id = 'old'"));
    }

    [Fact]
    public async Task Keeping_the_last_checkpoints_deletes_older_ones_and_unreferenced_values_but_keeps_delta_chains()
    {
        using var saver = _db.Open(new SqliteSaverOptions { ValueCacheBytes = 0 });
        var config = Thread("t");
        string? version = null;
        var previous = "[]";
        (config, version) = await Puts.PutItems(saver, config, version, previous);
        for (var n = 1; n <= 40; n++)
        {
            var value = Puts.Items(n);
            (config, version) = await Puts.PutItems(saver, config, version, value, appendedFrom: previous);
            previous = value;
        }
        await Puts.PutItems(saver, Thread("small"), null, "[1]");
        var blobsBefore = _db.Scalar("SELECT COUNT(*) FROM checkpoint_blobs WHERE thread_id = 't'");

        var deleted = await saver.KeepLastAsync(2);

        Assert.Equal(39, deleted);
        var kept = await saver.ListAsync(Thread("t")).ToListAsync();
        Assert.Equal(2, kept.Count);
        Assert.Equal(previous, Puts.Text(kept[0]));
        Assert.Equal(Puts.Items(39), Puts.Text(kept[1]));
        Assert.InRange(_db.Scalar("SELECT COUNT(*) FROM checkpoint_blobs WHERE thread_id = 't'"), 2, blobsBefore - 1);
        Assert.Equal("[1]", Puts.Text(await saver.GetTupleAsync(Thread("small"))));
    }

    [Fact]
    public async Task Two_savers_on_one_file_interleave_writes_and_detect_each_others_conflicts()
    {
        using var first = _db.Open();
        using var second = _db.Open();
        var graphs = new[] { first, second }.Select(s => CounterGraph.Build().Compile(new CompileOptions { Checkpointer = s })).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            for (var turn = 0; turn < 10; turn++)
            {
                await graphs[i % 2].InvokeAsync(new CounterState.Update(), GraphConfig.ForThread($"t{i}"));
            }
        })));

        foreach (var i in Enumerable.Range(0, 8))
        {
            Assert.Equal(10, (await graphs[(i + 1) % 2].GetStateAsync(GraphConfig.ForThread($"t{i}"))).Values.Count);
        }
        var head = (await first.GetTupleAsync(Thread("t0")))!.Config;
        await Puts.PutItems(first, head, null, "[1]");
        await Assert.ThrowsAsync<CheckpointConflictException>(async () => await Puts.PutItems(second, head, null, "[2]"));
    }

    [Fact]
    public async Task A_graph_appending_to_a_list_reads_back_the_same_state_after_reopening()
    {
        using (var saver = _db.Open())
        {
            var graph = LogGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
            for (var turn = 1; turn <= 30; turn++)
            {
                await graph.InvokeAsync(new LogState.Update { Turn = turn }, GraphConfig.ForThread("log"));
            }
        }
        using var reopened = _db.Open();
        var state = (await LogGraph.Build().Compile(new CompileOptions { Checkpointer = reopened }).GetStateAsync(GraphConfig.ForThread("log"))).Values;
        Assert.Equal(30, state.Items.Count);
        Assert.Equal(Enumerable.Range(1, 30).Select(t => $"item {t}: " + new string('x', 200)), state.Items);
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
