using System.Diagnostics.CodeAnalysis;

namespace GraphGen.Checkpointing;

/// <summary>
/// A read-only map with ordinal string keys over one array of pairs, searched from the start. For the few entries of a
/// checkpoint's version maps held for a long time: one array where a <see cref="Dictionary{TKey, TValue}"/> is three
/// objects, which every garbage collection that reaches them has to trace and copy.
/// </summary>
internal sealed class PairMap<TValue>(KeyValuePair<string, TValue>[] pairs) : IReadOnlyDictionary<string, TValue>
{
    public int Count => pairs.Length;

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The key '{key}' was not present.");

    public IEnumerable<string> Keys => pairs.Select(pair => pair.Key);

    public IEnumerable<TValue> Values => pairs.Select(pair => pair.Value);

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? pairs[index].Value : default;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, TValue>>)pairs).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        for (var i = 0; i < pairs.Length; i++)
        {
            if (string.Equals(pairs[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }
}
