using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Generators.Parsing;

/// <summary>
/// Collects the serializable types reachable from a state's channels, each once, under a deterministic key, and
/// returns null for a type it cannot serialize (the analyzers report those; the generator then skips the state).
/// </summary>
/// <remarks>
/// The rules, in the order they apply (the shared validator's specification):
/// <list type="number">
/// <item><c>T?</c> is null or a <c>T</c>, for <c>Nullable&lt;T&gt;</c> and annotated reference types alike.</item>
/// <item>An escape hatch wins: <c>[JsonSerializeWith(typeof(Ctx))]</c>, then <c>[JsonConverter(typeof(C))]</c>, on the
///   member first, then on the type (a member's hatch applies to its type after removing a nullable wrapper). The
///   context must be an accessible, closed <c>JsonSerializerContext</c> subclass (its static <c>Default</c> comes from
///   STJ's generator, which this one cannot see); the converter must be accessible, closed, not abstract, have an
///   accessible parameterless constructor, and be a <c>JsonConverterFactory</c> or a <c>JsonConverter&lt;T&gt;</c>
///   for exactly the type. An attribute naming anything else makes the type not serializable.
///   <c>JsonStringEnumConverter</c> (generic or not) on an enum is ignored: enums are written as names anyway.</item>
/// <item>Types in the <c>Microsoft.Extensions.AI</c> namespace go through <c>AIJsonUtilities.DefaultOptions</c>.</item>
/// <item>Scalars: bool, the integer types, float, double, decimal, char, string, DateTime, DateTimeOffset, TimeSpan,
///   Guid, DateOnly, TimeOnly, Uri, Version, byte[] (base64), JsonElement, JsonNode. Enums by name.</item>
/// <item>Collections: single-dimension arrays, List, HashSet, SortedSet, the Immutable* lists/arrays/sets and their
///   interfaces, IEnumerable/ICollection/IList/IReadOnlyCollection/IReadOnlyList/ISet/IReadOnlySet; Dictionary,
///   SortedDictionary, ImmutableDictionary, ImmutableSortedDictionary, IDictionary, IReadOnlyDictionary and
///   <c>IEnumerable&lt;KeyValuePair&lt;K, V&gt;&gt;</c> with string, integer, Guid or enum keys. Elements must be serializable.</item>
/// <item>Dictionary keys: string, the integer types, Guid, or an enum without an escape hatch.</item>
/// <item>Objects: a non-abstract class or struct, accessible from the assembly, not ref-like, not in a System.* or
///   Microsoft.* namespace (except <c>KeyValuePair</c>), not an unknown collection (anything else implementing
///   IEnumerable), with a usable constructor: the public one marked <c>[JsonConstructor]</c>, else the public
///   parameterless one, else the only public one with parameters (structs prefer that one). Every constructor
///   parameter matches a readable member by name (case-insensitive, convertible type) or is optional. Members are
///   public instance properties with a public getter, and public fields marked <c>[JsonInclude]</c>, not
///   <c>[JsonIgnore]</c>d, that are bound to a constructor parameter or have a public set/init (or are writable
///   fields); others are not serialized. Every member type must be serializable; two members may not share a JSON name.</item>
/// <item>Everything else is not serializable: object, dynamic, delegates, interfaces and abstract classes without an
///   escape hatch, Task, Stream and other framework types, pointers, ref structs, multi-dimensional arrays, type parameters.</item>
/// </list>
/// </remarks>
internal sealed class SerializerParser(Compilation compilation)
{
    private const string JsonSerializeWithAttribute = "GraphGen.JsonSerializeWithAttribute";
    private const string JsonConverterAttribute = "System.Text.Json.Serialization.JsonConverterAttribute";
    private const string JsonIncludeAttribute = "System.Text.Json.Serialization.JsonIncludeAttribute";
    private const string JsonConstructorAttribute = "System.Text.Json.Serialization.JsonConstructorAttribute";
    private const string JsonStringEnumMemberNameAttribute = "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute";
    private const string JsonSerializerContext = "System.Text.Json.Serialization.JsonSerializerContext";
    private const string JsonConverterFactory = "System.Text.Json.Serialization.JsonConverterFactory";
    private const string JsonConverterOfT = "System.Text.Json.Serialization.JsonConverter`1";
    private const string JsonStringEnumConverter = "System.Text.Json.Serialization.JsonStringEnumConverter";

    /// <summary>Short names without namespaces: readable keys (<c>List&lt;Person?&gt;</c> becomes <c>List_PersonN</c>).</summary>
    private static readonly SymbolDisplayFormat KeyFormat = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private readonly Compilation _compilation = compilation;

    // Identity (full name, plus the escape hatch when a member chose one) → key; a key's spec is null while it is
    // being described, so a type that contains itself finds its own key and recursion ends.
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TypeSpec?> _types = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SerializationFailure> _failed = new(StringComparer.Ordinal);
    private readonly List<string> _added = new();

    /// <summary>Why the last <see cref="Add(ITypeSymbol, ISymbol?)"/> that returned null failed, for the analyzers.</summary>
    public SerializationFailure? LastFailure { get; private set; }

    /// <summary>Every type added so far, sorted by key.</summary>
    public EquatableArray<TypeSpec> Types =>
        _types.Values.Where(t => t is not null).Select(t => t!).OrderBy(t => t.Key, StringComparer.Ordinal).ToEquatableArray();

    /// <summary>Adds <paramref name="type"/> (and every type it contains); returns its key, or null if it cannot be serialized.</summary>
    public string? Add(ITypeSymbol type) => Add(type, member: null);

    /// <summary>
    /// Adds the type of a property or field; its <c>[JsonSerializeWith]</c> or <c>[JsonConverter]</c> applies to
    /// <paramref name="type"/> as a whole (after removing a nullable wrapper).
    /// </summary>
    public string? Add(ITypeSymbol type, ISymbol? member)
    {
        EscapeHatch? hatch = null;
        if (member is not null && !TryGetEscapeHatch(member, out hatch, out var why))
        {
            return Fail<string>(type, why);
        }
        return Add(type, hatch);
    }

    private string? Add(ITypeSymbol type, EscapeHatch? hatch)
    {
        if (hatch is { IsStringEnumConverter: true } && IsEnumOrNullableEnum(type))
        {
            // Enums are written as names already; JsonStringEnumConverter's own factory is not AOT-safe.
            hatch = null;
        }
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && !(hatch is { IsConverter: true } && hatch.Fits(type)))
        {
            return AddNullable(type, nullable.TypeArguments[0], hatch, isValueType: true);
        }
        if (type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated)
        {
            return AddNullable(type, type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), hatch, isValueType: false);
        }
        return Register(type, hatch, key => Describe(type, key, hatch));
    }

    private string? AddNullable(ITypeSymbol type, ITypeSymbol underlying, EscapeHatch? hatch, bool isValueType)
    {
        if (Add(underlying, hatch) is not { } elementKey)
        {
            return null;
        }
        var fullName = type.ToDisplayString(KnownNames.TypeFormat);
        return Register(type, hatch, key => new NullableSpec(key, fullName, elementKey, isValueType));
    }

    /// <summary>
    /// Finds or creates the key of <paramref name="type"/>. On failure, forgets every type added while describing it
    /// (they may refer to its key), so <see cref="Types"/> never names a missing method.
    /// </summary>
    private string? Register(ITypeSymbol type, EscapeHatch? hatch, Func<string, TypeSpec?> describe)
    {
        var identity = type.ToDisplayString(KnownNames.TypeFormat) + (hatch is null ? "" : "|" + hatch.Identity);
        if (_keys.TryGetValue(identity, out var existing))
        {
            return existing;
        }
        if (_failed.TryGetValue(identity, out var failure))
        {
            LastFailure = failure;
            return null;
        }
        var key = KeyOf(ReadableKey(type, hatch), identity);
        _keys[identity] = key;
        _types[key] = null;
        var mark = _added.Count;
        _added.Add(identity);
        var spec = describe(key);
        if (spec is null)
        {
            for (var i = _added.Count - 1; i >= mark; i--)
            {
                _types.Remove(_keys[_added[i]]);
                _keys.Remove(_added[i]);
            }
            _added.RemoveRange(mark, _added.Count - mark);
            _failed[identity] = LastFailure!;
            return null;
        }
        // Types only the state can see (a private nested enum, a list of them) are serialized inside its schema.
        _types[key] = spec with { Local = !_compilation.IsSymbolAccessibleWithin(type, _compilation.Assembly) };
        return key;
    }

    private TypeSpec? Describe(ITypeSymbol type, string key, EscapeHatch? hatch)
    {
        var fullName = type.ToDisplayString(KnownNames.TypeFormat);
        if (hatch is null && !TryGetEscapeHatch(type, out hatch, out var why))
        {
            return Fail<TypeSpec>(type, why);
        }
        if (hatch is { IsStringEnumConverter: true } && type.TypeKind == TypeKind.Enum)
        {
            hatch = null;
        }
        if (hatch is not null)
        {
            return DescribeExternal(type, key, fullName, hatch);
        }
        if (type.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.AI")
        {
            return new ExternalSpec(key, fullName, ExternalKind.AIJson, null, RuntimeName(type), type.IsReferenceType);
        }
        if (ScalarOf(type) is { } scalar)
        {
            return new ScalarSpec(key, fullName, scalar);
        }
        if (type.TypeKind == TypeKind.Enum)
        {
            return DescribeEnum((INamedTypeSymbol)type, key, fullName);
        }
        if (type is IArrayTypeSymbol array)
        {
            if (!array.IsSZArray)
            {
                return Fail<TypeSpec>(type, "multi-dimensional arrays are not supported; use an array of arrays or a list of lists");
            }
            return Add(array.ElementType) is { } elementKey
                ? new SequenceSpec(key, fullName, CollectionKind.Array, IsInterface: false, elementKey, array.ElementType.ToDisplayString(KnownNames.TypeFormat), IsList: true)
                : Nest<TypeSpec>("[]");
        }
        if (type is not INamedTypeSymbol named)
        {
            return Fail<TypeSpec>(type, type.TypeKind switch
            {
                TypeKind.TypeParameter => "a type parameter has no shape known at compile time",
                TypeKind.Pointer or TypeKind.FunctionPointer => "pointers are addresses in this process, not data",
                TypeKind.Dynamic => "dynamic has no shape to store; use a concrete type or an escape hatch ([JsonSerializeWith] or [JsonConverter])",
                _ => "this kind of type is not supported",
            });
        }
        if (named.TypeArguments.Length == 1 && SequenceKindOf(MetadataName(named)) is var (collection, isInterface))
        {
            var element = named.TypeArguments[0];
            if (MetadataName(named) == "System.Collections.Generic.IEnumerable`1"
                && element is INamedTypeSymbol { TypeArguments.Length: 2 } pair
                && MetadataName(pair) == "System.Collections.Generic.KeyValuePair`2")
            {
                return DescribeDictionary(key, fullName, CollectionKind.KeyValuePairs, isInterface: true, pair.TypeArguments[0], pair.TypeArguments[1]);
            }
            return Add(element) is { } elementKey
                ? new SequenceSpec(key, fullName, collection, isInterface, elementKey, element.ToDisplayString(KnownNames.TypeFormat), IsList(collection, MetadataName(named)))
                : Nest<TypeSpec>("[]");
        }
        if (named.TypeArguments.Length == 2 && DictionaryKindOf(MetadataName(named)) is var (dictionary, isDictionaryInterface))
        {
            return DescribeDictionary(key, fullName, dictionary, isDictionaryInterface, named.TypeArguments[0], named.TypeArguments[1]);
        }
        return DescribeObject(named, key, fullName);
    }

    private static ScalarKind? ScalarOf(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean: return ScalarKind.Boolean;
            case SpecialType.System_Byte: return ScalarKind.Byte;
            case SpecialType.System_SByte: return ScalarKind.SByte;
            case SpecialType.System_Int16: return ScalarKind.Int16;
            case SpecialType.System_UInt16: return ScalarKind.UInt16;
            case SpecialType.System_Int32: return ScalarKind.Int32;
            case SpecialType.System_UInt32: return ScalarKind.UInt32;
            case SpecialType.System_Int64: return ScalarKind.Int64;
            case SpecialType.System_UInt64: return ScalarKind.UInt64;
            case SpecialType.System_Single: return ScalarKind.Single;
            case SpecialType.System_Double: return ScalarKind.Double;
            case SpecialType.System_Decimal: return ScalarKind.Decimal;
            case SpecialType.System_Char: return ScalarKind.Char;
            case SpecialType.System_String: return ScalarKind.String;
            case SpecialType.System_DateTime: return ScalarKind.DateTime;
        }
        if (type is IArrayTypeSymbol { IsSZArray: true, ElementType.SpecialType: SpecialType.System_Byte })
        {
            return ScalarKind.Bytes;
        }
        return type is INamedTypeSymbol named
            ? MetadataName(named) switch
            {
                "System.DateTimeOffset" => ScalarKind.DateTimeOffset,
                "System.TimeSpan" => ScalarKind.TimeSpan,
                "System.Guid" => ScalarKind.Guid,
                "System.DateOnly" => ScalarKind.DateOnly,
                "System.TimeOnly" => ScalarKind.TimeOnly,
                "System.Uri" => ScalarKind.Uri,
                "System.Version" => ScalarKind.Version,
                "System.Text.Json.JsonElement" => ScalarKind.JsonElement,
                "System.Text.Json.Nodes.JsonNode" => ScalarKind.JsonNode,
                _ => null,
            }
            : null;
    }

    private static (CollectionKind Kind, bool IsInterface)? SequenceKindOf(string metadataName) => metadataName switch
    {
        "System.Collections.Generic.List`1" => (CollectionKind.List, false),
        "System.Collections.Generic.IList`1" or "System.Collections.Generic.ICollection`1"
            or "System.Collections.Generic.IEnumerable`1" => (CollectionKind.List, true),
        "System.Collections.Generic.IReadOnlyList`1" or "System.Collections.Generic.IReadOnlyCollection`1" => (CollectionKind.ImmutableList, true),
        "System.Collections.Generic.HashSet`1" => (CollectionKind.HashSet, false),
        "System.Collections.Generic.ISet`1" or "System.Collections.Generic.IReadOnlySet`1" => (CollectionKind.HashSet, true),
        "System.Collections.Generic.SortedSet`1" => (CollectionKind.SortedSet, false),
        "System.Collections.Immutable.ImmutableList`1" => (CollectionKind.ImmutableList, false),
        "System.Collections.Immutable.IImmutableList`1" => (CollectionKind.ImmutableList, true),
        "System.Collections.Immutable.ImmutableArray`1" => (CollectionKind.ImmutableArray, false),
        "System.Collections.Immutable.ImmutableHashSet`1" => (CollectionKind.ImmutableHashSet, false),
        "System.Collections.Immutable.IImmutableSet`1" => (CollectionKind.ImmutableHashSet, true),
        "System.Collections.Immutable.ImmutableSortedSet`1" => (CollectionKind.ImmutableSortedSet, false),
        _ => null,
    };

    /// <summary>A sequence whose items have positions and whose declared type has a count: not a set, not a bare IEnumerable.</summary>
    private static bool IsList(CollectionKind kind, string metadataName) =>
        kind is CollectionKind.List or CollectionKind.ImmutableList or CollectionKind.ImmutableArray
        && metadataName != "System.Collections.Generic.IEnumerable`1";

    private static (CollectionKind Kind, bool IsInterface)? DictionaryKindOf(string metadataName) => metadataName switch
    {
        "System.Collections.Generic.Dictionary`2" => (CollectionKind.Dictionary, false),
        "System.Collections.Generic.IDictionary`2" or "System.Collections.Generic.IReadOnlyDictionary`2" => (CollectionKind.Dictionary, true),
        "System.Collections.Generic.SortedDictionary`2" => (CollectionKind.SortedDictionary, false),
        "System.Collections.Immutable.ImmutableDictionary`2" => (CollectionKind.ImmutableDictionary, false),
        "System.Collections.Immutable.IImmutableDictionary`2" => (CollectionKind.ImmutableDictionary, true),
        "System.Collections.Immutable.ImmutableSortedDictionary`2" => (CollectionKind.ImmutableSortedDictionary, false),
        _ => null,
    };

    private DictionarySpec? DescribeDictionary(string key, string fullName, CollectionKind kind, bool isInterface, ITypeSymbol keyType, ITypeSymbol valueType)
    {
        string? enumKey = null;
        ScalarKind keyScalar;
        if (keyType.TypeKind == TypeKind.Enum)
        {
            if (Add(keyType) is not { } added || _types[added] is not EnumSpec)
            {
                return Fail<DictionarySpec>(keyType, "an enum used as a dictionary key is written by name and cannot have a converter");
            }
            enumKey = added;
            keyScalar = ScalarKind.Enum;
        }
        else if (ScalarOf(keyType) is { } scalar && (scalar == ScalarKind.String || scalar == ScalarKind.Guid || IsInteger(scalar)))
        {
            keyScalar = scalar;
        }
        else
        {
            return Fail<DictionarySpec>(keyType, "dictionary keys must be strings, integers, Guids or enums");
        }
        return Add(valueType) is { } valueKey
            ? new DictionarySpec(key, fullName, kind, isInterface, keyScalar, keyType.ToDisplayString(KnownNames.TypeFormat), enumKey,
                valueKey, valueType.ToDisplayString(KnownNames.TypeFormat))
            : Nest<DictionarySpec>("[]");
    }

    private EnumSpec? DescribeEnum(INamedTypeSymbol type, string key, string fullName)
    {
        if (type.EnumUnderlyingType is not { } underlying || ScalarOf(underlying) is not { } underlyingKind)
        {
            return Fail<EnumSpec>(type, "the enum's underlying type is unknown");
        }
        var seen = new HashSet<object>();
        var members = new List<EnumMemberSpec>();
        foreach (var field in type.GetMembers().OfType<IFieldSymbol>())
        {
            if (field.HasConstantValue && field.ConstantValue is { } value && seen.Add(value))
            {
                var jsonName = StateParser.AttributeOf(field, JsonStringEnumMemberNameAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;
                members.Add(new EnumMemberSpec(CSharpNames.Identifier(field.Name), jsonName ?? field.Name));
            }
        }
        return new EnumSpec(key, fullName, underlyingKind, members.ToEquatableArray());
    }

    private TypeSpec? DescribeExternal(ITypeSymbol type, string key, string fullName, EscapeHatch hatch)
    {
        if (!hatch.Fits(type))
        {
            return Fail<TypeSpec>(type, $"{hatch.ShortName} converts another type");
        }
        return new ExternalSpec(key, fullName, hatch.Kind, hatch.Source, RuntimeName(type), type.IsReferenceType);
    }

    private ObjectSpec? DescribeObject(INamedTypeSymbol type, string key, string fullName)
    {
        if (WhyNotAnObject(type) is { } why)
        {
            return Fail<ObjectSpec>(type, why);
        }
        var candidates = ReadableMembers(type);
        if (ConstructorOf(type) is not { } constructor)
        {
            return Fail<ObjectSpec>(type, "no constructor to rebuild it with: give it a public parameterless constructor, mark one [JsonConstructor], or keep a single public one");
        }

        // Bind constructor parameters to members: same name ignoring case, exact case preferred.
        var bound = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        var arguments = new List<(ISymbol? Member, string Default)>();
        foreach (var parameter in constructor.Parameters)
        {
            if (parameter.RefKind is not (RefKind.None or RefKind.In))
            {
                return Fail<ObjectSpec>(type, $"constructor parameter '{parameter.Name}' is passed by reference");
            }
            var member = candidates.FirstOrDefault(c => c.Symbol.Name == parameter.Name)
                ?? candidates.FirstOrDefault(c => string.Equals(c.Symbol.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (member is null || bound.ContainsKey(member.Symbol))
            {
                if (!parameter.HasExplicitDefaultValue)
                {
                    return Fail<ObjectSpec>(type, $"constructor parameter '{parameter.Name}' matches no public property or field, so it could not be restored");
                }
                arguments.Add((null, DefaultValue(parameter, parameter.Type)));
                continue;
            }
            if (!_compilation.ClassifyCommonConversion(member.Type, parameter.Type).IsImplicit)
            {
                return Fail<ObjectSpec>(type, $"constructor parameter '{parameter.Name}' does not take the type of member '{member.Symbol.Name}'");
            }
            bound[member.Symbol] = arguments.Count;
            // The member's local starts at the parameter's default, so it is written in the member's type.
            arguments.Add((member.Symbol, DefaultValue(parameter, member.Type)));
        }

        // Members that cannot be restored (get-only and not a constructor parameter) are not written either.
        var kept = candidates.Where(c => bound.ContainsKey(c.Symbol) || c.Settable).ToList();
        if (kept.GroupBy(c => c.JsonName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } clash)
        {
            return Fail<ObjectSpec>(type, $"members {string.Join(" and ", clash.Select(c => "'" + c.Symbol.Name + "'"))} share the JSON name '{clash.Key}'");
        }
        var members = new List<MemberSpec>();
        foreach (var candidate in kept)
        {
            if (Add(candidate.Type, candidate.Symbol) is not { } memberKey)
            {
                return Nest<ObjectSpec>("." + candidate.Symbol.Name);
            }
            members.Add(new MemberSpec(
                CSharpNames.Identifier(candidate.Symbol.Name),
                candidate.JsonName,
                candidate.Type.ToDisplayString(KnownNames.TypeFormat),
                memberKey,
                IsArgument: bound.ContainsKey(candidate.Symbol),
                candidate.Required,
                CanBeNull: candidate.Type.IsReferenceType || candidate.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T,
                candidate.Write,
                candidate.Read));
        }
        var argumentSpecs = arguments
            .Select(a => new ArgumentSpec(a.Member is null ? -1 : kept.FindIndex(c => SymbolEqualityComparer.Default.Equals(c.Symbol, a.Member)), a.Default))
            .ToEquatableArray();
        var populate = constructor.Parameters.Length == 0 && kept.All(c => c.PlainSetter && !c.Required);
        return new ObjectSpec(key, fullName, type.IsValueType, members.ToEquatableArray(), argumentSpecs, populate);
    }

    private sealed record Candidate(ISymbol Symbol, ITypeSymbol Type, string JsonName, bool Settable, bool PlainSetter, bool Required, WriteCondition Write, bool Read);

    /// <summary>Public readable properties and [JsonInclude] fields, base type's first.</summary>
    private static List<Candidate> ReadableMembers(INamedTypeSymbol type)
    {
        var levels = new List<List<Candidate>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            var level = new List<Candidate>();
            foreach (var member in current.GetMembers())
            {
                // A member hides (or overrides) the base type's members of the same name, even when it is ignored.
                if (member.IsStatic || member is IFieldSymbol { IsImplicitlyDeclared: true } || seen.Contains(member.Name))
                {
                    continue;
                }
                var candidate = member switch
                {
                    IPropertySymbol property => FromProperty(property),
                    IFieldSymbol field => FromField(field),
                    _ => null,
                };
                if (candidate is not null)
                {
                    level.Add(candidate);
                }
                if (member is IPropertySymbol or IFieldSymbol && member.DeclaredAccessibility == Accessibility.Public)
                {
                    seen.Add(member.Name);
                }
            }
            levels.Add(level);
        }
        levels.Reverse();
        return levels.SelectMany(l => l).ToList();
    }

    private static Candidate? FromProperty(IPropertySymbol property)
    {
        if (property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || property.RefKind != RefKind.None
            || property.GetMethod is not { DeclaredAccessibility: Accessibility.Public } || property.Name == "EqualityContract")
        {
            return null;
        }
        if (!IgnoreCondition(property, out var write, out var read))
        {
            return null;
        }
        var setter = property.SetMethod is { DeclaredAccessibility: Accessibility.Public } set ? set : null;
        return new Candidate(property, property.Type, StateParser.JsonName(property) ?? StateParser.CamelCase(property.Name),
            Settable: setter is not null, PlainSetter: setter is { IsInitOnly: false }, property.IsRequired, write, read);
    }

    private static Candidate? FromField(IFieldSymbol field)
    {
        if (field.DeclaredAccessibility != Accessibility.Public || field.IsConst || StateParser.AttributeOf(field, JsonIncludeAttribute) is null)
        {
            return null;
        }
        if (!IgnoreCondition(field, out var write, out var read))
        {
            return null;
        }
        return new Candidate(field, field.Type, StateParser.JsonName(field) ?? StateParser.CamelCase(field.Name),
            Settable: !field.IsReadOnly, PlainSetter: !field.IsReadOnly, field.IsRequired, write, read);
    }

    /// <summary>Reads <c>[JsonIgnore]</c>; false when the member is ignored altogether.</summary>
    private static bool IgnoreCondition(ISymbol member, out WriteCondition write, out bool read)
    {
        write = WriteCondition.Always;
        read = true;
        if (StateParser.AttributeOf(member, KnownNames.JsonIgnoreAttribute) is not { } ignore)
        {
            return true;
        }
        // JsonIgnoreCondition: Never = 0, Always = 1 (the default), WhenWritingDefault = 2, WhenWritingNull = 3,
        // WhenWriting = 4, WhenReading = 5.
        var condition = ignore.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value is int value ? value : 1;
        switch (condition)
        {
            case 0: return true;
            case 2: write = WriteCondition.WhenNotDefault; return true;
            case 3: write = WriteCondition.WhenNotNull; return true;
            case 4: write = WriteCondition.Never; return true;
            case 5: read = false; return true;
            default: return false;
        }
    }

    /// <summary>The constructor System.Text.Json would pick, except that structs prefer their only parameterized one.</summary>
    private static IMethodSymbol? ConstructorOf(INamedTypeSymbol type)
    {
        var constructors = type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility == Accessibility.Public
                && !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
            .ToList();
        var marked = constructors.Where(c => StateParser.AttributeOf(c, JsonConstructorAttribute) is not null).ToList();
        if (marked.Count > 0)
        {
            return marked.Count == 1 ? marked[0] : null;
        }
        var parameterless = constructors.FirstOrDefault(c => c.Parameters.Length == 0);
        var parameterized = constructors.Where(c => c.Parameters.Length > 0).ToList();
        if (type.IsValueType && parameterized.Count == 1)
        {
            return parameterized[0];
        }
        return parameterless ?? (parameterized.Count == 1 ? parameterized[0] : null);
    }

    /// <summary>The C# expression of a parameter's default value (what a missing JSON property passes), as a <paramref name="target"/>.</summary>
    private static string DefaultValue(IParameterSymbol parameter, ITypeSymbol target)
    {
        if (!parameter.HasExplicitDefaultValue || parameter.ExplicitDefaultValue is not { } value)
        {
            return "default!";
        }
        var type = target.ToDisplayString(KnownNames.TypeFormat);
        var literal = value switch
        {
            string s => CSharpNames.Literal(s),
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            bool b => b ? "true" : "false",
            float f => float.IsNaN(f) ? "float.NaN" : float.IsPositiveInfinity(f) ? "float.PositiveInfinity" : float.IsNegativeInfinity(f) ? "float.NegativeInfinity" : f.ToString("R", CultureInfo.InvariantCulture) + "F",
            double d => double.IsNaN(d) ? "double.NaN" : double.IsPositiveInfinity(d) ? "double.PositiveInfinity" : double.IsNegativeInfinity(d) ? "double.NegativeInfinity" : d.ToString("R", CultureInfo.InvariantCulture) + "D",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "M",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            ulong u => u.ToString(CultureInfo.InvariantCulture) + "UL",
            uint u => u.ToString(CultureInfo.InvariantCulture) + "U",
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            _ => null,
        };
        return literal is null ? "default!" : $"({type})({literal})";
    }

    // ---- Escape hatches -------------------------------------------------------------------------------------

    /// <summary>A <c>[JsonSerializeWith]</c> context or a <c>[JsonConverter]</c> converter chosen for a type.</summary>
    private sealed class EscapeHatch(ExternalKind kind, INamedTypeSymbol source, ITypeSymbol? convertedType, bool isStringEnumConverter)
    {
        public ExternalKind Kind { get; } = kind;

        public string Source { get; } = source.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

        public string Identity => Kind + ":" + Source.Replace("global::", "");

        public string ShortName { get; } = source.Name;

        public bool IsConverter => Kind is ExternalKind.Converter or ExternalKind.ConverterFactory;

        public bool IsStringEnumConverter { get; } = isStringEnumConverter;

        /// <summary>A converter for <c>T</c> fits <c>T</c> only; a factory or a context is asked at run time.</summary>
        public bool Fits(ITypeSymbol type) =>
            convertedType is null || SymbolEqualityComparer.Default.Equals(convertedType, type.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
    }

    /// <summary>
    /// The escape hatch on a member or type, or null; false if an attribute names something unusable (the type or
    /// member is then not serializable, rather than silently serialized another way).
    /// </summary>
    private bool TryGetEscapeHatch(ISymbol symbol, out EscapeHatch? hatch, out string why)
    {
        hatch = null;
        why = "";
        if (StateParser.AttributeOf(symbol, JsonSerializeWithAttribute) is { } with)
        {
            // Its static Default comes from System.Text.Json's generator, whose output this generator cannot see.
            if (with.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol context || !DerivesFrom(context, JsonSerializerContext)
                || context.IsUnboundGenericType || !IsAccessible(context))
            {
                why = "[JsonSerializeWith] must name an accessible, non-generic JsonSerializerContext";
                return false;
            }
            hatch = new EscapeHatch(ExternalKind.Context, context, null, isStringEnumConverter: false);
            return true;
        }
        if (StateParser.AttributeOf(symbol, JsonConverterAttribute) is { } converterAttribute)
        {
            if (converterAttribute.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol converter
                || converter.IsAbstract || converter.IsUnboundGenericType || !IsAccessible(converter)
                || !converter.InstanceConstructors.Any(c => c.Parameters.Length == 0 && _compilation.IsSymbolAccessibleWithin(c, _compilation.Assembly)))
            {
                why = "[JsonConverter] must name an accessible, non-abstract, non-generic converter with a parameterless constructor";
                return false;
            }
            var isStringEnum = MetadataName(converter) is JsonStringEnumConverter or JsonStringEnumConverter + "`1";
            if (DerivesFrom(converter, JsonConverterFactory))
            {
                hatch = new EscapeHatch(ExternalKind.ConverterFactory, converter, null, isStringEnum);
                return true;
            }
            for (var current = converter.BaseType; current is not null; current = current.BaseType)
            {
                if (MetadataName(current) == JsonConverterOfT)
                {
                    hatch = new EscapeHatch(ExternalKind.Converter, converter, current.TypeArguments[0], isStringEnum);
                    return true;
                }
            }
            why = $"[JsonConverter] names {converter.Name}, which is neither a JsonConverter<T> nor a JsonConverterFactory";
            return false;
        }
        return true;
    }

    private static bool DerivesFrom(INamedTypeSymbol type, string metadataName)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (MetadataName(current) == metadataName)
            {
                return true;
            }
        }
        return false;
    }

    // ---- Failures --------------------------------------------------------------------------------------------

    private static readonly SymbolDisplayFormat FailureFormat = SymbolDisplayFormat.CSharpShortErrorMessageFormat;

    /// <summary>Records why <paramref name="type"/> cannot be serialized; returns null for the caller to return.</summary>
    private T? Fail<T>(ITypeSymbol type, string reason)
        where T : class
    {
        LastFailure = new SerializationFailure("", type.ToDisplayString(FailureFormat), reason);
        return null;
    }

    /// <summary>Passes on the failure of a part (an element <c>[]</c>, a member <c>.Name</c>) as the failure of its whole.</summary>
    private T? Nest<T>(string segment)
        where T : class
    {
        LastFailure = LastFailure?.Under(segment);
        return null;
    }

    /// <summary>Why a named type cannot be written as an object of its members, or null when it can.</summary>
    private string? WhyNotAnObject(INamedTypeSymbol type)
    {
        const string Hatch = "; use a concrete type, or an escape hatch ([JsonSerializeWith] or [JsonConverter])";
        return type switch
        {
            { TypeKind: TypeKind.Delegate } => "delegates are code, not data; store what the code needs instead",
            { TypeKind: TypeKind.Interface } => "an interface has no shape to store" + Hatch,
            { SpecialType: SpecialType.System_Object } => "object has no shape to store" + Hatch,
            { TypeKind: not (TypeKind.Class or TypeKind.Struct) } => "this kind of type is not supported",
            _ when IsUnknownFrameworkType(type) => "it is a framework type that holds no plain data (handles, tasks, streams, connections) or that GraphGen does not know" + Hatch,
            { IsAbstract: true } => "an abstract type cannot be constructed" + Hatch,
            { IsStatic: true } => "a static class has no instances",
            { IsRefLikeType: true } => "ref structs live on the stack only",
            { IsUnboundGenericType: true } => "an open generic type has no shape",
            _ when !IsAccessible(type) => "the generated code cannot see it; make it internal or public",
            _ when IsUnknownCollection(type) => "GraphGen does not know this collection; use a list, set, array, dictionary or their immutable forms" + Hatch,
            _ => null,
        };
    }

    // ---- Helpers ---------------------------------------------------------------------------------------------

    private bool IsAccessible(INamedTypeSymbol type) =>
        _compilation.IsSymbolAccessibleWithin(type, _compilation.Assembly)
        && type.TypeArguments.All(t => t is not INamedTypeSymbol named || IsAccessible(named));

    /// <summary>Framework types not handled above would be written as objects of whatever public properties they happen to have.</summary>
    private static bool IsUnknownFrameworkType(INamedTypeSymbol type)
    {
        if (MetadataName(type) == "System.Collections.Generic.KeyValuePair`2")
        {
            return false;
        }
        var root = type.ContainingNamespace;
        while (root is { ContainingNamespace.IsGlobalNamespace: false })
        {
            root = root.ContainingNamespace;
        }
        return root is { Name: "System" or "Microsoft" };
    }

    /// <summary>A type that enumerates items would lose them if written as an object.</summary>
    private static bool IsUnknownCollection(INamedTypeSymbol type) =>
        type.OriginalDefinition.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    private static bool IsEnumOrNullableEnum(ITypeSymbol type) =>
        type.TypeKind == TypeKind.Enum
        || type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable && nullable.TypeArguments[0].TypeKind == TypeKind.Enum;

    private static bool IsInteger(ScalarKind kind) => kind is ScalarKind.Byte or ScalarKind.SByte or ScalarKind.Int16
        or ScalarKind.UInt16 or ScalarKind.Int32 or ScalarKind.UInt32 or ScalarKind.Int64 or ScalarKind.UInt64;

    private static string MetadataName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var containers = "";
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers = outer.MetadataName + "+" + containers;
        }
        return ns + containers + type.MetadataName;
    }

    private static string RuntimeName(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>An identifier made from the type's short name (<c>Dictionary_string_intArray</c>), plus the escape hatch.</summary>
    private static string ReadableKey(ITypeSymbol type, EscapeHatch? hatch)
    {
        var name = type.ToDisplayString(KeyFormat);
        var key = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                key.Append(c);
            }
            else if (c == '?')
            {
                key.Append('N');
            }
            else if (c == ']')
            {
                key.Append("Array");
            }
            else if (c != '[' && key.Length > 0 && key[key.Length - 1] != '_')
            {
                key.Append('_');
            }
        }
        while (key.Length > 0 && key[key.Length - 1] == '_')
        {
            key.Length--;
        }
        if (hatch is not null)
        {
            key.Append("_Via_").Append(hatch.ShortName);
        }
        return key.ToString();
    }

    /// <summary>
    /// The readable key plus a hash of the identity (FNV-1a, 32 bits): the same in every state that meets the type, and
    /// different for two types with one short name (<c>A.Person</c>, <c>B.Person</c>), so that states can share one
    /// serializer class without knowing about each other.
    /// </summary>
    private static string KeyOf(string readable, string identity)
    {
        var hash = 2166136261;
        foreach (var c in identity)
        {
            hash = unchecked((hash ^ c) * 16777619);
        }
        return readable + "_" + hash.ToString("x8", CultureInfo.InvariantCulture);
    }
}
