namespace GraphGen.Sqlite;

/// <summary>Every statement the saver runs; parameters are always bound, never spliced in.</summary>
internal static class Sql
{
    // A checkpoint row, and whether it has pending writes: most have none (every step's last checkpoint), and asking
    // here costs an index probe where a query of its own costs a statement run.
    private const string Columns = """
        thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata,
        EXISTS (SELECT 1 FROM checkpoint_writes w
                WHERE w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id)
        """;
    public const int ColThread = 0;
    public const int ColNs = 1;
    public const int ColId = 2;
    public const int ColParent = 3;
    public const int ColCheckpoint = 4;
    public const int ColMetadata = 5;
    public const int ColHasWrites = 6;

    public const string SelectById = $"SELECT {Columns} FROM checkpoints c WHERE thread_id = $t AND checkpoint_ns = $ns AND checkpoint_id = $id";

    public const string SelectLatest = $"SELECT {Columns} FROM checkpoints c WHERE thread_id = $t AND checkpoint_ns = $ns ORDER BY checkpoint_id DESC LIMIT 1";

    public const string SelectHead = "SELECT checkpoint_id FROM checkpoints WHERE thread_id = $t AND checkpoint_ns = $ns ORDER BY checkpoint_id DESC LIMIT 1";

    public const string CountCheckpoints = "SELECT COUNT(*) FROM checkpoints WHERE thread_id = $t";

    /// <summary>Checkpoints newest first, optionally of one thread and namespace, one id, and ids before one.</summary>
    public static string List(bool thread, bool id, bool before)
    {
        var conditions = new List<string>();
        if (thread)
        {
            conditions.Add("c.thread_id = $t AND c.checkpoint_ns = $ns");
        }
        if (id)
        {
            conditions.Add("c.checkpoint_id = $id");
        }
        if (before)
        {
            conditions.Add("c.checkpoint_id < $before");
        }
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        return $"""
            SELECT {ListColumns} FROM checkpoints c
            LEFT JOIN checkpoint_writes w ON w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id
            {where} ORDER BY c.checkpoint_id DESC, c.thread_id, c.checkpoint_ns, w.task_id, w.idx
            """;
    }

    // A listed checkpoint's row, its rowid, and one of its pending writes (NULLs when it has none): the row repeats per write.
    private const string ListColumns = """
        c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata, c.rowid, w.task_id, w.channel, w.value
        """;
    public const int ColRowId = 6;
    public const int ColWriteTask = 7;

    public const string InsertCheckpoint = """
        INSERT OR REPLACE INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata)
        VALUES ($t, $ns, $id, $parent, $ts, $checkpoint, $metadata)
        """;

    /// <summary>First write of a version wins, as upstream's <c>ON CONFLICT DO NOTHING</c>: a version's value never changes.</summary>
    public const string InsertBlob = """
        INSERT OR IGNORE INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob)
        VALUES ($t, $ns, $channel, $version, $base, $shared, $depth, $chain, $blob)
        """;

    public const string SelectChainInfo = """
        SELECT depth, chain_bytes FROM checkpoint_blobs
        WHERE thread_id = $t AND checkpoint_ns = $ns AND channel = $channel AND version = $version
        """;

    /// <summary>A value's row and the rows of its delta chain, newest first (bounded, in case of a corrupt cycle).</summary>
    public const string SelectChain = """
        WITH RECURSIVE chain(base_version, shared_prefix, blob, n) AS (
            SELECT base_version, shared_prefix, blob, 0 FROM checkpoint_blobs
            WHERE thread_id = $t AND checkpoint_ns = $ns AND channel = $channel AND version = $version
            UNION ALL
            SELECT b.base_version, b.shared_prefix, b.blob, chain.n + 1 FROM checkpoint_blobs b JOIN chain
            ON b.thread_id = $t AND b.checkpoint_ns = $ns AND b.channel = $channel AND b.version = chain.base_version
            WHERE chain.n < 1024)
        SELECT base_version, shared_prefix, blob FROM chain ORDER BY n
        """;

    public const string InsertWrite = """
        INSERT OR IGNORE INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, value)
        VALUES ($t, $ns, $id, $task, $idx, $channel, $path, $value)
        """;

    public const string ReplaceWrite = """
        INSERT OR REPLACE INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, value)
        VALUES ($t, $ns, $id, $task, $idx, $channel, $path, $value)
        """;

    public const string SelectWrites = """
        SELECT task_id, channel, value FROM checkpoint_writes
        WHERE thread_id = $t AND checkpoint_ns = $ns AND checkpoint_id = $id ORDER BY task_id, idx
        """;

    public static readonly string[] DeleteThread =
    [
        "DELETE FROM checkpoint_writes WHERE thread_id = $t",
        "DELETE FROM checkpoint_blobs WHERE thread_id = $t",
        "DELETE FROM checkpoints WHERE thread_id = $t",
    ];

    public const string DeleteOlderCheckpoints = """
        DELETE FROM checkpoints WHERE rowid IN (
            SELECT rowid FROM (
                SELECT rowid, ROW_NUMBER() OVER (PARTITION BY checkpoint_ns ORDER BY checkpoint_id DESC) AS newest
                FROM checkpoints WHERE thread_id = $t)
            WHERE newest > $keep)
        """;

    public const string DeleteOrphanWrites = """
        DELETE FROM checkpoint_writes WHERE thread_id = $t AND NOT EXISTS (
            SELECT 1 FROM checkpoints c
            WHERE c.thread_id = $t AND c.checkpoint_ns = checkpoint_writes.checkpoint_ns AND c.checkpoint_id = checkpoint_writes.checkpoint_id)
        """;

    /// <summary>Deletes values no checkpoint of the thread references, directly or as the base of a delta chain.</summary>
    public const string DeleteOrphanBlobs = """
        WITH RECURSIVE live(ns, channel, version) AS (
            SELECT c.checkpoint_ns, v.key, v.value FROM checkpoints c, json_each(c.checkpoint, '$.channel_versions') v WHERE c.thread_id = $t
            UNION
            SELECT b.checkpoint_ns, b.channel, b.base_version FROM checkpoint_blobs b JOIN live
            ON b.thread_id = $t AND b.checkpoint_ns = live.ns AND b.channel = live.channel AND b.version = live.version
            WHERE b.base_version IS NOT NULL)
        DELETE FROM checkpoint_blobs WHERE thread_id = $t AND (checkpoint_ns, channel, version) NOT IN (SELECT ns, channel, version FROM live)
        """;

    public const string SelectIdleThreads = "SELECT thread_id FROM checkpoints GROUP BY thread_id HAVING MAX(ts) < $cutoff ORDER BY thread_id";

    public const string ListThreads = """
        SELECT c.thread_id, COUNT(*), MAX(CASE WHEN c.checkpoint_ns = '' THEN c.checkpoint_id END),
            (SELECT r.ts FROM checkpoints r WHERE r.thread_id = c.thread_id AND r.checkpoint_ns = '' ORDER BY r.checkpoint_id DESC LIMIT 1),
            MAX(c.ts)
        FROM checkpoints c GROUP BY c.thread_id ORDER BY c.thread_id
        """;

    public static readonly string[] CopyThread =
    [
        """
        INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata)
        SELECT $target, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata FROM checkpoints WHERE thread_id = $source
        """,
        """
        INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob)
        SELECT $target, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob FROM checkpoint_blobs WHERE thread_id = $source
        """,
        """
        INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, value)
        SELECT $target, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, value FROM checkpoint_writes WHERE thread_id = $source
        """,
    ];
}
