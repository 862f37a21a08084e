using System.Collections.Generic;
using System.Linq;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Parsing;

/// <summary>
/// Collects the serializable types reachable from a state's channels, each once, under a deterministic key.
/// Returns null for a type it cannot serialize (the analyzers report those).
/// </summary>
internal sealed class SerializerParser(Compilation compilation)
{
    private readonly Dictionary<string, TypeSpec> _types = new();
    private readonly Compilation _compilation = compilation;

    public EquatableArray<TypeSpec> Types => _types.Values.OrderBy(t => t.Key, System.StringComparer.Ordinal).ToEquatableArray();

    public string? Add(ITypeSymbol type)
    {
        var fullName = type.ToDisplayString(KnownNames.TypeFormat);
        var key = KeyOf(type);
        if (_types.ContainsKey(key))
        {
            return key;
        }
        var spec = Describe(type, key, fullName);
        if (spec is null)
        {
            return null;
        }
        _types[key] = spec;
        return key;
    }

    private TypeSpec? Describe(ITypeSymbol type, string key, string fullName)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return new TypeSpec(key, fullName, SerializerKind.Primitive, "Boolean");
            case SpecialType.System_Int32: return new TypeSpec(key, fullName, SerializerKind.Primitive, "Int32");
            case SpecialType.System_Int64: return new TypeSpec(key, fullName, SerializerKind.Primitive, "Int64");
            case SpecialType.System_Double: return new TypeSpec(key, fullName, SerializerKind.Primitive, "Double");
            case SpecialType.System_String: return new TypeSpec(key, fullName, SerializerKind.Primitive, "String");
        }
        if (type.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.AI")
        {
            return new TypeSpec(key, fullName, SerializerKind.AIJson);
        }
        if (type is INamedTypeSymbol { TypeArguments.Length: 1 } named)
        {
            var definition = named.OriginalDefinition.ToDisplayString();
            var construct = definition switch
            {
                "System.Collections.Immutable.ImmutableList<T>" or "System.Collections.Generic.IEnumerable<T>"
                    or "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IReadOnlyCollection<T>" => "ImmutableList",
                _ => null,
            };
            if (construct is not null && Add(named.TypeArguments[0]) is { } elementKey)
            {
                return new TypeSpec(key, fullName, SerializerKind.Sequence, ElementKey: elementKey,
                    ElementType: named.TypeArguments[0].ToDisplayString(KnownNames.TypeFormat), Construct: construct);
            }
        }
        return null;
    }

    /// <summary>An identifier made from the type's name, so the same type always gets the same key.</summary>
    private static string KeyOf(ITypeSymbol type)
    {
        var name = type.ToDisplayString(KnownNames.TypeFormat).Replace("global::", "");
        var chars = name.Select(c => char.IsLetterOrDigit(c) ? c : c == '?' ? 'N' : '_').ToArray();
        return new string(chars);
    }
}
