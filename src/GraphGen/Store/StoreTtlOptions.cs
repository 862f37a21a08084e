namespace GraphGen.Store;

/// <summary>How long items live in a store, and how expired ones are cleaned up.</summary>
public sealed class StoreTtlOptions
{
    /// <summary>
    /// The lifetime of items put without a TTL of their own; <see langword="null"/> (the default) keeps them
    /// until they are deleted.
    /// </summary>
    public TimeSpan? DefaultTtl { get; init; }

    /// <summary>
    /// Whether reading an item (get, or being returned by a search) restarts its lifetime when the call does
    /// not say. Items without a TTL are unaffected.
    /// </summary>
    public bool RefreshOnRead { get; init; } = true;

    /// <summary>How often a started sweeper removes expired items. Expired items are never returned, swept or not.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(5);
}
