namespace GraphGen.Store;

/// <summary>
/// The rules for store namespaces: tuples of labels such as <c>["users", "42", "memories"]</c>, matched and
/// ordered label by label. Every store applies the same rules, taken from LangGraph.
/// </summary>
public static class StoreNamespace
{
    /// <summary>In <see cref="IStore.ListNamespacesAsync"/> prefixes and suffixes, a label that matches any one label.</summary>
    public const string Wildcard = "*";

    /// <summary>The root label LangGraph reserves for its own data.</summary>
    public const string ReservedRoot = "langgraph";

    /// <summary>
    /// Checks the rules a namespace must follow to be written: at least one label, no empty label, no
    /// <c>.</c> in a label (stores join labels with dots), and not <see cref="ReservedRoot"/> as the root label.
    /// </summary>
    /// <exception cref="InvalidNamespaceException">A rule is broken; the message says which.</exception>
    public static void Validate(IReadOnlyList<string> @namespace)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        if (@namespace.Count == 0)
            throw new InvalidNamespaceException(@namespace, "it has no labels; give at least one, for example [\"users\", userId]");
        foreach (var label in @namespace)
        {
            if (string.IsNullOrEmpty(label))
                throw new InvalidNamespaceException(@namespace, "a label is empty; every label needs at least one character");
            if (label.Contains('.'))
                throw new InvalidNamespaceException(@namespace,
                    $"label '{label}' contains '.', which stores use to join labels; split it into two labels or use another character");
        }
        if (@namespace[0] == ReservedRoot)
            throw new InvalidNamespaceException(@namespace, $"the root label '{ReservedRoot}' is reserved; start the namespace with another label");
    }

    /// <summary>Compares namespaces label by label, ordinally; a namespace sorts before those it is a prefix of.</summary>
    internal static readonly LabelComparer Comparer = new();

    /// <summary>Whether <paramref name="namespace"/> starts with the labels of <paramref name="prefix"/> (taken literally).</summary>
    internal static bool StartsWith(IReadOnlyList<string> @namespace, IReadOnlyList<string> prefix) =>
        @namespace.Count >= prefix.Count && LabelsMatch(@namespace, 0, prefix, wildcards: false);

    /// <summary>Whether <paramref name="namespace"/> starts with <paramref name="pattern"/>, where <see cref="Wildcard"/> matches any label.</summary>
    internal static bool MatchesPrefix(IReadOnlyList<string> @namespace, IReadOnlyList<string> pattern) =>
        @namespace.Count >= pattern.Count && LabelsMatch(@namespace, 0, pattern, wildcards: true);

    /// <summary>Whether <paramref name="namespace"/> ends with <paramref name="pattern"/>, where <see cref="Wildcard"/> matches any label.</summary>
    internal static bool MatchesSuffix(IReadOnlyList<string> @namespace, IReadOnlyList<string> pattern) =>
        @namespace.Count >= pattern.Count && LabelsMatch(@namespace, @namespace.Count - pattern.Count, pattern, wildcards: true);

    /// <summary>An immutable copy of the labels.</summary>
    internal static IReadOnlyList<string> Freeze(IEnumerable<string> labels) => Array.AsReadOnly(labels.ToArray());

    /// <summary>The namespace as text for messages, e.g. <c>["users", "42"]</c>.</summary>
    internal static string Format(IReadOnlyList<string>? @namespace) =>
        @namespace is null ? "null" : "[" + string.Join(", ", @namespace.Select(l => l is null ? "null" : $"\"{l}\"")) + "]";

    private static bool LabelsMatch(IReadOnlyList<string> @namespace, int start, IReadOnlyList<string> pattern, bool wildcards)
    {
        for (var i = 0; i < pattern.Count; i++)
        {
            if (wildcards && pattern[i] == Wildcard) continue;
            if (!string.Equals(@namespace[start + i], pattern[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>Label-wise ordinal equality and order, for dictionaries and sorted listings of namespaces.</summary>
    internal sealed class LabelComparer : IEqualityComparer<IReadOnlyList<string>>, IComparer<IReadOnlyList<string>>
    {
        public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y, StringComparer.Ordinal));

        public int GetHashCode(IReadOnlyList<string> labels)
        {
            var hash = new HashCode();
            foreach (var label in labels) hash.Add(label, StringComparer.Ordinal);
            return hash.ToHashCode();
        }

        public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
        {
            if (x is null || y is null) return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var order = string.CompareOrdinal(x[i], y[i]);
                if (order != 0) return order;
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}
