using System.Collections.Generic;
using System.Linq;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;

namespace GraphGen.Generators.Emitting;

/// <summary>
/// Writes, for every <see cref="TypeSpec"/>, a <c>Write_{Key}</c> and a <c>Read_{Key}</c> method using
/// <c>Utf8JsonWriter</c>/<c>Utf8JsonReader</c> directly: no reflection, no type names in the data, no LINQ, closures
/// or boxing. A reader is positioned on the value's first token and left on its last. Each type is written once per
/// compilation, in <see cref="SharedClass"/>; only types a state alone can see are written inside its schema.
/// </summary>
/// <remarks>
/// The JSON is what System.Text.Json reads back into the same CLR types with camelCase names, string enums and named
/// floating-point literals allowed: objects by member, dictionaries as objects (non-string keys as strings),
/// collections as arrays, byte[] as base64, TimeSpan in the "c" format, DateTime/DateTimeOffset in ISO 8601 with
/// kind and offset. Unknown properties are skipped; missing ones keep the constructor's or initializer's value.
/// </remarks>
internal static class SerializerEmitter
{
    private const string Writer = "global::System.Text.Json.Utf8JsonWriter";
    private const string Reader = "global::System.Text.Json.Utf8JsonReader";
    private const string Token = "global::System.Text.Json.JsonTokenType";
    private const string JsonException = "global::System.Text.Json.JsonException";
    private const string Encoded = "global::System.Text.Json.JsonEncodedText";
    private const string Invariant = "global::System.Globalization.CultureInfo.InvariantCulture";
    private const string Formatter = "global::System.Buffers.Text.Utf8Formatter";
    private const string Parser = "global::System.Buffers.Text.Utf8Parser";
    private const string AsSpan = "global::System.Runtime.InteropServices.CollectionsMarshal.AsSpan";
    private const string ChatMessage = "global::Microsoft.Extensions.AI.ChatMessage";

    /// <summary>The class holding the serializers of every type the states of a compilation store, each once.</summary>
    public const string SharedClass = "global::GraphGen.Generated.GraphStateJson";

    /// <summary>The hint name of <see cref="SharedClass"/>'s file.</summary>
    public const string SharedHintName = "GraphGen.Generated.GraphStateJson.g.cs";

    /// <summary>
    /// The file of <see cref="SharedClass"/>: the serializers of <paramref name="types"/> (every non-local type of every
    /// state). Schemas call them through <c>using static</c>. <c>[Embedded]</c> keeps the class out of sight of other
    /// projects, which have their own (a test project with InternalsVisibleTo would otherwise see two).
    /// </summary>
    public static string EmitShared(EquatableArray<TypeSpec> types)
    {
        var w = SourceWriter.ForGeneratedFile();
        w.WriteLine("namespace GraphGen.Generated;");
        w.WriteLine();
        w.WriteLine("/// <summary>JSON serializers of the types this project's [GraphState] types store, shared by their schemas.</summary>");
        w.WriteLine("[global::Microsoft.CodeAnalysis.Embedded]");
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.OpenBlock("internal static class " + SharedClass.Substring(SharedClass.LastIndexOf('.') + 1));
        Emit(w, types, new Scope("internal", types));
        w.CloseBlock();
        return w.ToString();
    }

    /// <summary>The serializers of a state's <see cref="TypeSpec.Local"/> types, as private members of its schema.</summary>
    public static void EmitLocal(SourceWriter w, EquatableArray<TypeSpec> stateTypes)
    {
        var local = stateTypes.Where(t => t.Local).ToEquatableArray();
        if (local.Length > 0)
        {
            w.WriteLine();
            Emit(w, local, new Scope("private", stateTypes));
        }
    }

    private static void Emit(SourceWriter w, EquatableArray<TypeSpec> types, Scope scope)
    {
        // User types' members may be [Obsolete]; reading and writing them is still the serializer's job.
        w.WriteLine("#pragma warning disable CS0612, CS0618");
        foreach (var type in types)
        {
            w.WriteLine();
            switch (type)
            {
                case ScalarSpec scalar:
                    EmitScalar(w, scalar, scope);
                    break;
                case EnumSpec @enum:
                    EmitEnum(w, @enum, scope);
                    break;
                case NullableSpec nullable:
                    EmitNullable(w, nullable, scope);
                    break;
                case SequenceSpec sequence:
                    EmitSequence(w, sequence, scope);
                    if (sequence.IsList)
                    {
                        EmitAppended(w, sequence, scope);
                    }
                    break;
                case DictionarySpec dictionary:
                    EmitDictionary(w, dictionary, scope);
                    break;
                case ObjectSpec @object:
                    EmitObject(w, @object, scope);
                    break;
                case ExternalSpec external:
                    EmitExternal(w, external, scope);
                    break;
            }
        }
        EmitHelpers(w, scope);
        w.WriteLine("#pragma warning restore CS0612, CS0618");
    }

    /// <summary>
    /// Where serializers are written: the access of the methods other code calls (<c>Write_</c>, <c>Read_</c>, and an
    /// enum's <c>TryName_</c>/<c>TryMatch_</c>), the types keys may name, and the helpers some type needed (each
    /// written once, at the end).
    /// </summary>
    private sealed class Scope(string access, EquatableArray<TypeSpec> known)
    {
        public string Access { get; } = access;

        public TypeSpec this[string key] => known.First(t => t.Key == key);

        public bool ShortText;
        public bool Mismatch;
        public bool ConverterOptions;
    }

    private static void OpenWrite(SourceWriter w, TypeSpec type, Scope scope) =>
        w.OpenBlock($"{scope.Access} static void Write_{type.Key}({Writer} writer, {type.FullName} value)");

    private static void OpenRead(SourceWriter w, TypeSpec type, Scope scope) =>
        w.OpenBlock($"{scope.Access} static {type.FullName} Read_{type.Key}(ref {Reader} reader)");

    private static void WriteNullCheck(SourceWriter w, string condition = "value is null")
    {
        w.OpenBlock($"if ({condition})");
        w.WriteLine("writer.WriteNullValue();");
        w.WriteLine("return;");
        w.CloseBlock();
    }

    private static void ReadNullCheck(SourceWriter w, string result = "null!") =>
        w.WriteLine($"if (reader.TokenType == {Token}.Null) return {result};");

    private static void ExpectToken(SourceWriter w, string token, string what, TypeSpec type, Scope scope)
    {
        scope.Mismatch = true;
        w.WriteLine($"if (reader.TokenType != {Token}.{token}) throw JsonMismatch(reader.TokenType, {CSharpNames.Literal(what + " for " + Readable(type.FullName))});");
    }

    // ---- Scalars ---------------------------------------------------------------------------------------------

    private static void EmitScalar(SourceWriter w, ScalarSpec type, Scope scope)
    {
        OpenWrite(w, type, scope);
        switch (type.Scalar)
        {
            case ScalarKind.Boolean:
                w.WriteLine("writer.WriteBooleanValue(value);");
                break;
            case ScalarKind.Single:
            case ScalarKind.Double:
                var floating = type.Scalar == ScalarKind.Single ? "float" : "double";
                // Like JsonNumberHandling.AllowNamedFloatingPointLiterals: NaN and infinities as strings.
                w.OpenBlock($"if ({floating}.IsFinite(value))");
                w.WriteLine("writer.WriteNumberValue(value);");
                w.CloseBlock();
                w.OpenBlock("else");
                w.WriteLine($"writer.WriteStringValue({floating}.IsNaN(value) ? \"NaN\"u8 : value > 0 ? \"Infinity\"u8 : \"-Infinity\"u8);");
                w.CloseBlock();
                break;
            case ScalarKind.Decimal:
                // The writer drops the sign of a negative zero (-0.00m); the reader keeps it.
                w.OpenBlock("if (value == 0m && decimal.IsNegative(value))");
                w.WriteLine($"writer.WriteRawValue(\"-\" + decimal.Negate(value).ToString({Invariant}), skipInputValidation: true);");
                w.WriteLine("return;");
                w.CloseBlock();
                w.WriteLine("writer.WriteNumberValue(value);");
                break;
            case ScalarKind.Char:
                w.WriteLine("writer.WriteStringValue(new global::System.ReadOnlySpan<char>(in value));");
                break;
            case ScalarKind.String:
                w.WriteLine("writer.WriteStringValue(value);");
                break;
            case ScalarKind.DateTime:
            case ScalarKind.DateTimeOffset:
            case ScalarKind.Guid:
                w.WriteLine("writer.WriteStringValue(value);");
                break;
            case ScalarKind.TimeSpan:
            case ScalarKind.TimeOnly:
                w.WriteLine("global::System.Span<byte> text = stackalloc byte[26];");
                var timeSpan = type.Scalar == ScalarKind.TimeOnly ? "value.ToTimeSpan()" : "value";
                w.WriteLine($"{Formatter}.TryFormat({timeSpan}, text, out var written, new global::System.Buffers.StandardFormat('c'));");
                w.WriteLine("writer.WriteStringValue(text.Slice(0, written));");
                break;
            case ScalarKind.DateOnly:
                w.WriteLine("global::System.Span<byte> text = stackalloc byte[10];");
                w.WriteLine($"value.TryFormat(text, out var written, \"yyyy-MM-dd\", {Invariant});");
                w.WriteLine("writer.WriteStringValue(text.Slice(0, written));");
                break;
            case ScalarKind.Uri:
                WriteNullCheck(w);
                w.WriteLine("writer.WriteStringValue(value.OriginalString);");
                break;
            case ScalarKind.Version:
                WriteNullCheck(w);
                w.WriteLine("global::System.Span<char> text = stackalloc char[64];");
                w.WriteLine("value.TryFormat(text, out var written);");
                w.WriteLine("writer.WriteStringValue(text.Slice(0, written));");
                break;
            case ScalarKind.Bytes:
                WriteNullCheck(w);
                w.WriteLine("writer.WriteBase64StringValue(value);");
                break;
            case ScalarKind.JsonElement:
                WriteNullCheck(w, "value.ValueKind == global::System.Text.Json.JsonValueKind.Undefined");
                w.WriteLine("value.WriteTo(writer);");
                break;
            case ScalarKind.JsonNode:
                WriteNullCheck(w);
                w.WriteLine("value.WriteTo(writer);");
                break;
            default:
                w.WriteLine("writer.WriteNumberValue(value);");
                break;
        }
        w.CloseBlock();
        w.WriteLine();

        OpenRead(w, type, scope);
        var name = CSharpNames.Literal(Readable(type.FullName));
        switch (type.Scalar)
        {
            case ScalarKind.Single:
            case ScalarKind.Double:
                var floating = type.Scalar == ScalarKind.Single ? "float" : "double";
                w.OpenBlock($"if (reader.TokenType == {Token}.String)");
                w.WriteLine($"if (reader.ValueTextEquals(\"NaN\"u8)) return {floating}.NaN;");
                w.WriteLine($"if (reader.ValueTextEquals(\"Infinity\"u8)) return {floating}.PositiveInfinity;");
                w.WriteLine($"if (reader.ValueTextEquals(\"-Infinity\"u8)) return {floating}.NegativeInfinity;");
                w.WriteLine($"throw new {JsonException}(\"Expected a number, NaN, Infinity or -Infinity for {floating}.\");");
                w.CloseBlock();
                w.WriteLine($"return reader.{ReaderMethod(type.Scalar)}();");
                break;
            case ScalarKind.Char:
                scope.ShortText = true;
                w.WriteLine("global::System.Span<char> text = stackalloc char[8];");
                w.WriteLine($"if (ReadShortText(ref reader, text, \"char\") != 1) throw new {JsonException}(\"Expected a string of one UTF-16 character for char.\");");
                w.WriteLine("return text[0];");
                break;
            case ScalarKind.String:
                w.WriteLine("return reader.GetString()!;");
                break;
            case ScalarKind.TimeSpan:
            case ScalarKind.TimeOnly:
                scope.ShortText = true;
                w.WriteLine("global::System.Span<char> text = stackalloc char[32];");
                w.WriteLine($"var length = ReadShortText(ref reader, text, {name});");
                if (type.Scalar == ScalarKind.TimeSpan)
                {
                    w.WriteLine($"if (global::System.TimeSpan.TryParseExact(text.Slice(0, length), \"c\", {Invariant}, out var result)) return result;");
                }
                else
                {
                    w.WriteLine($"if (global::System.TimeSpan.TryParseExact(text.Slice(0, length), \"c\", {Invariant}, out var time) && time.Ticks >= 0 && time.Ticks < global::System.TimeSpan.TicksPerDay) return global::System.TimeOnly.FromTimeSpan(time);");
                }
                w.WriteLine($"throw new {JsonException}($\"'{{text.Slice(0, length).ToString()}}' is not a {Readable(type.FullName)} in the \\\"c\\\" format.\");");
                break;
            case ScalarKind.DateOnly:
                scope.ShortText = true;
                w.WriteLine("global::System.Span<char> text = stackalloc char[32];");
                w.WriteLine($"var length = ReadShortText(ref reader, text, {name});");
                w.WriteLine($"if (global::System.DateOnly.TryParseExact(text.Slice(0, length), \"yyyy-MM-dd\", {Invariant}, global::System.Globalization.DateTimeStyles.None, out var result)) return result;");
                w.WriteLine($"throw new {JsonException}($\"'{{text.Slice(0, length).ToString()}}' is not a date in the yyyy-MM-dd format.\");");
                break;
            case ScalarKind.Uri:
                ReadNullCheck(w);
                w.WriteLine("var text = reader.GetString()!;");
                w.WriteLine($"return global::System.Uri.TryCreate(text, global::System.UriKind.RelativeOrAbsolute, out var result) ? result : throw new {JsonException}($\"'{{text}}' is not a URI.\");");
                break;
            case ScalarKind.Version:
                scope.ShortText = true;
                ReadNullCheck(w);
                w.WriteLine("global::System.Span<char> text = stackalloc char[64];");
                w.WriteLine($"var length = ReadShortText(ref reader, text, {name});");
                w.WriteLine($"return global::System.Version.TryParse(text.Slice(0, length), out var result) ? result : throw new {JsonException}($\"'{{text.Slice(0, length).ToString()}}' is not a version.\");");
                break;
            case ScalarKind.Bytes:
                ReadNullCheck(w);
                w.WriteLine("return reader.GetBytesFromBase64();");
                break;
            case ScalarKind.JsonElement:
                w.WriteLine("return global::System.Text.Json.JsonElement.ParseValue(ref reader);");
                break;
            case ScalarKind.JsonNode:
                w.WriteLine("return global::System.Text.Json.Nodes.JsonNode.Parse(ref reader)!;");
                break;
            default:
                w.WriteLine($"return reader.{ReaderMethod(type.Scalar)}();");
                break;
        }
        w.CloseBlock();
    }

    private static string ReaderMethod(ScalarKind scalar) => "Get" + scalar;

    private static string Keyword(ScalarKind integer) => integer switch
    {
        ScalarKind.Byte => "byte",
        ScalarKind.SByte => "sbyte",
        ScalarKind.Int16 => "short",
        ScalarKind.UInt16 => "ushort",
        ScalarKind.Int32 => "int",
        ScalarKind.UInt32 => "uint",
        ScalarKind.Int64 => "long",
        _ => "ulong",
    };

    // ---- Enums -----------------------------------------------------------------------------------------------

    private static void EmitEnum(SourceWriter w, EnumSpec type, Scope scope)
    {
        for (var i = 0; i < type.Members.Length; i++)
        {
            w.WriteLine($"private static readonly {Encoded} s_{type.Key}_{i} = {Encoded}.Encode({CSharpNames.Literal(type.Members[i].JsonName)}u8);");
        }
        w.WriteLine();
        w.OpenBlock($"{scope.Access} static bool TryName_{type.Key}({type.FullName} value, out {Encoded} name)");
        w.OpenBlock("switch (value)");
        for (var i = 0; i < type.Members.Length; i++)
        {
            w.WriteLine($"case {type.FullName}.{type.Members[i].Name}: name = s_{type.Key}_{i}; return true;");
        }
        w.CloseBlock();
        w.WriteLine("name = default;");
        w.WriteLine("return false;");
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary>Matches the current string or property name: a member's JSON name, else what Enum.TryParse accepts ignoring case (as System.Text.Json reads).</summary>");
        w.OpenBlock($"{scope.Access} static bool TryMatch_{type.Key}(ref {Reader} reader, out {type.FullName} value)");
        foreach (var member in type.Members)
        {
            w.OpenBlock($"if (reader.ValueTextEquals({CSharpNames.Literal(member.JsonName)}u8))");
            w.WriteLine($"value = {type.FullName}.{member.Name};");
            w.WriteLine("return true;");
            w.CloseBlock();
        }
        w.WriteLine("return global::System.Enum.TryParse(reader.GetString(), ignoreCase: true, out value);");
        w.CloseBlock();
        w.WriteLine();
        OpenWrite(w, type, scope);
        w.OpenBlock($"if (TryName_{type.Key}(value, out var name))");
        w.WriteLine("writer.WriteStringValue(name);");
        w.CloseBlock();
        w.OpenBlock("else");
        w.WriteLine($"writer.WriteNumberValue(({Keyword(type.Underlying)})value);");
        w.CloseBlock();
        w.CloseBlock();
        w.WriteLine();
        OpenRead(w, type, scope);
        w.WriteLine($"if (reader.TokenType == {Token}.Number) return ({type.FullName})reader.{ReaderMethod(type.Underlying)}();");
        w.WriteLine($"if (reader.TokenType == {Token}.String && TryMatch_{type.Key}(ref reader, out var value)) return value;");
        w.WriteLine($"throw new {JsonException}({CSharpNames.Literal("The JSON value is not a member of " + Readable(type.FullName) + ".")});");
        w.CloseBlock();
    }

    // ---- Nullable ---------------------------------------------------------------------------------------------

    private static void EmitNullable(SourceWriter w, NullableSpec type, Scope scope)
    {
        if (type.IsValueType)
        {
            OpenWrite(w, type, scope);
            w.OpenBlock("if (value.HasValue)");
            w.WriteLine($"Write_{type.ElementKey}(writer, value.GetValueOrDefault());");
            w.CloseBlock();
            w.OpenBlock("else");
            w.WriteLine("writer.WriteNullValue();");
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine($"{scope.Access} static {type.FullName} Read_{type.Key}(ref {Reader} reader) =>");
            w.WriteLine($"    reader.TokenType == {Token}.Null ? null : Read_{type.ElementKey}(ref reader);");
            return;
        }
        // The element's methods write and read null themselves; this only adapts the annotation.
        w.WriteLine($"{scope.Access} static void Write_{type.Key}({Writer} writer, {type.FullName} value) => Write_{type.ElementKey}(writer, value!);");
        w.WriteLine();
        w.WriteLine($"{scope.Access} static {type.FullName} Read_{type.Key}(ref {Reader} reader) => Read_{type.ElementKey}(ref reader);");
    }

    // ---- Sequences -------------------------------------------------------------------------------------------

    private static void EmitSequence(SourceWriter w, SequenceSpec type, Scope scope)
    {
        var element = type.ElementType;
        OpenWrite(w, type, scope);
        if (type.Collection == CollectionKind.ImmutableArray)
        {
            WriteNullCheck(w, "value.IsDefault");
        }
        else
        {
            WriteNullCheck(w);
        }
        w.WriteLine("writer.WriteStartArray();");
        var write = $"Write_{type.ElementKey}(writer, item);";
        if (!type.IsInterface)
        {
            Loop(w, type.Collection == CollectionKind.List ? $"{AsSpan}(value)" : "value", write);
        }
        else
        {
            // Common concrete types first: their enumerators are structs (no allocation) or spans.
            var fastPaths = type.Collection switch
            {
                CollectionKind.List => new[] { $"{element}[]", $"global::System.Collections.Generic.List<{element}>", $"global::System.Collections.Immutable.ImmutableList<{element}>" },
                CollectionKind.ImmutableList => new[] { $"global::System.Collections.Immutable.ImmutableList<{element}>", $"global::System.Collections.Generic.List<{element}>" },
                CollectionKind.HashSet => new[] { $"global::System.Collections.Generic.HashSet<{element}>" },
                CollectionKind.ImmutableHashSet => new[] { $"global::System.Collections.Immutable.ImmutableHashSet<{element}>" },
                _ => new string[0],
            };
            WriteWithFastPaths(w, fastPaths, write);
        }
        w.WriteLine("writer.WriteEndArray();");
        w.CloseBlock();
        w.WriteLine();

        OpenRead(w, type, scope);
        ReadNullCheck(w, type.Collection == CollectionKind.ImmutableArray ? "default" : "null!");
        ExpectToken(w, "StartArray", "an array", type, scope);
        var (create, finish) = type.Collection switch
        {
            CollectionKind.Array => ($"new global::System.Collections.Generic.List<{element}>()", "items.ToArray()"),
            CollectionKind.List => ($"new global::System.Collections.Generic.List<{element}>()", "items"),
            CollectionKind.HashSet => ($"new global::System.Collections.Generic.HashSet<{element}>()", "items"),
            CollectionKind.SortedSet => ($"new global::System.Collections.Generic.SortedSet<{element}>()", "items"),
            CollectionKind.ImmutableArray => ($"global::System.Collections.Immutable.ImmutableArray.CreateBuilder<{element}>()", "items.DrainToImmutable()"),
            CollectionKind.ImmutableHashSet => ($"global::System.Collections.Immutable.ImmutableHashSet.CreateBuilder<{element}>()", "items.ToImmutable()"),
            CollectionKind.ImmutableSortedSet => ($"global::System.Collections.Immutable.ImmutableSortedSet.CreateBuilder<{element}>()", "items.ToImmutable()"),
            _ => ($"global::System.Collections.Immutable.ImmutableList.CreateBuilder<{element}>()", "items.ToImmutable()"),
        };
        w.WriteLine($"var items = {create};");
        w.OpenBlock($"while (reader.Read() && reader.TokenType != {Token}.EndArray)");
        w.WriteLine($"items.Add(Read_{type.ElementKey}(ref reader));");
        w.CloseBlock();
        w.WriteLine($"return {finish};");
        w.CloseBlock();
    }

    /// <summary>
    /// A list's new items since a previous value, for <c>StateSchema.TryWriteAppended</c>: written by the same item
    /// writer as the whole list, so the stored array followed by these items is the whole list's JSON. One method per
    /// list type here, rather than a delegate conversion per channel in every schema, which costs more to compile.
    /// </summary>
    private static void EmitAppended(SourceWriter w, SequenceSpec type, Scope scope)
    {
        w.WriteLine();
        w.WriteLine($"{scope.Access} static bool WriteAppended_{type.Key}({Writer} writer, {type.FullName} previous, {type.FullName} current, bool onlyGrew) =>");
        w.WriteLine($"    global::GraphGen.ListAppend.TryWrite(writer, previous, current, Write_{type.ElementKey}, onlyGrew);");
    }

    private static void Loop(SourceWriter w, string source, string body)
    {
        w.OpenBlock($"foreach (var item in {source})");
        w.WriteLine(body);
        w.CloseBlock();
    }

    /// <summary><c>if (value is A fast) { loop } else if ... else { loop over value }</c>.</summary>
    private static void WriteWithFastPaths(SourceWriter w, string[] fastPaths, string body)
    {
        for (var i = 0; i < fastPaths.Length; i++)
        {
            var type = fastPaths[i];
            w.OpenBlock($"{(i == 0 ? "" : "else ")}if (value is {type} fast{i})");
            Loop(w, type.StartsWith("global::System.Collections.Generic.List<") ? $"{AsSpan}(fast{i})" : $"fast{i}", body);
            w.CloseBlock();
        }
        if (fastPaths.Length == 0)
        {
            Loop(w, "value", body);
            return;
        }
        w.OpenBlock("else");
        Loop(w, "value", body);
        w.CloseBlock();
    }

    // ---- Dictionaries ----------------------------------------------------------------------------------------

    private static void EmitDictionary(SourceWriter w, DictionarySpec type, Scope scope)
    {
        var keyType = type.KeyType;
        var valueType = type.ValueType;
        var pair = $"global::System.Collections.Generic.KeyValuePair<{keyType}, {valueType}>";
        var enumSpec = type.KeyEnumKey is null ? null : (EnumSpec)scope[type.KeyEnumKey];

        OpenWrite(w, type, scope);
        WriteNullCheck(w);
        w.WriteLine("writer.WriteStartObject();");
        if (type.KeyScalar != ScalarKind.String)
        {
            w.WriteLine("global::System.Span<byte> keyText = stackalloc byte[40];");
        }
        var writeKey = type.KeyScalar switch
        {
            ScalarKind.String => "writer.WritePropertyName(item.Key);",
            ScalarKind.Enum =>
                $"if (TryName_{enumSpec!.Key}(item.Key, out var keyName)) writer.WritePropertyName(keyName);\n" +
                $"else {{ {Formatter}.TryFormat(({Keyword(enumSpec.Underlying)})item.Key, keyText, out var keyLength); writer.WritePropertyName(keyText.Slice(0, keyLength)); }}",
            _ => $"{Formatter}.TryFormat(item.Key, keyText, out var keyLength);\nwriter.WritePropertyName(keyText.Slice(0, keyLength));",
        };
        var body = writeKey + $"\nWrite_{type.ValueKey}(writer, item.Value);";
        if (!type.IsInterface)
        {
            Loop(w, "value", body);
        }
        else
        {
            var fastPaths = type.Collection switch
            {
                CollectionKind.Dictionary => new[] { $"global::System.Collections.Generic.Dictionary<{keyType}, {valueType}>" },
                CollectionKind.ImmutableDictionary => new[] { $"global::System.Collections.Immutable.ImmutableDictionary<{keyType}, {valueType}>" },
                CollectionKind.KeyValuePairs => new[]
                {
                    $"global::System.Collections.Generic.Dictionary<{keyType}, {valueType}>",
                    $"global::System.Collections.Immutable.ImmutableDictionary<{keyType}, {valueType}>",
                    $"{pair}[]",
                    $"global::System.Collections.Generic.List<{pair}>",
                },
                _ => new string[0],
            };
            WriteWithFastPaths(w, fastPaths, body);
        }
        w.WriteLine("writer.WriteEndObject();");
        w.CloseBlock();
        w.WriteLine();

        OpenRead(w, type, scope);
        ReadNullCheck(w);
        ExpectToken(w, "StartObject", "an object", type, scope);
        var (create, finish) = type.Collection switch
        {
            CollectionKind.SortedDictionary => ($"new global::System.Collections.Generic.SortedDictionary<{keyType}, {valueType}>()", "items"),
            CollectionKind.ImmutableDictionary => ($"global::System.Collections.Immutable.ImmutableDictionary.CreateBuilder<{keyType}, {valueType}>()", "items.ToImmutable()"),
            CollectionKind.ImmutableSortedDictionary => ($"global::System.Collections.Immutable.ImmutableSortedDictionary.CreateBuilder<{keyType}, {valueType}>()", "items.ToImmutable()"),
            CollectionKind.KeyValuePairs => ($"new global::System.Collections.Generic.List<{pair}>()", "items"),
            _ => ($"new global::System.Collections.Generic.Dictionary<{keyType}, {valueType}>()", "items"),
        };
        w.WriteLine($"var items = {create};");
        w.OpenBlock($"while (reader.Read() && reader.TokenType == {Token}.PropertyName)");
        switch (type.KeyScalar)
        {
            case ScalarKind.String:
                w.WriteLine("var key = reader.GetString()!;");
                break;
            case ScalarKind.Enum:
                w.WriteLine($"if (!TryMatch_{enumSpec!.Key}(ref reader, out var key)) throw new {JsonException}({CSharpNames.Literal("A property name is not a member of " + Readable(keyType) + ".")});");
                break;
            default:
                // Fast path on the raw UTF-8 name; escaped or split names go through a string.
                var keyword = type.KeyScalar == ScalarKind.Guid ? "global::System.Guid" : Keyword(type.KeyScalar);
                w.WriteLine($"{keyword} key;");
                w.OpenBlock($"if (reader.HasValueSequence || reader.ValueIsEscaped || !{Parser}.TryParse(reader.ValueSpan, out key, out var keyLength) || keyLength != reader.ValueSpan.Length)");
                w.WriteLine(type.KeyScalar == ScalarKind.Guid
                    ? "key = global::System.Guid.Parse(reader.GetString()!);"
                    : $"key = {keyword}.Parse(reader.GetString()!, global::System.Globalization.NumberStyles.AllowLeadingSign, {Invariant});");
                w.CloseBlock();
                break;
        }
        w.WriteLine("reader.Read();");
        w.WriteLine(type.Collection == CollectionKind.KeyValuePairs
            ? $"items.Add(new {pair}(key, Read_{type.ValueKey}(ref reader)));"
            : $"items[key] = Read_{type.ValueKey}(ref reader);");
        w.CloseBlock();
        w.WriteLine($"return {finish};");
        w.CloseBlock();
    }

    // ---- Objects ---------------------------------------------------------------------------------------------

    private static void EmitObject(SourceWriter w, ObjectSpec type, Scope scope)
    {
        var members = type.Members;
        for (var i = 0; i < members.Length; i++)
        {
            w.WriteLine($"private static readonly {Encoded} s_{type.Key}_{i} = {Encoded}.Encode({CSharpNames.Literal(members[i].JsonName)}u8);");
        }
        if (members.Length > 0)
        {
            w.WriteLine();
        }

        OpenWrite(w, type, scope);
        if (!type.IsValueType)
        {
            WriteNullCheck(w);
        }
        w.WriteLine("writer.WriteStartObject();");
        for (var i = 0; i < members.Length; i++)
        {
            var m = members[i];
            var write = $"writer.WritePropertyName(s_{type.Key}_{i});\nWrite_{m.TypeKey}(writer, value.{m.Name});";
            var condition = m.Write switch
            {
                WriteCondition.Never => "false",
                WriteCondition.WhenNotNull when m.CanBeNull => $"value.{m.Name} is not null",
                WriteCondition.WhenNotDefault => $"!global::System.Collections.Generic.EqualityComparer<{m.Type}>.Default.Equals(value.{m.Name}, default!)",
                _ => null,
            };
            if (condition == "false")
            {
                continue;
            }
            if (condition is null)
            {
                w.WriteLine(write);
                continue;
            }
            w.OpenBlock($"if ({condition})");
            w.WriteLine(write);
            w.CloseBlock();
        }
        w.WriteLine("writer.WriteEndObject();");
        w.CloseBlock();
        w.WriteLine();

        OpenRead(w, type, scope);
        if (!type.IsValueType)
        {
            ReadNullCheck(w);
        }
        ExpectToken(w, "StartObject", "an object", type, scope);
        if (type.Populate)
        {
            w.WriteLine($"var result = new {type.FullName}();");
            MatchLoop(w, type, i => $"result.{members[i].Name}", _ => null);
            w.WriteLine("return result;");
            w.CloseBlock();
            return;
        }

        // Read into locals, then construct once. A member JSON does not have keeps the value a new instance has
        // (constructor, initializer), found by constructing a second instance only when something is missing.
        var defaults = new string[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            defaults[i] = "default!";
        }
        foreach (var argument in type.Arguments)
        {
            if (argument.Member >= 0)
            {
                defaults[argument.Member] = argument.Default;
            }
        }
        var tracked = new List<int>();
        for (var i = 0; i < members.Length; i++)
        {
            w.WriteLine($"{members[i].Type} m{i} = {defaults[i]};");
            if (!members[i].IsArgument && !members[i].IsRequired && members[i].Read)
            {
                tracked.Add(i);
                w.WriteLine($"var h{i} = false;");
            }
        }
        MatchLoop(w, type, i => $"m{i}", i => tracked.Contains(i) ? $"h{i} = true;" : null);
        // '!': a parameter may be annotated differently from its member; null in the JSON passes null either way.
        var arguments = string.Join(", ", type.Arguments.Select(a => a.Member >= 0 ? $"m{a.Member}!" : a.Default));
        var assigned = Enumerable.Range(0, members.Length).Where(i => !members[i].IsArgument && (members[i].Read || members[i].IsRequired)).ToList();
        var required = assigned.Where(i => members[i].IsRequired).ToList();
        string Initializer(IEnumerable<int> which)
        {
            var list = which.Select(i => $"{members[i].Name} = m{i}").ToList();
            return list.Count == 0 ? "" : " { " + string.Join(", ", list) + " }";
        }
        if (tracked.Count > 0)
        {
            w.OpenBlock($"if ({string.Join(" || ", tracked.Select(i => $"!h{i}"))})");
            w.WriteLine($"var fresh = new {type.FullName}({arguments}){Initializer(required)};");
            foreach (var i in tracked)
            {
                w.WriteLine($"if (!h{i}) m{i} = fresh.{members[i].Name};");
            }
            w.CloseBlock();
        }
        w.WriteLine($"return new {type.FullName}({arguments}){Initializer(assigned)};");
        w.CloseBlock();
    }

    /// <summary>The property loop: match each name against the members' UTF-8 names, skip unknown ones.</summary>
    private static void MatchLoop(SourceWriter w, ObjectSpec type, System.Func<int, string> target, System.Func<int, string?> after)
    {
        w.OpenBlock($"while (reader.Read() && reader.TokenType == {Token}.PropertyName)");
        var first = true;
        for (var i = 0; i < type.Members.Length; i++)
        {
            var m = type.Members[i];
            if (!m.Read)
            {
                continue;
            }
            w.OpenBlock($"{(first ? "" : "else ")}if (reader.ValueTextEquals({CSharpNames.Literal(m.JsonName)}u8))");
            w.WriteLine("reader.Read();");
            w.WriteLine($"{target(i)} = Read_{m.TypeKey}(ref reader);");
            if (after(i) is { } line)
            {
                w.WriteLine(line);
            }
            w.CloseBlock();
            first = false;
        }
        if (first)
        {
            w.WriteLine("reader.Read();");
            w.WriteLine("reader.Skip();");
        }
        else
        {
            w.OpenBlock("else");
            w.WriteLine("reader.Read();");
            w.WriteLine("reader.Skip();");
            w.CloseBlock();
        }
        w.CloseBlock();
    }

    // ---- System.Text.Json metadata and converters -----------------------------------------------------------

    private static void EmitExternal(SourceWriter w, ExternalSpec type, Scope scope)
    {
        var runtime = type.RuntimeType;
        var readable = Readable(type.FullName);
        if (type.Via == ExternalKind.AIJson && runtime == ChatMessage)
        {
            // The runtime's reader has a fast path for the common message; both sides match AIJsonUtilities.
            w.WriteLine($"{scope.Access} static void Write_{type.Key}({Writer} writer, {type.FullName} value) => global::GraphGen.ChatMessageJson.Write(writer, value);");
            w.WriteLine();
            w.WriteLine($"{scope.Access} static {type.FullName} Read_{type.Key}(ref {Reader} reader) => global::GraphGen.ChatMessageJson.Read(ref reader)!;");
            return;
        }
        if (type.Via is ExternalKind.AIJson or ExternalKind.Context)
        {
            var info = $"global::System.Text.Json.Serialization.Metadata.JsonTypeInfo<{type.FullName}>";
            var source = type.Via == ExternalKind.AIJson ? "global::Microsoft.Extensions.AI.AIJsonUtilities.DefaultOptions" : $"{type.Source}.Default";
            var missing = CSharpNames.Literal($"{Readable(type.Source ?? "AIJsonUtilities.DefaultOptions")} has no JSON metadata for {readable}: add [JsonSerializable(typeof({readable}))] to it.");
            w.WriteLine($"private static {info}? s_info_{type.Key};");
            w.WriteLine();
            w.WriteLine($"private static {info} Info_{type.Key} =>");
            w.WriteLine($"    s_info_{type.Key} ??= ({info}?){source}.GetTypeInfo(typeof({runtime})) ?? throw new global::System.InvalidOperationException({missing});");
            w.WriteLine();
            w.WriteLine($"{scope.Access} static void Write_{type.Key}({Writer} writer, {type.FullName} value) =>");
            w.WriteLine($"    global::System.Text.Json.JsonSerializer.Serialize(writer, value, Info_{type.Key});");
            w.WriteLine();
            w.WriteLine($"{scope.Access} static {type.FullName} Read_{type.Key}(ref {Reader} reader) =>");
            w.WriteLine($"    global::System.Text.Json.JsonSerializer.Deserialize(ref reader, Info_{type.Key})!;");
            return;
        }

        scope.ConverterOptions = true;
        var converterType = type.Via == ExternalKind.Converter ? type.Source! : $"global::System.Text.Json.Serialization.JsonConverter<{type.FullName}>";
        var create = type.Via == ExternalKind.Converter
            ? $"new {type.Source}()"
            : $"new {type.Source}().CreateConverter(typeof({runtime}), s_converterOptions) as {converterType} ?? throw new global::System.InvalidOperationException({CSharpNames.Literal($"{Readable(type.Source!)} created no converter for {readable}.")})";
        w.WriteLine($"private static {converterType}? s_converter_{type.Key};");
        w.WriteLine();
        w.WriteLine($"private static {converterType} Converter_{type.Key} => s_converter_{type.Key} ??= {create};");
        w.WriteLine();
        OpenWrite(w, type, scope);
        if (type.IsReferenceType)
        {
            // Like System.Text.Json: a converter sees null only if it asks to.
            WriteNullCheck(w, $"value is null && !Converter_{type.Key}.HandleNull");
        }
        w.WriteLine($"Converter_{type.Key}.Write(writer, value{(type.IsReferenceType ? "!" : "")}, s_converterOptions);");
        w.CloseBlock();
        w.WriteLine();
        OpenRead(w, type, scope);
        if (type.IsReferenceType)
        {
            w.WriteLine($"if (reader.TokenType == {Token}.Null && !Converter_{type.Key}.HandleNull) return null!;");
        }
        w.WriteLine($"return Converter_{type.Key}.Read(ref reader, typeof({runtime}), s_converterOptions)!;");
        w.CloseBlock();
    }

    // ---- Shared helpers --------------------------------------------------------------------------------------

    private static void EmitHelpers(SourceWriter w, Scope scope)
    {
        if (scope.ShortText)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Copies a short JSON string into <paramref name=\"text\"/> (unescaped) and returns its length.</summary>");
            w.OpenBlock($"private static int ReadShortText(ref {Reader} reader, scoped global::System.Span<char> text, string type)");
            w.WriteLine($"if (reader.TokenType != {Token}.String) throw new {JsonException}($\"Expected a string for {{type}}, not {{reader.TokenType}}.\");");
            w.WriteLine("// A UTF-16 unit takes at least one byte in the JSON, escaped or not.");
            w.WriteLine("var length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;");
            w.WriteLine($"if (length > text.Length) throw new {JsonException}($\"The string is too long for {{type}}.\");");
            w.WriteLine("return reader.CopyString(text);");
            w.CloseBlock();
        }
        if (scope.Mismatch)
        {
            w.WriteLine();
            w.WriteLine($"private static {JsonException} JsonMismatch({Token} token, string expected) =>");
            w.WriteLine("    new($\"Expected {expected}, not {token}.\");");
        }
        if (scope.ConverterOptions)
        {
            w.WriteLine();
            w.WriteLine("/// <summary>Passed to [JsonConverter] converters, as System.Text.Json's defaults.</summary>");
            w.WriteLine("private static readonly global::System.Text.Json.JsonSerializerOptions s_converterOptions = new();");
        }
    }


    private static string Readable(string fullName) => fullName.Replace("global::", "");
}
