using System.Collections.Immutable;
using System.Text.Json;

namespace GraphGen;

/// <summary>
/// Decides whether a list channel only grew, so that the runtime can serialize just the new items and the saver
/// can store just those (delta storage). Called by generated <see cref="StateSchema{TState}.TryWriteAppended"/>.
/// </summary>
public static class ListAppend
{
    /// <summary>
    /// The index of the first new item when <paramref name="current"/> starts with exactly the items of
    /// <paramref name="previous"/>; -1 when it does not, or when equal items might not serialize to equal JSON.
    /// </summary>
    /// <remarks>
    /// Items are compared by reference (state values are immutable), strings by value, and value types by
    /// equality only where equal values always serialize alike (integers, bool, char, Guid, enums): 1.0m and 1.00m
    /// are equal but are written differently, and so are two equal instants at different offsets.
    /// One instance on both sides is unchanged only if it is an immutable collection: a <c>List&lt;T&gt;</c> or an
    /// array written back to its channel may have been changed in place since it was stored.
    /// </remarks>
    public static int Start<T>(IReadOnlyList<T>? previous, IReadOnlyList<T>? current)
    {
        if (previous is null || current is null || current.Count < previous.Count || !Comparable<T>.Value)
        {
            return -1;
        }
        if (ReferenceEquals(previous, current))
        {
            return previous is IImmutableList<T> ? previous.Count : -1;
        }
        if (previous is ImmutableList<T> before && current is ImmutableList<T> after)
        {
            // An ImmutableList is a tree: its indexer is O(log n), its enumerator O(1) per item.
            return StartsWith(before, after) ? before.Count : -1;
        }
        for (var i = 0; i < previous.Count; i++)
        {
            if (!Same(previous[i], current[i]))
            {
                return -1;
            }
        }
        return previous.Count;
    }

    /// <inheritdoc cref="Start{T}(IReadOnlyList{T}, IReadOnlyList{T})"/>
    public static int Start<T>(ImmutableArray<T> previous, ImmutableArray<T> current)
    {
        if (previous.IsDefault || current.IsDefault || current.Length < previous.Length || !Comparable<T>.Value)
        {
            return -1;
        }
        var before = previous.AsSpan();
        var after = current.AsSpan();
        for (var i = 0; i < before.Length; i++)
        {
            if (!Same(before[i], after[i]))
            {
                return -1;
            }
        }
        return before.Length;
    }

    /// <summary>
    /// Writes the items <paramref name="current"/> gained since <paramref name="previous"/> (see <see cref="Start{T}(IReadOnlyList{T}, IReadOnlyList{T})"/>)
    /// as one JSON array, each with <paramref name="writeItem"/>, and returns true; or writes nothing and returns false.
    /// Generated code (one <c>WriteAppended_</c> method per list type, which
    /// <see cref="StateSchema{TState}.TryWriteAppended"/> calls) passes the item writer its list writer uses, so the
    /// stored array followed by these items is byte for byte the whole list written at once.
    /// </summary>
    /// <remarks>
    /// <paramref name="onlyGrew"/> says the caller knows that <paramref name="current"/> is immutable and starts with
    /// the items of the immutable <paramref name="previous"/> (an <see cref="Append"/> reducer made it from them), so
    /// the items are not compared: comparing walks the whole list at every checkpoint.
    /// </remarks>
    public static bool TryWrite<T>(Utf8JsonWriter writer, IReadOnlyList<T>? previous, IReadOnlyList<T>? current, Action<Utf8JsonWriter, T> writeItem, bool onlyGrew)
    {
        var start = onlyGrew ? Grown(previous?.Count, current?.Count) : Start(previous, current);
        if (start < 0)
        {
            return false;
        }
        writer.WriteStartArray();
        for (var i = start; i < current!.Count; i++)
        {
            writeItem(writer, current[i]);
        }
        writer.WriteEndArray();
        return true;
    }

    /// <inheritdoc cref="TryWrite{T}(Utf8JsonWriter, IReadOnlyList{T}, IReadOnlyList{T}, Action{Utf8JsonWriter, T}, bool)"/>
    public static bool TryWrite<T>(Utf8JsonWriter writer, ImmutableArray<T> previous, ImmutableArray<T> current, Action<Utf8JsonWriter, T> writeItem, bool onlyGrew)
    {
        var start = onlyGrew
            ? Grown(previous.IsDefault ? null : previous.Length, current.IsDefault ? null : current.Length)
            : Start(previous, current);
        if (start < 0)
        {
            return false;
        }
        writer.WriteStartArray();
        foreach (var item in current.AsSpan()[start..])
        {
            writeItem(writer, item);
        }
        writer.WriteEndArray();
        return true;
    }

    /// <summary>
    /// For channels declared as a collection interface without an indexer (<c>IList&lt;T&gt;</c>, <c>ICollection&lt;T&gt;</c>,
    /// <c>IReadOnlyCollection&lt;T&gt;</c>): as the list overload when both values are lists, else false.
    /// </summary>
    public static bool TryWrite<T>(Utf8JsonWriter writer, IEnumerable<T>? previous, IEnumerable<T>? current, Action<Utf8JsonWriter, T> writeItem, bool onlyGrew) =>
        TryWrite(writer, previous as IReadOnlyList<T>, current as IReadOnlyList<T>, writeItem, onlyGrew);

    /// <summary>For a list known to have only grown: where its new items start, or -1 when either side is null.</summary>
    private static int Grown(int? previousCount, int? currentCount) =>
        previousCount is { } before && currentCount is { } after && after >= before ? before : -1;

    private static bool StartsWith<T>(ImmutableList<T> previous, ImmutableList<T> current)
    {
        using var before = previous.GetEnumerator();
        using var after = current.GetEnumerator();
        while (before.MoveNext())
        {
            if (!after.MoveNext() || !Same(before.Current, after.Current))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Same<T>(T a, T b) =>
        typeof(T).IsValueType || typeof(T) == typeof(string) ? EqualityComparer<T>.Default.Equals(a, b) : ReferenceEquals(a, b);

    private static class Comparable<T>
    {
        public static readonly bool Value = !typeof(T).IsValueType || IsExactValue(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));

        private static bool IsExactValue(Type type) =>
            type.IsEnum || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            || type == typeof(bool) || type == typeof(char) || type == typeof(Guid);
    }
}
