using System.Text.RegularExpressions;

namespace GraphGen.Postgres;

/// <summary>
/// Every statement the saver runs, qualified with its schema. Values are always bound as positional parameters; the
/// schema name is the only text spliced in, and it is validated to be a plain identifier first.
/// </summary>
internal sealed partial class PostgresSql
{
    public const int ColThread = 0;
    public const int ColNs = 1;
    public const int ColId = 2;
    public const int ColParent = 3;
    public const int ColCheckpoint = 4;
    public const int ColMetadata = 5;
    public const int ColWriteTask = 6;
    public const int ColWriteChannel = 7;
    public const int ColWriteBlob = 8;

    /// <summary>The SQLSTATE <c>graphgen_claim_head</c> raises when the parent is not the head; the message is the head.</summary>
    public const string ConflictState = "GG409";

    public PostgresSql(string schema)
    {
        if (!Identifier().IsMatch(schema))
        {
            throw new ArgumentException(
                $"'{schema}' is not a usable schema name: use letters, digits and underscores, starting with a letter or underscore, at most 63 characters.",
                nameof(schema));
        }
        Schema = schema;
        var s = $"\"{schema}\"";
        Checkpoints = $"{s}.checkpoints";
        Blobs = $"{s}.checkpoint_blobs";
        Writes = $"{s}.checkpoint_writes";
        Migrations = $"{s}.checkpoint_migrations";
        ClaimHeadFunction = $"{s}.graphgen_claim_head";
    }

    public string Schema { get; }
    public string Checkpoints { get; }
    public string Blobs { get; }
    public string Writes { get; }
    public string Migrations { get; }
    public string ClaimHeadFunction { get; }

    /// <summary>
    /// Takes the thread's write lock until the transaction ends: every change to a thread (put, prune, delete, copy)
    /// takes it, so a put's head check and insert see no other writer in between. Keyed by schema and thread.
    /// </summary>
    public string LockThread(string threadIdExpression) => $"pg_advisory_xact_lock(hashtext('{Schema}'), hashtext({threadIdExpression}))";

    public string ClaimHead => $"SELECT {ClaimHeadFunction}($1, $2, $3)";

    public string LockThreads => $"SELECT {LockThread("t")} FROM (SELECT DISTINCT unnest($1::text[]) AS t ORDER BY 1) AS threads";

    /// <summary>
    /// The checkpoints <paramref name="where"/> keeps (on <c>c</c>), newest first, each once per pending write (in task,
    /// then write order) or once with NULL write columns when it has none; <paramref name="limit"/> counts checkpoints.
    /// Rows rather than aggregated arrays (which cost the server about 2 µs more a checkpoint), looked up per
    /// checkpoint by its whole key (LATERAL: a plain join was planned as one scan of the thread's writes, filtered
    /// against every checkpoint).
    /// </summary>
    private string Select(string where, string? limit)
    {
        var source = limit is null
            ? $"{Checkpoints} c"
            : $"(SELECT * FROM {Checkpoints} c {where} ORDER BY c.checkpoint_id DESC, c.thread_id, c.checkpoint_ns LIMIT {limit}) c";
        return $"""
            SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata, w.task_id, w.channel, w.blob
            FROM {source}
            LEFT JOIN LATERAL (
                SELECT task_id, idx, channel, blob FROM {Writes} w
                WHERE w.thread_id = c.thread_id AND w.checkpoint_ns = c.checkpoint_ns AND w.checkpoint_id = c.checkpoint_id
                ORDER BY task_id, idx) w ON true
            {(limit is null ? where : "")}
            ORDER BY c.checkpoint_id DESC, c.thread_id, c.checkpoint_ns, w.task_id, w.idx
            """;
    }

    public string SelectById => Select("WHERE c.thread_id = $1 AND c.checkpoint_ns = $2 AND c.checkpoint_id = $3", null);

    public string SelectLatest => Select("WHERE c.thread_id = $1 AND c.checkpoint_ns = $2", "1");

    public string SelectHead => $"SELECT checkpoint_id FROM {Checkpoints} WHERE thread_id = $1 AND checkpoint_ns = $2 ORDER BY checkpoint_id DESC LIMIT 1";

    public string CountCheckpoints => $"SELECT count(*) FROM {Checkpoints} WHERE thread_id = $1";

    /// <summary>
    /// Checkpoints newest first, optionally of one thread and namespace, one id, ids before one, metadata containing a
    /// JSON object (served by the GIN index) and a limit; parameters are numbered in that order, from $1, for the parts used.
    /// </summary>
    public string List(bool thread, bool id, bool before, bool filter, bool limit)
    {
        var parameter = 0;
        var conditions = new List<string>();
        if (thread)
        {
            conditions.Add($"c.thread_id = ${++parameter} AND c.checkpoint_ns = ${++parameter}");
        }
        if (id)
        {
            conditions.Add($"c.checkpoint_id = ${++parameter}");
        }
        if (before)
        {
            conditions.Add($"c.checkpoint_id < ${++parameter}");
        }
        if (filter)
        {
            conditions.Add($"c.metadata @> ${++parameter}::jsonb");
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        return Select(where, limit ? $"${++parameter}" : null);
    }

    public string InsertCheckpoint => $"""
        INSERT INTO {Checkpoints} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata)
        VALUES ($1, $2, $3, $4, $5, $6::json, $7::jsonb)
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE SET
            parent_checkpoint_id = EXCLUDED.parent_checkpoint_id, ts = EXCLUDED.ts, checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata
        """;

    /// <summary>First write of a version wins, as upstream's <c>ON CONFLICT DO NOTHING</c>: a version's value never changes.</summary>
    public string InsertBlob => $"""
        INSERT INTO {Blobs} (thread_id, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING
        """;

    public string SelectChainInfo => $"SELECT depth, chain_bytes FROM {Blobs} WHERE thread_id = $1 AND checkpoint_ns = $2 AND channel = $3 AND version = $4";

    /// <summary>
    /// The rows of several values' delta chains at once (thread, namespace, channel and version arrays $1..$4), each chain
    /// newest first, grouped by the version asked for (bounded, in case of a corrupt cycle).
    /// </summary>
    public string SelectChains => $"""
        WITH RECURSIVE wanted AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS w(thread_id, checkpoint_ns, channel, version)),
        chain AS (
            SELECT w.thread_id, w.checkpoint_ns, w.channel, w.version AS top, b.base_version, b.shared_prefix, b.depth, b.chain_bytes, b.blob, 0 AS n
            FROM wanted w JOIN {Blobs} b
            ON b.thread_id = w.thread_id AND b.checkpoint_ns = w.checkpoint_ns AND b.channel = w.channel AND b.version = w.version
            UNION ALL
            SELECT c.thread_id, c.checkpoint_ns, c.channel, c.top, b.base_version, b.shared_prefix, b.depth, b.chain_bytes, b.blob, c.n + 1
            FROM chain c JOIN {Blobs} b
            ON b.thread_id = c.thread_id AND b.checkpoint_ns = c.checkpoint_ns AND b.channel = c.channel AND b.version = c.base_version
            WHERE c.n < 1024)
        SELECT thread_id, checkpoint_ns, channel, top, base_version, shared_prefix, depth, chain_bytes, blob FROM chain ORDER BY n
        """;

    /// <summary>A task's writes from arrays of indices, channels and values ($6..$8); insert-or-ignore or, for special writes, replace.</summary>
    public string InsertWrites(bool replace) => $"""
        INSERT INTO {Writes} (thread_id, checkpoint_ns, checkpoint_id, task_id, task_path, idx, channel, blob)
        SELECT $1, $2, $3, $4, $5, w.idx, w.channel, w.blob FROM unnest($6::int[], $7::text[], $8::bytea[]) AS w(idx, channel, blob)
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO {(replace
            ? "UPDATE SET channel = EXCLUDED.channel, task_path = EXCLUDED.task_path, blob = EXCLUDED.blob"
            : "NOTHING")}
        """;

    /// <summary>
    /// Deletes a thread's writes, values and checkpoints ($1) unless it has a checkpoint at or after $2 (UTC ticks): with
    /// <see cref="long.MaxValue"/> a plain delete, with a cutoff an idle-thread delete that spares a thread written meanwhile.
    /// </summary>
    public string[] DeleteThreadUnlessActive => [.. new[] { Writes, Blobs, Checkpoints }.Select(table =>
        $"DELETE FROM {table} WHERE thread_id = $1 AND NOT EXISTS (SELECT 1 FROM {Checkpoints} WHERE thread_id = $1 AND ts >= $2)")];

    public string DeleteOlderCheckpoints => $"""
        DELETE FROM {Checkpoints} c USING (
            SELECT checkpoint_ns, checkpoint_id, row_number() OVER (PARTITION BY checkpoint_ns ORDER BY checkpoint_id DESC) AS newest
            FROM {Checkpoints} WHERE thread_id = $1) o
        WHERE c.thread_id = $1 AND c.checkpoint_ns = o.checkpoint_ns AND c.checkpoint_id = o.checkpoint_id AND o.newest > $2
        """;

    public string DeleteOrphanWrites => $"""
        DELETE FROM {Writes} w WHERE w.thread_id = $1 AND NOT EXISTS (
            SELECT 1 FROM {Checkpoints} c WHERE c.thread_id = $1 AND c.checkpoint_ns = w.checkpoint_ns AND c.checkpoint_id = w.checkpoint_id)
        """;

    /// <summary>Deletes values no checkpoint of the thread references, directly or as the base of a delta chain.</summary>
    public string DeleteOrphanBlobs => $"""
        WITH RECURSIVE live(checkpoint_ns, channel, version) AS (
            SELECT c.checkpoint_ns, v.key COLLATE "C", v.value COLLATE "C" FROM {Checkpoints} c, json_each_text(c.checkpoint -> 'channel_versions') v WHERE c.thread_id = $1
            UNION
            SELECT b.checkpoint_ns, b.channel, b.base_version FROM {Blobs} b JOIN live l
            ON b.thread_id = $1 AND b.checkpoint_ns = l.checkpoint_ns AND b.channel = l.channel AND b.version = l.version
            WHERE b.base_version IS NOT NULL)
        DELETE FROM {Blobs} b WHERE b.thread_id = $1 AND NOT EXISTS (
            SELECT 1 FROM live l WHERE l.checkpoint_ns = b.checkpoint_ns AND l.channel = b.channel AND l.version = b.version)
        """;

    /// <summary>Threads that hold writes or values but may have lost the checkpoints that use them.</summary>
    public string SelectThreadsWithValues => $"SELECT thread_id FROM {Blobs} UNION SELECT thread_id FROM {Writes}";

    public string SelectIdleThreads => $"SELECT thread_id FROM {Checkpoints} GROUP BY thread_id HAVING max(ts) < $1 ORDER BY thread_id";

    public string ListThreads => $"""
        SELECT thread_id, count(*)::int, max(checkpoint_id) FILTER (WHERE checkpoint_ns = ''),
            (array_agg(ts ORDER BY checkpoint_id DESC) FILTER (WHERE checkpoint_ns = ''))[1], max(ts)
        FROM {Checkpoints} GROUP BY thread_id ORDER BY thread_id
        """;

    public string[] CopyThread =>
    [
        $"""
        INSERT INTO {Checkpoints} (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata)
        SELECT $2, checkpoint_ns, checkpoint_id, parent_checkpoint_id, ts, checkpoint, metadata FROM {Checkpoints} WHERE thread_id = $1
        """,
        $"""
        INSERT INTO {Blobs} (thread_id, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob)
        SELECT $2, checkpoint_ns, channel, version, base_version, shared_prefix, depth, chain_bytes, blob FROM {Blobs} WHERE thread_id = $1
        """,
        $"""
        INSERT INTO {Writes} (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, blob)
        SELECT $2, checkpoint_ns, checkpoint_id, task_id, idx, channel, task_path, blob FROM {Writes} WHERE thread_id = $1
        """,
    ];

    /// <summary>The tables with their columns (the thread id first), for copying a thread between databases.</summary>
    public (string Table, string[] Columns)[] ThreadTables =>
    [
        (Checkpoints, ["thread_id", "checkpoint_ns", "checkpoint_id", "parent_checkpoint_id", "ts", "checkpoint", "metadata"]),
        (Blobs, ["thread_id", "checkpoint_ns", "channel", "version", "base_version", "shared_prefix", "depth", "chain_bytes", "blob"]),
        (Writes, ["thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx", "channel", "task_path", "blob"]),
    ];

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
