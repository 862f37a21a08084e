namespace GraphGen.Postgres;

/// <summary>How a <see cref="PostgresSaver"/> uses its database.</summary>
public sealed record PostgresSaverOptions
{
    /// <summary>
    /// The schema the saver's tables live in (created if missing): one per tenant or application shares a database
    /// safely. Letters, digits and underscores, starting with a letter or underscore, at most 63 characters.
    /// </summary>
    public string Schema { get; init; } = "public";

    /// <summary>
    /// How many bytes of channel values to keep in process memory, keyed by version (stored values never change), so
    /// that a thread's next turn reads only its checkpoint row and writes deltas without asking for their base. 0 turns
    /// the cache off.
    /// </summary>
    public long ValueCacheBytes { get; init; } = 64L << 20;

    /// <summary>The clock retention compares checkpoint times with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// PostgreSQL's <c>synchronous_commit</c> for the saver's sessions. True (the default) waits for each commit to reach
    /// disk: a committed checkpoint survives a server crash. False returns before the WAL is flushed: a committed
    /// checkpoint still survives a killed application process (like <c>SqliteSynchronous.Normal</c>), but a crash of the
    /// server or its machine may lose the last fraction of a second of commits; the database stays consistent. Applies
    /// only when the saver builds its own data source.
    /// </summary>
    public bool SynchronousCommit { get; init; } = true;

    /// <summary>
    /// The most pooled connections (Npgsql's <c>Maximum Pool Size</c>). Null keeps the connection string's value. Applies
    /// only when the saver builds its own data source from a connection string.
    /// </summary>
    public int? MaxPoolSize { get; init; }

    /// <summary>
    /// How often an idle connection sends a keepalive, so that firewalls and load balancers do not drop pooled
    /// connections silently. Null keeps the connection string's value, or 30 seconds when it sets none. Applies only
    /// when the saver builds its own data source.
    /// </summary>
    public TimeSpan? KeepAlive { get; init; }

    /// <summary>
    /// How long a pooled connection lives before it is closed and replaced (Npgsql's <c>Connection Lifetime</c>), so
    /// that connections move to a new primary after a failover. Null keeps the connection string's value. Applies only
    /// when the saver builds its own data source.
    /// </summary>
    public TimeSpan? ConnectionLifetime { get; init; }

    /// <summary>
    /// How many rows (a checkpoint's row comes once per pending write) a listing reads as one statement before it reads
    /// them through a cursor instead; 0 always uses the cursor. Internal: tests run both paths.
    /// </summary>
    internal int ListOneStatementRows { get; init; } = 500;
}
