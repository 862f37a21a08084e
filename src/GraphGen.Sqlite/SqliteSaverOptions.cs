namespace GraphGen.Sqlite;

/// <summary>How a <see cref="SqliteSaver"/> opens and uses its database.</summary>
public sealed record SqliteSaverOptions
{
    /// <summary>
    /// SQLite's <c>synchronous</c> setting. <see cref="SqliteSynchronous.Normal"/> (the default) survives a killed
    /// process without losing a committed checkpoint; <see cref="SqliteSynchronous.Full"/> also survives power loss,
    /// at the cost of an fsync per commit.
    /// </summary>
    public SqliteSynchronous Synchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>How long a statement waits for another process's write lock before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many bytes of channel values to keep in process memory, keyed by version (stored values never change), so
    /// that a thread's next turn and history listings do not read and rebuild them again. 0 turns the cache off.
    /// </summary>
    public long ValueCacheBytes { get; init; } = 64L << 20;

    /// <summary>The clock retention compares checkpoint times with.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that keep a WAL database consistent.</summary>
public enum SqliteSynchronous
{
    /// <summary>Commits survive a process crash; the last ones may roll back on power loss.</summary>
    Normal,
    /// <summary>Commits survive power loss (an fsync per commit).</summary>
    Full,
}
