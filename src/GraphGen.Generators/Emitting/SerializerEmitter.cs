using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;

namespace GraphGen.Generators.Emitting;

/// <summary>
/// Writes, for every <see cref="TypeSpec"/>, a <c>Write_{Key}</c> and a <c>Read_{Key}</c> method using
/// <c>Utf8JsonWriter</c>/<c>Utf8JsonReader</c> directly: no reflection, no type names in the data.
/// A reader is positioned on the value's first token and left on its last.
/// </summary>
internal static class SerializerEmitter
{
    public static void Emit(SourceWriter w, EquatableArray<TypeSpec> types)
    {
        foreach (var type in types)
        {
            w.WriteLine();
            switch (type.Kind)
            {
                case SerializerKind.Primitive:
                    EmitPrimitive(w, type);
                    break;
                case SerializerKind.Sequence:
                    EmitSequence(w, type);
                    break;
                case SerializerKind.AIJson:
                    EmitAIJson(w, type);
                    break;
            }
        }
    }

    private static void EmitPrimitive(SourceWriter w, TypeSpec type)
    {
        var nullable = type.FullName.EndsWith("?");
        w.OpenBlock($"private static void Write_{type.Key}(global::System.Text.Json.Utf8JsonWriter writer, {type.FullName} value)");
        if (nullable)
        {
            w.OpenBlock("if (value is null)");
            w.WriteLine("writer.WriteNullValue();");
            w.WriteLine("return;");
            w.CloseBlock();
        }
        w.WriteLine(type.Primitive switch
        {
            "Boolean" => "writer.WriteBooleanValue(value);",
            "String" => "writer.WriteStringValue(value);",
            _ => "writer.WriteNumberValue(value);",
        });
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock($"private static {type.FullName} Read_{type.Key}(ref global::System.Text.Json.Utf8JsonReader reader)");
        if (nullable)
        {
            w.WriteLine($"if (reader.TokenType == global::System.Text.Json.JsonTokenType.Null) return null;");
        }
        w.WriteLine(type.Primitive == "String"
            ? $"return reader.GetString(){(nullable ? "" : "!")};"
            : $"return reader.Get{type.Primitive}();");
        w.CloseBlock();
    }

    private static void EmitSequence(SourceWriter w, TypeSpec type)
    {
        w.OpenBlock($"private static void Write_{type.Key}(global::System.Text.Json.Utf8JsonWriter writer, {type.FullName} value)");
        w.WriteLine("writer.WriteStartArray();");
        w.OpenBlock("foreach (var item in value)");
        w.WriteLine($"Write_{type.ElementKey}(writer, item);");
        w.CloseBlock();
        w.WriteLine("writer.WriteEndArray();");
        w.CloseBlock();
        w.WriteLine();
        w.OpenBlock($"private static {type.FullName} Read_{type.Key}(ref global::System.Text.Json.Utf8JsonReader reader)");
        w.WriteLine($"var items = global::System.Collections.Immutable.ImmutableList.CreateBuilder<{type.ElementType}>();");
        w.OpenBlock("while (reader.Read() && reader.TokenType != global::System.Text.Json.JsonTokenType.EndArray)");
        w.WriteLine($"items.Add(Read_{type.ElementKey}(ref reader));");
        w.CloseBlock();
        w.WriteLine("return items.ToImmutable();");
        w.CloseBlock();
    }

    private static void EmitAIJson(SourceWriter w, TypeSpec type)
    {
        var info = $"s_info_{type.Key}";
        w.WriteLine($"private static readonly global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type.FullName}> {info} =");
        w.WriteLine($"    (global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type.FullName}>)global::Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof({type.FullName}));");
        w.WriteLine();
        w.WriteLine($"private static void Write_{type.Key}(global::System.Text.Json.Utf8JsonWriter writer, {type.FullName} value) =>");
        w.WriteLine($"    global::System.Text.Json.JsonSerializer.Serialize(writer, value, {info});");
        w.WriteLine();
        w.WriteLine($"private static {type.FullName} Read_{type.Key}(ref global::System.Text.Json.Utf8JsonReader reader) =>");
        w.WriteLine($"    global::System.Text.Json.JsonSerializer.Deserialize(ref reader, {info})!;");
    }
}
