using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Xunit.Sdk;

namespace GraphGen.Tests.Serialization;

/// <summary>
/// Structural equality for round-trip tests: objects by public properties (and [JsonInclude] fields, minus [JsonIgnore]d
/// members), sequences in order, sets and dictionaries by content, and exact scalars (double and float by bits with
/// NaN equal to NaN, decimal by bits so 1.10m differs from 1.1m, DateTime by ticks and kind, DateTimeOffset by ticks
/// and offset). Failures name the path to the first difference.
/// </summary>
internal static class Deep
{
    public static void Equal(object? expected, object? actual) => Compare(expected, actual, "$");

    private static void Compare(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            if (expected is not null || actual is not null)
            {
                Fail(path, expected, actual);
            }
            return;
        }
        switch (expected)
        {
            case double d:
                Check(actual is double a && (BitConverter.DoubleToInt64Bits(d) == BitConverter.DoubleToInt64Bits(a) || double.IsNaN(d) && double.IsNaN(a)), path, expected, actual);
                return;
            case float f:
                Check(actual is float b && (BitConverter.SingleToInt32Bits(f) == BitConverter.SingleToInt32Bits(b) || float.IsNaN(f) && float.IsNaN(b)), path, expected, actual);
                return;
            case decimal m:
                Check(actual is decimal n && decimal.GetBits(m).SequenceEqual(decimal.GetBits(n)), path, expected, actual);
                return;
            case DateTime t:
                Check(actual is DateTime u && t.Ticks == u.Ticks && t.Kind == u.Kind, path, $"{t:O} {t.Kind}", actual is DateTime x ? $"{x:O} {x.Kind}" : actual);
                return;
            case DateTimeOffset o:
                Check(actual is DateTimeOffset p && o.Ticks == p.Ticks && o.Offset == p.Offset, path, expected, actual);
                return;
            case JsonElement e:
                // A default (undefined) element is written as null.
                var expectedElement = e.ValueKind == JsonValueKind.Undefined ? Json.Parse("null") : e;
                Check(actual is JsonElement g && JsonElement.DeepEquals(expectedElement, g), path, expectedElement.GetRawText(), actual is JsonElement h ? h.GetRawText() : actual);
                return;
            case JsonNode node:
                Check(actual is JsonNode other && JsonNode.DeepEquals(node, other), path, node.ToJsonString(), (actual as JsonNode)?.ToJsonString());
                return;
            case string or char or bool or Enum or Guid or TimeSpan or DateOnly or TimeOnly or Uri or Version
                or byte or sbyte or short or ushort or int or uint or long or ulong:
                Check(expected.Equals(actual), path, expected, actual);
                return;
        }

        var type = expected.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            if ((bool)type.GetProperty("IsDefault")!.GetValue(expected)!)
            {
                Check(actual.GetType() == type && (bool)type.GetProperty("IsDefault")!.GetValue(actual)!, path, "default", actual);
                return;
            }
        }
        if (expected is IEnumerable sequence and not string)
        {
            Check(actual is IEnumerable, path, expected, actual);
            var expectedItems = sequence.Cast<object?>().ToList();
            var actualItems = ((IEnumerable)actual).Cast<object?>().ToList();
            Check(expectedItems.Count == actualItems.Count, path, $"{expectedItems.Count} items", $"{actualItems.Count} items");
            if (IsPairs(type))
            {
                ComparePairs(expectedItems, actualItems, path);
            }
            else if (IsSet(type))
            {
                foreach (var item in expectedItems)
                {
                    Check(actualItems.Any(a => Matches(item, a)), path, item, "no equal item");
                }
            }
            else
            {
                for (var i = 0; i < expectedItems.Count; i++)
                {
                    Compare(expectedItems[i], actualItems[i], $"{path}[{i}]");
                }
            }
            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract" || property.GetCustomAttribute<JsonIgnoreAttribute>() is { Condition: JsonIgnoreCondition.Always })
            {
                continue;
            }
            Compare(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
        {
            if (field.GetCustomAttribute<JsonIncludeAttribute>() is not null)
            {
                Compare(field.GetValue(expected), field.GetValue(actual), $"{path}.{field.Name}");
            }
        }
    }

    /// <summary>Pairs compared by key: dictionaries of any kind, and the lists of pairs MergeDictionary updates are read into.</summary>
    private static void ComparePairs(List<object?> expected, List<object?> actual, string path)
    {
        var actualByKey = new Dictionary<object, object?>();
        foreach (var pair in actual)
        {
            actualByKey[Key(pair)] = Value(pair);
        }
        foreach (var pair in expected)
        {
            Check(actualByKey.TryGetValue(Key(pair), out var value), path, $"key {Key(pair)}", "missing");
            Compare(Value(pair), value, $"{path}[{Key(pair)}]");
        }

        static object Key(object? pair) => pair!.GetType().GetProperty("Key")!.GetValue(pair)!;
        static object? Value(object? pair) => pair!.GetType().GetProperty("Value")!.GetValue(pair);
    }

    private static bool Matches(object? expected, object? actual)
    {
        try
        {
            Compare(expected, actual, "");
            return true;
        }
        catch (XunitException)
        {
            return false;
        }
    }

    private static bool IsPairs(Type type) =>
        typeof(IDictionary).IsAssignableFrom(type)
        || type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));

    private static bool IsSet(Type type) => type.GetInterfaces().Any(i => i.IsGenericType
        && (i.GetGenericTypeDefinition() == typeof(ISet<>) || i.GetGenericTypeDefinition() == typeof(IReadOnlySet<>) || i.GetGenericTypeDefinition() == typeof(IImmutableSet<>)));

    private static void Check(bool condition, string path, object? expected, object? actual)
    {
        if (!condition)
        {
            Fail(path, expected, actual);
        }
    }

    private static void Fail(string path, object? expected, object? actual) =>
        throw new XunitException($"Values differ at {path}: expected {Show(expected)}, actual {Show(actual)}.");

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s, TestJsonStrings.Default.String),
        _ => value.ToString() ?? "",
    };
}

[JsonSerializable(typeof(string))]
internal sealed partial class TestJsonStrings : JsonSerializerContext;
