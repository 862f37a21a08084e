namespace GraphGen;

/// <summary>Reducer that keeps the largest value ever written.</summary>
public static class Max
{
    /// <summary>
    /// Returns the larger of <paramref name="current"/> and <paramref name="update"/>; on a tie the current value
    /// stays, so an equal write does not replace the instance. Null counts as smallest.
    /// </summary>
    /// <param name="current">The channel value.</param>
    /// <param name="update">The value written.</param>
    public static T Reduce<T>(T current, T update) where T : IComparable<T> =>
        // Comparer<T>.Default rather than update.CompareTo: it orders nulls instead of throwing on them.
        Comparer<T>.Default.Compare(update, current) > 0 ? update : current;
}
