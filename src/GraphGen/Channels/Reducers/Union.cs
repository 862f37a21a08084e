using System.Collections.Immutable;

namespace GraphGen;

/// <summary>Reducer for set channels: each write adds the items the set does not have yet.</summary>
public static class Union
{
    /// <summary>Returns the items of <paramref name="current"/> and of <paramref name="update"/>, with its comparer.</summary>
    /// <param name="current">The channel value; null is treated as an empty set with the default comparer.</param>
    /// <param name="update">The items written.</param>
    public static ImmutableHashSet<T> Reduce<T>(ImmutableHashSet<T>? current, IEnumerable<T> update) =>
        (current ?? []).Union(update);

    /// <summary>Returns the items of <paramref name="current"/> and of <paramref name="update"/>, in its order.</summary>
    /// <param name="current">The channel value; null is treated as an empty set with the default comparer.</param>
    /// <param name="update">The items written.</param>
    public static ImmutableSortedSet<T> Reduce<T>(ImmutableSortedSet<T>? current, IEnumerable<T> update) =>
        (current ?? []).Union(update);
}
