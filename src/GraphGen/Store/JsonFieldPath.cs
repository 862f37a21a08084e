using System.Globalization;
using System.Text.Json;

namespace GraphGen.Store;

/// <summary>
/// A path into a JSON value, written as LangGraph writes index fields: <c>"$"</c> (the value itself),
/// <c>"a.b"</c>, <c>"arr[0]"</c>, <c>"arr[-1]"</c> (from the end) and <c>"arr[*].x"</c> (every element).
/// Index fields and filter keys share it, so both read paths the same way.
/// </summary>
internal sealed class JsonFieldPath
{
    private readonly IReadOnlyList<Step> _steps;

    private JsonFieldPath(IReadOnlyList<Step> steps) => _steps = steps;

    /// <exception cref="ArgumentException">The path is malformed; <paramref name="parameter"/> names the argument it came from.</exception>
    public static JsonFieldPath Parse(string path, string parameter)
    {
        if (path == "$") return new([]);
        ArgumentException.ThrowIfNullOrEmpty(path, parameter);
        var steps = new List<Step>();
        foreach (var part in path.Split('.'))
        {
            var bracket = part.IndexOf('[');
            var name = bracket < 0 ? part : part[..bracket];
            if (name.Length == 0) throw Malformed(path, parameter, "every part needs a field name before any [index]");
            steps.Add(new PropertyStep(name));
            for (var rest = bracket < 0 ? "" : part[bracket..]; rest.Length > 0;)
            {
                var close = rest.IndexOf(']');
                if (rest[0] != '[' || close < 0) throw Malformed(path, parameter, $"'{rest}' is not an [index]");
                var index = rest[1..close];
                steps.Add(index == "*" ? new EveryElementStep()
                    : int.TryParse(index, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var position) ? new ElementStep(position)
                    : throw Malformed(path, parameter, $"'[{index}]' is neither a whole number nor *"));
                rest = rest[(close + 1)..];
            }
        }
        return new(steps);
    }

    /// <summary>The values the path reaches in <paramref name="root"/>; none when a step does not fit.</summary>
    public IEnumerable<JsonElement> Select(JsonElement root)
    {
        IEnumerable<JsonElement> found = [root];
        foreach (var step in _steps) found = found.SelectMany(step.Apply);
        return found;
    }

    private static ArgumentException Malformed(string path, string parameter, string why) => new(
        $"Path '{path}' is malformed: {why}. Write \"$\", \"a.b\", \"arr[0]\", \"arr[-1]\" or \"arr[*].x\".", parameter);

    private abstract record Step
    {
        public abstract IEnumerable<JsonElement> Apply(JsonElement element);
    }

    private sealed record PropertyStep(string Name) : Step
    {
        public override IEnumerable<JsonElement> Apply(JsonElement element) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(Name, out var value) ? [value] : [];
    }

    /// <summary>One element; a negative position counts from the end, as in Python.</summary>
    private sealed record ElementStep(int Position) : Step
    {
        public override IEnumerable<JsonElement> Apply(JsonElement element)
        {
            if (element.ValueKind != JsonValueKind.Array) return [];
            var length = element.GetArrayLength();
            var index = Position < 0 ? length + Position : Position;
            return index >= 0 && index < length ? [element[index]] : [];
        }
    }

    private sealed record EveryElementStep : Step
    {
        public override IEnumerable<JsonElement> Apply(JsonElement element) =>
            element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [];
    }
}
