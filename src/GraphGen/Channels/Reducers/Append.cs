using System.Collections.Immutable;

namespace GraphGen;

/// <summary>Reducer for list channels: each write adds its items after the ones already there.</summary>
public static class Append
{
    /// <summary>Returns <paramref name="current"/> followed by the items of <paramref name="update"/>.</summary>
    /// <param name="current">The channel value; null is treated as empty.</param>
    /// <param name="update">The items written, in order.</param>
    public static ImmutableList<T> Reduce<T>(ImmutableList<T>? current, IEnumerable<T> update) =>
        (current ?? []).AddRange(update);

    /// <summary>Returns <paramref name="current"/> followed by the items of <paramref name="update"/>.</summary>
    /// <param name="current">The channel value; a default (uninitialized) array is treated as empty.</param>
    /// <param name="update">The items written, in order.</param>
    public static ImmutableArray<T> Reduce<T>(ImmutableArray<T> current, IEnumerable<T> update) =>
        (current.IsDefault ? [] : current).AddRange(update);

    /// <summary>Returns <paramref name="current"/> followed by the items of <paramref name="update"/>, as an immutable list.</summary>
    /// <param name="current">The channel value; null is treated as empty.</param>
    /// <param name="update">The items written, in order.</param>
    public static ImmutableList<T> Reduce<T>(IReadOnlyList<T>? current, IEnumerable<T> update)
    {
        if (current is null or ImmutableList<T>)
        {
            return Reduce((ImmutableList<T>?)current, update);
        }
        // Copy the caller's list once into the result instead of converting it and then appending.
        var result = ImmutableList.CreateBuilder<T>();
        result.AddRange(current);
        result.AddRange(update);
        return result.ToImmutable();
    }
}
