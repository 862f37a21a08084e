using System.Text.Json;

namespace GraphGen.Store;

/// <summary>
/// An <see cref="IStore"/> kept in process memory: for tests, samples and single-process apps. Supports
/// semantic search when given <see cref="StoreIndexOptions"/>, and item lifetimes with an optional
/// background sweeper (<see cref="StartSweeper"/>, stopped by <see cref="DisposeAsync"/>).
/// </summary>
public sealed class InMemoryStore : IStore, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IReadOnlyList<string>, Dictionary<string, Entry>> _namespaces = new(StoreNamespace.Comparer);
    private readonly ItemEmbedder? _embedder;
    private readonly StoreTtlOptions _ttl;
    private readonly TimeProvider _time;
    private CancellationTokenSource? _sweeperStop;
    private Task? _sweeper;
    private bool _disposed;

    /// <summary>Creates an empty store.</summary>
    /// <param name="index">Turns on semantic search; without it, search queries are ignored.</param>
    /// <param name="ttl">Default lifetime, refresh-on-read and sweep interval; without it items live until deleted.</param>
    /// <param name="time">The clock for timestamps, lifetimes and the sweeper; <see cref="TimeProvider.System"/> by default.</param>
    /// <exception cref="ArgumentException">The index options are incomplete or name a malformed field, or a TTL setting is not positive.</exception>
    public InMemoryStore(StoreIndexOptions? index = null, StoreTtlOptions? ttl = null, TimeProvider? time = null)
    {
        _embedder = index is null ? null : new ItemEmbedder(index);
        _ttl = ttl ?? new StoreTtlOptions();
        ValidateTtl(_ttl.DefaultTtl, "ttl.DefaultTtl");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_ttl.SweepInterval, TimeSpan.Zero, "ttl.SweepInterval");
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public ValueTask<Item?> GetAsync(IReadOnlyList<string> @namespace, string key, bool? refreshTtl = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(key);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (!_namespaces.TryGetValue(@namespace, out var entries) || !entries.TryGetValue(key, out var entry) || entry.IsExpired(now))
                return new((Item?)null);
            if (refreshTtl ?? _ttl.RefreshOnRead) entries[key] = entry.Refreshed(now);
            return new(entry.Item);
        }
    }

    /// <inheritdoc/>
    public async ValueTask PutAsync(
        IReadOnlyList<string> @namespace,
        string key,
        JsonElement value,
        IReadOnlyList<string>? index = null,
        TimeSpan? ttl = null,
        CancellationToken ct = default)
    {
        StoreNamespace.Validate(@namespace);
        ArgumentNullException.ThrowIfNull(key);
        if (value.ValueKind != JsonValueKind.Object)
            throw new ArgumentException(
                $"The value for key '{key}' in {StoreNamespace.Format(@namespace)} is {Describe(value.ValueKind)}, but a store holds JSON objects. " +
                "Wrap it in an object, for example {\"value\": ...}.", nameof(value));
        ValidateTtl(ttl, nameof(ttl));
        // Our own copy: the caller may dispose the JsonDocument behind the element once the call returns.
        value = value.Clone();
        // Embeddings are awaited before taking the lock, which is never held across an await.
        var vectors = _embedder is null ? [] : await _embedder.EmbedItemAsync(value, index, ct).ConfigureAwait(false);
        var lifetime = (ttl ?? _ttl.DefaultTtl) is { } span && span != Timeout.InfiniteTimeSpan ? span : (TimeSpan?)null;

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            // A frozen copy, so the caller changing its list later cannot move the item.
            var frozen = StoreNamespace.Freeze(@namespace);
            if (!_namespaces.TryGetValue(frozen, out var entries))
                _namespaces[frozen] = entries = new(StringComparer.Ordinal);
            var createdAt = entries.TryGetValue(key, out var previous) && !previous.IsExpired(now) ? previous.Item.CreatedAt : now;
            entries[key] = new Entry(new Item(frozen, key, value, createdAt, now), vectors, lifetime, now + lifetime);
        }
    }

    /// <inheritdoc/>
    public ValueTask DeleteAsync(IReadOnlyList<string> @namespace, string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ArgumentNullException.ThrowIfNull(key);
        ct.ThrowIfCancellationRequested();
        lock (_gate) Remove(@namespace, key);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<SearchItem>> SearchAsync(
        IReadOnlyList<string> namespacePrefix,
        string? query = null,
        IReadOnlyDictionary<string, object?>? filter = null,
        int limit = 10,
        int offset = 0,
        bool? refreshTtl = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(namespacePrefix);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var conditions = StoreFilter.Parse(filter);
        var queryVector = query is null || _embedder is null ? null : await _embedder.EmbedQueryAsync(query, ct).ConfigureAwait(false);

        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var page = _namespaces
                .Where(pair => StoreNamespace.StartsWith(pair.Key, namespacePrefix))
                .SelectMany(pair => pair.Value.Values)
                .Where(entry => !entry.IsExpired(now) && conditions.Matches(entry.Item.Value))
                .Select(entry => (Entry: entry, Score: queryVector is null ? null : ItemEmbedder.Score(queryVector, entry.Vectors)))
                // Scores are cosines in [-1, 1], so unscored items (no query, or no vectors) sort after every scored one.
                .OrderByDescending(hit => hit.Score ?? double.NegativeInfinity)
                .ThenByDescending(hit => hit.Entry.Item.UpdatedAt)
                .ThenBy(hit => hit.Entry.Item.Namespace, StoreNamespace.Comparer)
                .ThenBy(hit => hit.Entry.Item.Key, StringComparer.Ordinal)
                .Skip(offset)
                .Take(limit)
                .ToList();
            if (refreshTtl ?? _ttl.RefreshOnRead)
                foreach (var (entry, _) in page) _namespaces[entry.Item.Namespace][entry.Item.Key] = entry.Refreshed(now);
            return page.Select(hit => new SearchItem(hit.Entry.Item, hit.Score)).ToList();
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<IReadOnlyList<string>>> ListNamespacesAsync(
        IReadOnlyList<string>? prefix = null,
        IReadOnlyList<string>? suffix = null,
        int? maxDepth = null,
        int limit = 100,
        int offset = 0,
        CancellationToken ct = default)
    {
        if (maxDepth is { } depth) ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1, nameof(maxDepth));
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var found = _namespaces
                .Where(pair => pair.Value.Values.Any(entry => !entry.IsExpired(now)))
                .Select(pair => pair.Key)
                .Where(ns => (prefix is null || StoreNamespace.MatchesPrefix(ns, prefix)) && (suffix is null || StoreNamespace.MatchesSuffix(ns, suffix)));
            if (maxDepth is { } cut)
                found = found.Select(ns => ns.Count <= cut ? ns : StoreNamespace.Freeze(ns.Take(cut))).Distinct(StoreNamespace.Comparer);
            IReadOnlyList<IReadOnlyList<string>> page = found.Order(StoreNamespace.Comparer).Skip(offset).Take(limit).ToList();
            return new(page);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<object?>> BatchAsync(IReadOnlyList<StoreOperation> operations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(operations);
        var results = new object?[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            switch (operations[i])
            {
                case GetOperation get:
                    results[i] = await GetAsync(get.Namespace, get.Key, get.RefreshTtl, ct).ConfigureAwait(false);
                    break;
                case PutOperation { Value: null } delete:
                    await DeleteAsync(delete.Namespace, delete.Key, ct).ConfigureAwait(false);
                    break;
                case PutOperation put:
                    await PutAsync(put.Namespace, put.Key, put.Value.Value, put.Index, put.Ttl, ct).ConfigureAwait(false);
                    break;
                case SearchOperation search:
                    results[i] = await SearchAsync(search.NamespacePrefix, search.Query, search.Filter, search.Limit, search.Offset,
                        search.RefreshTtl, ct).ConfigureAwait(false);
                    break;
                case ListNamespacesOperation list:
                    results[i] = await ListNamespacesAsync(list.Prefix, list.Suffix, list.MaxDepth, list.Limit, list.Offset, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentNullException(nameof(operations), $"Operation {i} of the batch is null.");
            }
        }
        return results;
    }

    /// <summary>Removes every item whose lifetime is over and returns how many there were.</summary>
    /// <param name="ct">Cancels the call.</param>
    public ValueTask<int> SweepExpiredAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var expired = _namespaces
                .SelectMany(pair => pair.Value.Where(item => item.Value.IsExpired(now)).Select(item => (Namespace: pair.Key, Key: item.Key)))
                .ToList();
            foreach (var (ns, key) in expired) Remove(ns, key);
            return new(expired.Count);
        }
    }

    /// <summary>
    /// Starts sweeping expired items every <see cref="StoreTtlOptions.SweepInterval"/> in the background, until
    /// <see cref="DisposeAsync"/>. Calling it again while the sweeper runs does nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public void StartSweeper()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_sweeper is not null) return;
            _sweeperStop = new CancellationTokenSource();
            _sweeper = SweepPeriodicallyAsync(_sweeperStop.Token);
        }
    }

    /// <summary>Stops the sweeper, if one was started. The items stay readable.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? sweeper;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            _disposed = true;
            (sweeper, stop) = (_sweeper, _sweeperStop);
            (_sweeper, _sweeperStop) = (null, null);
        }
        if (stop is null || sweeper is null) return;
        await stop.CancelAsync().ConfigureAwait(false);
        await sweeper.ConfigureAwait(false);
        stop.Dispose();
    }

    /// <summary>Items held, expired ones included: lets tests see what the sweeper removed.</summary>
    internal int CountIncludingExpired()
    {
        lock (_gate) return _namespaces.Values.Sum(entries => entries.Count);
    }

    private async Task SweepPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_ttl.SweepInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                await SweepExpiredAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // DisposeAsync stopped the sweeper.
        }
    }

    /// <summary>Removes one item, and its namespace once empty so listings only show namespaces that hold items. Call under the lock.</summary>
    private void Remove(IReadOnlyList<string> @namespace, string key)
    {
        if (_namespaces.TryGetValue(@namespace, out var entries) && entries.Remove(key) && entries.Count == 0)
            _namespaces.Remove(@namespace);
    }

    /// <summary>A lifetime is absent, infinite or positive.</summary>
    private static void ValidateTtl(TimeSpan? ttl, string parameter)
    {
        if (ttl is { } span && span != Timeout.InfiniteTimeSpan && span <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(parameter, span,
                "A TTL must be positive; use Timeout.InfiniteTimeSpan for an item that never expires.");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Undefined => "an undefined JsonElement (default)",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => $"a {kind.ToString().ToLowerInvariant()}",
    };

    /// <summary>A stored item with what the store needs beside it: its vectors and its lifetime.</summary>
    private sealed record Entry(Item Item, IReadOnlyList<float[]> Vectors, TimeSpan? Ttl, DateTimeOffset? ExpiresAt)
    {
        public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiresAt && now >= expiresAt;

        /// <summary>The entry with its lifetime restarted from <paramref name="now"/>; items without a TTL are unchanged.</summary>
        public Entry Refreshed(DateTimeOffset now) => Ttl is { } ttl ? this with { ExpiresAt = now + ttl } : this;
    }
}
