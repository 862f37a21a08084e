using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace GraphGen.Store;

/// <summary>
/// A search filter, checked once when the search starts (so a bad operator fails even on an empty store) and
/// then applied to each value. The semantics are documented on <see cref="IStore.SearchAsync"/>.
/// </summary>
internal sealed class StoreFilter
{
    public static readonly StoreFilter None = new([]);

    private static readonly Dictionary<string, Func<JsonElement?, JsonElement, bool>> Operators = new(StringComparer.Ordinal)
    {
        ["$eq"] = AreEqual,
        ["$ne"] = (actual, operand) => !AreEqual(actual, operand),
        // A null comparison (kinds that have no order) makes every lifted comparison false.
        ["$gt"] = (actual, operand) => Compare(actual, operand) > 0,
        ["$gte"] = (actual, operand) => Compare(actual, operand) >= 0,
        ["$lt"] = (actual, operand) => Compare(actual, operand) < 0,
        ["$lte"] = (actual, operand) => Compare(actual, operand) <= 0,
    };

    private readonly IReadOnlyList<Condition> _conditions;

    private StoreFilter(IReadOnlyList<Condition> conditions) => _conditions = conditions;

    /// <exception cref="ArgumentException">An unknown operator, an unsupported operand type or a malformed path.</exception>
    public static StoreFilter Parse(IReadOnlyDictionary<string, object?>? filter)
    {
        if (filter is null || filter.Count == 0) return None;
        var conditions = new List<Condition>();
        foreach (var (key, operand) in filter)
        {
            var path = JsonFieldPath.Parse(key, nameof(filter));
            foreach (var (name, value) in OperatorsOf(operand))
            {
                var test = Operators.GetValueOrDefault(name) ?? throw new ArgumentException(
                    $"The filter on '{key}' uses the unknown operator '{name}'; use $eq, $ne, $gt, $gte, $lt or $lte.", nameof(filter));
                conditions.Add(new(path, test, ToJson(key, value)));
            }
        }
        return new(conditions);
    }

    public bool Matches(JsonElement value) => _conditions.All(condition => condition.Holds(value));

    /// <summary>An operator object as its entries; any other operand means equality.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> OperatorsOf(object? operand) => operand switch
    {
        IReadOnlyDictionary<string, object?> operators => operators,
        // Filters that arrive as JSON (from a CLI or an HTTP body) spell operator objects the same way.
        JsonElement { ValueKind: JsonValueKind.Object } json when json.EnumerateObject().Any(p => p.Name.StartsWith('$')) =>
            json.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, (object?)p.Value)),
        _ => [KeyValuePair.Create("$eq", operand)],
    };

    private static bool AreEqual(JsonElement? actual, JsonElement operand) =>
        actual is { } value ? JsonElement.DeepEquals(value, operand) : operand.ValueKind == JsonValueKind.Null;

    private static int? Compare(JsonElement? actual, JsonElement operand) => (actual?.ValueKind, operand.ValueKind) switch
    {
        (JsonValueKind.Number, JsonValueKind.Number) => actual!.Value.GetDouble().CompareTo(operand.GetDouble()),
        (JsonValueKind.String, JsonValueKind.String) => string.CompareOrdinal(actual!.Value.GetString(), operand.GetString()),
        _ => null,
    };

    /// <summary>The operand as JSON, so values and operands compare one way whatever .NET type the operand had.</summary>
    private static JsonElement ToJson(string key, object? operand)
    {
        if (operand is JsonElement json) return json;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            switch (operand)
            {
                case null: writer.WriteNullValue(); break;
                case string text: writer.WriteStringValue(text); break;
                case bool flag: writer.WriteBooleanValue(flag); break;
                case int or long or short or sbyte or byte or ushort or uint:
                    writer.WriteNumberValue(Convert.ToInt64(operand, CultureInfo.InvariantCulture)); break;
                case ulong number: writer.WriteNumberValue(number); break;
                case double number: writer.WriteNumberValue(number); break;
                case float number: writer.WriteNumberValue(number); break;
                case decimal number: writer.WriteNumberValue(number); break;
                default:
                    throw new ArgumentException(
                        $"The filter on '{key}' compares with a {operand.GetType().Name}; use a string, number, boolean, null, " +
                        "JsonElement, or an operator object (IReadOnlyDictionary<string, object?>).", "filter");
            }
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private sealed record Condition(JsonFieldPath Path, Func<JsonElement?, JsonElement, bool> Test, JsonElement Operand)
    {
        /// <summary>Holds when one selected value passes; a path that selects nothing tests as missing (null).</summary>
        public bool Holds(JsonElement value)
        {
            var selected = Path.Select(value).ToList();
            return selected.Count == 0 ? Test(null, Operand) : selected.Any(found => Test(found, Operand));
        }
    }
}
