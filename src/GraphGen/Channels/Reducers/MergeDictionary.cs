using System.Collections.Immutable;

namespace GraphGen;

/// <summary>Reducer for dictionary channels: each write sets its entries, keeping the keys it does not mention.</summary>
public static class MergeDictionary
{
    /// <summary>
    /// Returns <paramref name="current"/> with every entry of <paramref name="update"/> set; when a key is written
    /// more than once the later entry wins.
    /// </summary>
    /// <param name="current">The channel value; null is treated as empty with the default comparer.</param>
    /// <param name="update">The entries written, in order.</param>
    public static ImmutableDictionary<TKey, TValue> Reduce<TKey, TValue>(
        ImmutableDictionary<TKey, TValue>? current, IEnumerable<KeyValuePair<TKey, TValue>> update)
        where TKey : notnull =>
        (current ?? ImmutableDictionary<TKey, TValue>.Empty).SetItems(update);
}
