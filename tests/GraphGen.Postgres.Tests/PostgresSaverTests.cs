using GraphGen.Checkpointing;

namespace GraphGen.Postgres.Tests;

/// <summary>What only the PostgreSQL saver does: schemas and migrations, deltas on disk, corrupt rows, retention, options.</summary>
public sealed class PostgresSaverTests : IAsyncLifetime
{
    private PostgresTestServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = PostgresTestServer.Connect();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static CheckpointConfig Thread(string id) => new(id);

    [Fact]
    public async Task A_thread_continues_after_the_saver_is_reopened()
    {
        var schema = _server.NewSchema();
        await using (var saver = await _server.OpenAsync(schema))
        {
            var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
            for (var i = 0; i < 3; i++)
            {
                await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));
            }
        }
        await using var reopened = await _server.OpenAsync(schema);
        var again = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = reopened });
        Assert.Equal(4, (await again.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"))).State.Count);
        Assert.Equal(12, await again.GetStateHistoryAsync(GraphConfig.ForThread("t")).CountAsync());
    }

    /// <summary>
    /// 70 checkpoints, all but the newest with writes, listed as rows (one per write): read by one statement when they
    /// fit in it (277 rows in 500, or in exactly 277), else through the cursor (277 rows in 276, or 622 in 500), whose
    /// 100-row pages end inside checkpoints.
    /// </summary>
    [Theory]
    [InlineData(4, 500)]
    [InlineData(4, 277)]
    [InlineData(4, 276)]
    [InlineData(9, 500)]
    public async Task A_listing_gives_each_checkpoint_all_of_its_own_writes_in_one_statement_or_in_cursor_pages(int writesEach, int oneStatementRows)
    {
        await using var saver = await _server.OpenAsync(_server.NewSchema(), new PostgresSaverOptions { ListOneStatementRows = oneStatementRows });
        var (head, version) = await Puts.PutItems(saver, Thread("t"), null, "[]");
        for (var i = 1; i < 70; i++)
        {
            await saver.PutWritesAsync(head, [.. Enumerable.Range(0, writesEach).Select(k => new ChannelWrite($"ch{k}", System.Text.Encoding.UTF8.GetBytes($"{i}")))], $"task-{i % 3}");
            (head, version) = await Puts.PutItems(saver, head, version, $"[{i}]");
        }

        var listed = await saver.ListAsync(Thread("t")).ToListAsync();

        Assert.Equal(70, listed.Count);
        Assert.Equal(69 * writesEach, listed.Sum(t => t.PendingWrites.Count));
        foreach (var tuple in listed)
        {
            var own = (await saver.GetTupleAsync(tuple.Config))!.PendingWrites;
            Assert.Equal(own.Select(w => (w.TaskId, w.Channel, w.Value.ToArray())), tuple.PendingWrites.Select(w => (w.TaskId, w.Channel, w.Value.ToArray())));
        }
    }

    /// <summary>
    /// A thread deleted after a read's rows but before its values (held back by a lock on the values table here) reads
    /// as gone, from one snapshot, never as checkpoints with their values missing.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_read_whose_values_are_deleted_after_its_rows_is_read_again_from_one_snapshot(bool list)
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema, new PostgresSaverOptions { ValueCacheBytes = 0 });
        var (first, version) = await Puts.PutItems(saver, Thread("t"), null, "[1]");
        await Puts.PutItems(saver, first, version, "[1,2]");
        await using var blocker = await _server.DataSource.OpenConnectionAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockValues = new Npgsql.NpgsqlCommand($"LOCK TABLE {schema}.checkpoint_blobs IN ACCESS EXCLUSIVE MODE", blocker, transaction))
        {
            await lockValues.ExecuteNonQueryAsync();
        }

        var read = list
            ? saver.ListAsync(Thread("t")).ToListAsync().AsTask()
            : saver.GetTupleAsync(Thread("t")).AsTask().ContinueWith(t => t.Result is { } tuple ? new List<CheckpointTuple> { tuple } : [], TaskScheduler.Default);
        for (var waited = 0; await _server.CountAsync($"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%{schema}%checkpoint_blobs%'") == 0; waited++)
        {
            Assert.True(waited < 500, "the read never reached the values table");
            await Task.Delay(20);
        }
        await using (var delete = new Npgsql.NpgsqlCommand($"DELETE FROM {schema}.checkpoint_writes; DELETE FROM {schema}.checkpoint_blobs; DELETE FROM {schema}.checkpoints", blocker, transaction))
        {
            await delete.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();

        Assert.Empty(await read);
    }

    [Fact]
    public async Task A_schema_newer_than_the_code_is_a_clear_error_and_nothing_is_touched()
    {
        var schema = _server.NewSchema();
        await using (var saver = await _server.OpenAsync(schema))
        {
            await Puts.PutItems(saver, Thread("t"), null, "[1]");
        }
        var applied = await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_migrations");
        await _server.ScalarAsync($"INSERT INTO {schema}.checkpoint_migrations (v) VALUES (99)");

        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => _server.OpenAsync(schema));

        Assert.Equal(99, error.StoredVersion);
        Assert.Contains(schema, error.Message);
        Assert.Equal(1, await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoints"));
        Assert.Equal(applied + 1, await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_migrations"));
    }

    [Fact]
    public async Task A_version_1_schema_is_migrated_and_its_checkpoints_read_back_and_continue()
    {
        var schema = _server.NewSchema();
        CheckpointConfig head;
        await using (var saver = await _server.OpenAsync(schema))
        {
            var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
            await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));
            head = (await saver.GetTupleAsync(Thread("t")))!.Config;
        }
        // Version 1 as it was: the checkpoint JSON in a jsonb column (which reorders keys and respaces the text).
        await _server.ScalarAsync($"ALTER TABLE {schema}.checkpoints ALTER COLUMN checkpoint TYPE jsonb USING checkpoint::jsonb");
        await _server.ScalarAsync($"DELETE FROM {schema}.checkpoint_migrations WHERE v > 1");

        await using var reopened = await _server.OpenAsync(schema);

        Assert.Equal("json", await _server.ScalarAsync($"SELECT data_type FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'checkpoints' AND column_name = 'checkpoint'"));
        Assert.Equal(head, (await reopened.GetTupleAsync(Thread("t")))!.Config);
        var graph2 = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = reopened });
        Assert.Equal(2, (await graph2.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"))).State.Count);
        Assert.Equal(6, await graph2.GetStateHistoryAsync(GraphConfig.ForThread("t")).CountAsync());
    }

    [Fact]
    public async Task Workers_starting_at_once_on_a_new_schema_apply_each_migration_once()
    {
        var schema = _server.NewSchema();

        var savers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _server.OpenAsync(schema))));
        await using (var reopened = await _server.OpenAsync(schema))
        {
            await Puts.PutItems(reopened, Thread("t"), null, "[1]");
        }

        // Each migration once: as many rows as the highest version applied, no version twice.
        Assert.Equal(await _server.CountAsync($"SELECT max(v) FROM {schema}.checkpoint_migrations"), await _server.CountAsync($"SELECT count(DISTINCT v) FROM {schema}.checkpoint_migrations"));
        Assert.Equal(await _server.CountAsync($"SELECT max(v) FROM {schema}.checkpoint_migrations"), await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_migrations"));
        Assert.Equal(3, await _server.CountAsync($"SELECT count(*) FROM pg_tables WHERE schemaname = '{schema}' AND tablename LIKE 'checkpoint%' AND tablename <> 'checkpoint_migrations'"));
        foreach (var saver in savers)
        {
            Assert.Equal("[1]", Puts.Text(await saver.GetTupleAsync(Thread("t"))));
            await saver.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("x\"; DROP SCHEMA public; --")]
    [InlineData("0starts_with_digit")]
    public async Task A_bad_schema_name_is_refused_before_touching_the_server(string schema)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresSaver.OpenAsync(_server.ConnectionString, new PostgresSaverOptions { Schema = schema }));
        Assert.Contains("schema", error.Message);
    }

    [Fact]
    public async Task A_malformed_connection_string_is_an_argument_error()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => PostgresSaver.OpenAsync("Host=localhost;Bogus Keyword=1"));
        Assert.Contains("connection string", error.Message);
    }

    [Fact]
    public async Task A_growing_list_is_stored_as_deltas_and_every_checkpoint_reads_back_exact()
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema, new PostgresSaverOptions { ValueCacheBytes = 0 });
        var config = Thread("t");
        string? version = null;
        var previous = "[]";
        (config, version) = await Puts.PutItems(saver, config, version, previous);
        var ids = new List<(string Id, string Value)>();
        for (var n = 1; n <= 200; n++)
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
        var listed = await saver.ListAsync(Thread("t")).Select(Puts.Text).ToListAsync();
        Assert.Equal(ids.Select(i => i.Value).Reverse().Append("[]"), listed);
        var wholeBytes = await _server.CountAsync($"SELECT sum(length(blob)) FROM {schema}.checkpoint_blobs WHERE base_version IS NULL");
        var deltaBytes = await _server.CountAsync($"SELECT sum(length(blob)) FROM {schema}.checkpoint_blobs WHERE base_version IS NOT NULL");
        var finalBytes = System.Text.Encoding.UTF8.GetByteCount(previous);
        // 200 full copies would be ~20 MB; deltas hold each item once and whole values form a geometric series.
        Assert.InRange(deltaBytes, finalBytes / 2, finalBytes);
        Assert.True(wholeBytes < 3 * finalBytes, $"whole values take {wholeBytes} bytes for a final value of {finalBytes}");
        Assert.True(await _server.CountAsync($"SELECT max(depth) FROM {schema}.checkpoint_blobs") <= DeltaStorage.MaxChainLength);
    }

    [Fact]
    public async Task A_second_process_continues_a_delta_chain_it_did_not_write()
    {
        var schema = _server.NewSchema();
        await using var first = await _server.OpenAsync(schema);
        await using var second = await _server.OpenAsync(schema);
        var (config, version) = await Puts.PutItems(first, Thread("t"), null, Puts.Items(10));

        (config, version) = await Puts.PutItems(second, config, version, Puts.Items(11), appendedFrom: Puts.Items(10));

        Assert.Equal(1, await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_blobs WHERE base_version IS NOT NULL"));
        Assert.Equal(Puts.Items(11), Puts.Text(await first.GetTupleAsync(Thread("t"))));
    }

    [Fact]
    public async Task A_delta_whose_base_is_gone_is_a_corrupt_checkpoint_naming_thread_and_checkpoint()
    {
        var schema = _server.NewSchema();
        await using (var saver = await _server.OpenAsync(schema))
        {
            var (first, v1) = await Puts.PutItems(saver, Thread("t"), null, Puts.Items(4));
            await Puts.PutItems(saver, first, v1, Puts.Items(5), appendedFrom: Puts.Items(4));
            await Puts.PutItems(saver, Thread("other"), null, "[1]");
        }
        await _server.ScalarAsync($"DELETE FROM {schema}.checkpoint_blobs WHERE thread_id = 't' AND base_version IS NULL");

        await using var reopened = await _server.OpenAsync(schema);
        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(async () => await reopened.GetTupleAsync(Thread("t")));
        Assert.Equal("t", error.ThreadId);
        Assert.Contains("missing", error.Message);
        Assert.Equal("[1]", Puts.Text(await reopened.GetTupleAsync(Thread("other"))));
    }

    [Theory]
    [InlineData("checkpoint", "'{\"v\": 4}'")]
    [InlineData("checkpoint", "'[1, 2]'")]
    [InlineData("metadata", "'{\"source\": \"nonsense\"}'")]
    public async Task A_malformed_row_is_a_corrupt_checkpoint_naming_thread_and_checkpoint_and_the_rest_stays_readable(string column, string json)
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema);
        var (first, v1) = await Puts.PutItems(saver, Thread("t"), null, "[1]");
        var (second, _) = await Puts.PutItems(saver, first, v1, "[1,2]");
        await Puts.PutItems(saver, Thread("other"), null, "[3]");
        await _server.ScalarAsync($"UPDATE {schema}.checkpoints SET {column} = {json}::jsonb WHERE checkpoint_id = '{second.CheckpointId}'");

        var error = await Assert.ThrowsAsync<CorruptCheckpointException>(async () => await saver.GetTupleAsync(Thread("t")));
        Assert.Equal(("t", second.CheckpointId), (error.ThreadId, error.CheckpointId));
        Assert.Contains(second.CheckpointId!, error.Message);
        Assert.Equal("[1]", Puts.Text(await saver.GetTupleAsync(first)));
        Assert.Equal("[3]", Puts.Text(await saver.GetTupleAsync(Thread("other"))));
    }

    [Fact]
    public async Task Keeping_the_last_checkpoints_deletes_older_ones_and_unreferenced_values_but_keeps_delta_chains()
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema, new PostgresSaverOptions { ValueCacheBytes = 0 });
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
        var blobsBefore = await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_blobs WHERE thread_id = 't'");

        var deleted = await saver.KeepLastAsync(2);

        Assert.Equal(39, deleted);
        var kept = await saver.ListAsync(Thread("t")).ToListAsync();
        Assert.Equal([previous, Puts.Items(39)], kept.Select(Puts.Text));
        Assert.InRange(await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_blobs WHERE thread_id = 't'"), 2, blobsBefore - 1);
        Assert.Equal("[1]", Puts.Text(await saver.GetTupleAsync(Thread("small"))));
        var (next, _) = await Puts.PutItems(saver, kept[0].Config, version, Puts.Items(41), appendedFrom: previous);
        Assert.Equal(Puts.Items(41), Puts.Text(await saver.GetTupleAsync(next)));
    }

    [Fact]
    public async Task Idle_threads_are_deleted_and_active_ones_kept()
    {
        var schema = _server.NewSchema();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var saver = await _server.OpenAsync(schema, new PostgresSaverOptions { TimeProvider = clock });
        await Puts.PutItems(saver, Thread("old"), null, "[1]", ts: clock.GetUtcNow() - TimeSpan.FromDays(40));
        await Puts.PutItems(saver, Thread("recent"), null, "[2]", ts: clock.GetUtcNow() - TimeSpan.FromDays(2));

        var deleted = await saver.DeleteIdleThreadsAsync(TimeSpan.FromDays(30));

        Assert.Equal(["old"], deleted);
        Assert.Equal(["recent"], await saver.ListThreadsAsync().Select(t => t.ThreadId).ToListAsync());
        Assert.Equal(0, await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_blobs WHERE thread_id = 'old'"));
    }

    [Fact]
    public async Task Orphaned_values_and_writes_are_deleted_and_used_ones_kept()
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema);
        var (first, v1) = await Puts.PutItems(saver, Thread("t"), null, "[1]");
        await saver.PutWritesAsync(first, [new ChannelWrite("items", "[2]"u8.ToArray())], "task");
        var (second, _) = await Puts.PutItems(saver, first, v1, "[1,2]");
        // Another tool deletes the first checkpoint: its value and writes are left behind.
        await _server.ScalarAsync($"DELETE FROM {schema}.checkpoints WHERE checkpoint_id = '{first.CheckpointId}'");

        var deleted = await saver.DeleteOrphanedValuesAsync();

        Assert.Equal(2, deleted);
        Assert.Equal(1, await _server.CountAsync($"SELECT count(*) FROM {schema}.checkpoint_blobs"));
        Assert.Equal("[1,2]", Puts.Text(await saver.GetTupleAsync(second)));
    }

    [Fact]
    public async Task Values_and_metadata_are_readable_with_psql()
    {
        var schema = _server.NewSchema();
        await using var saver = await _server.OpenAsync(schema);
        var graph = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
        await graph.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread("t"));

        Assert.Equal("1", await _server.ScalarAsync($"SELECT convert_from(blob, 'UTF8') FROM {schema}.checkpoint_blobs WHERE channel = 'count' ORDER BY version DESC LIMIT 1"));
        Assert.Equal("loop", await _server.ScalarAsync($"SELECT metadata ->> 'source' FROM {schema}.checkpoints ORDER BY checkpoint_id DESC LIMIT 1"));
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
