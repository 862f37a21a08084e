using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphGen.Generators.Parsing;

/// <summary>Turns a <c>[GraphState]</c> symbol into a <see cref="StateSpec"/>; returns null for what the analyzers report.</summary>
internal static class StateParser
{
    public static StateSpec? Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken ct)
    {
        if (!IsPartial(type) || type.IsGenericType || type.IsStatic || type.IsAbstract || type.IsRefLikeType || type.IsFileLocal
            || !HasParameterlessConstructor(type) || ReservedNames.Contains(type.Name) || InheritsState(type))
        {
            return null;
        }
        // Generated members (Update, GraphStateSchema) and the StateUpdate members an Update member would hide.
        if (ReservedNames.Any(name => type.GetMembers(name).Length > 0) || ChannelProperties(type).Any(p => ReservedNames.Contains(p.Name)))
        {
            return null;
        }
        // A class is rebuilt from its channels alone, so it may hold nothing else.
        if (!type.IsRecord && !type.IsValueType && HasStateOutsideChannels(type))
        {
            return null;
        }
        var serializers = new SerializerParser(compilation);
        var channels = new List<ChannelSpec>();
        foreach (var property in ChannelProperties(type))
        {
            ct.ThrowIfCancellationRequested();
            var channel = ParseChannel(property, compilation, serializers);
            if (channel is null)
            {
                return null;
            }
            channels.Add(channel);
        }
        // The runtime tracks written channels in a 64-bit set; stored names must be unique and not the runtime's own.
        if (channels.Count is 0 or > 64
            || channels.Select(c => c.Name).Distinct().Count() != channels.Count
            || channels.Select(c => c.Property.ToLowerInvariant()).Distinct().Count() != channels.Count
            || channels.Any(c => c.Name.StartsWith("__", System.StringComparison.Ordinal) || c.Name.StartsWith("branch:", System.StringComparison.Ordinal) || c.Name.StartsWith("join:", System.StringComparison.Ordinal)))
        {
            return null;
        }
        var required = WithBaseTypes(type).SelectMany(t => t.GetMembers())
            .Where(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
            .Select(m => CSharpNames.Identifier(m.Name)).Distinct().ToEquatableArray();
        var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new StateSpec(
            TypeHierarchy.From(type),
            type.Name,
            fullName,
            TypeHierarchy.KeywordOf(type),
            UsesWith: type.IsRecord || type.IsValueType,
            required,
            channels.ToEquatableArray(),
            serializers.Types,
            TypeHierarchy.HintName(type, "GraphState"));
    }

    /// <summary>
    /// Names a channel property cannot have: the generated nested types, and the members of <c>StateUpdate</c> that an
    /// <c>Update</c> member of that name would hide.
    /// </summary>
    public static readonly ImmutableHashSet<string> ReservedNames =
        ImmutableHashSet.Create("Update", "GraphStateSchema", "IsEmpty", "WrittenChannels", "Writes", "Get", "Set");

    /// <summary>
    /// Public instance properties with a getter, declared on the type or inherited (the most derived one of a name),
    /// not excluded by an unconditional [JsonIgnore].
    /// </summary>
    public static IEnumerable<IPropertySymbol> ChannelProperties(INamedTypeSymbol type)
    {
        var seen = new HashSet<string>();
        foreach (var property in WithBaseTypes(type).SelectMany(t => t.GetMembers()).OfType<IPropertySymbol>())
        {
            if (!property.IsStatic && !property.IsIndexer && property.DeclaredAccessibility == Accessibility.Public && property.GetMethod is not null
                && property.Name != "EqualityContract" && !IsAlwaysIgnored(property) && seen.Add(property.Name))
            {
                yield return property;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> WithBaseTypes(INamedTypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            yield return current;
        }
    }

    /// <summary>[JsonIgnore] without a condition, or with Always, removes the property; conditional ones do not.</summary>
    private static bool IsAlwaysIgnored(IPropertySymbol property) =>
        AttributeOf(property, KnownNames.JsonIgnoreAttribute) is { } ignore
        && ignore.NamedArguments.FirstOrDefault(a => a.Key == "Condition").Value.Value is null or 1;

    private static bool IsEffectivelyPublic(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsEffectivelyPublic(array.ElementType),
        ITypeParameterSymbol => true,
        INamedTypeSymbol named => named.DeclaredAccessibility == Accessibility.Public
            && (named.ContainingType is null || IsEffectivelyPublic(named.ContainingType))
            && named.TypeArguments.All(IsEffectivelyPublic),
        _ => true,
    };

    private static bool HasParameterlessConstructor(INamedTypeSymbol type) =>
        type.IsValueType || type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal);

    /// <summary>A base type that is itself a [GraphState] would give two Update types, one hiding the other.</summary>
    private static bool InheritsState(INamedTypeSymbol type) =>
        WithBaseTypes(type).Skip(1).Any(t => AttributeOf(t, KnownNames.GraphStateAttribute) is not null);

    /// <summary>Instance fields that are not the backing field of a channel property.</summary>
    private static bool HasStateOutsideChannels(INamedTypeSymbol type)
    {
        var channels = new HashSet<string>(ChannelProperties(type).Select(p => p.Name));
        return WithBaseTypes(type).SelectMany(t => t.GetMembers()).OfType<IFieldSymbol>()
            .Any(f => !f.IsStatic && !f.IsConst && !(f.AssociatedSymbol is IPropertySymbol p && channels.Contains(p.Name)));
    }

    private static ChannelSpec? ParseChannel(IPropertySymbol property, Compilation compilation, SerializerParser serializers)
    {
        if (property.SetMethod is null)
        {
            return null;
        }
        string? reduce = null;
        ITypeSymbol updateType = property.Type;
        if (AttributeOf(property, KnownNames.ReducerAttribute) is { } reducerAttribute)
        {
            if (reducerAttribute.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol reducer
                || ReducerResolver.Resolve(reducer, property.Type, compilation) is not { } method)
            {
                return null;
            }
            reduce = reducer.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ".Reduce";
            updateType = method.Parameters[1].Type;
            // The Update member is as visible as the state; its type must be too.
            if (IsEffectivelyPublic(property.ContainingType) && !IsEffectivelyPublic(updateType))
            {
                return null;
            }
        }
        TrimSpec? trim = null;
        if (AttributeOf(property, KnownNames.TrimAttribute) is { } trimAttribute)
        {
            if (property.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } list || list.OriginalDefinition.ToDisplayString() != "System.Collections.Immutable.ImmutableList<T>")
            {
                return null;
            }
            // While the user is still typing, the attribute may have no (or a wrong) argument.
            if (trimAttribute.ConstructorArguments.Length != 1 || trimAttribute.ConstructorArguments[0].Value is not int keepLast || keepLast < 1)
            {
                return null;
            }
            var keepSystem = trimAttribute.NamedArguments.FirstOrDefault(a => a.Key == "KeepSystem").Value.Value is true;
            var isChat = list.TypeArguments[0].ToDisplayString() == KnownNames.ChatMessage;
            trim = new TrimSpec(keepLast, keepSystem, isChat);
        }
        // The property's [JsonSerializeWith]/[JsonConverter] applies to its value and to its Update member's type.
        var valueKey = serializers.Add(property.Type, property);
        var updateKey = serializers.Add(updateType, property);
        if (valueKey is null || updateKey is null)
        {
            return null;
        }
        return new ChannelSpec(
            property.Name,
            JsonName(property) ?? CamelCase(property.Name),
            property.Type.ToDisplayString(KnownNames.TypeFormat),
            updateType.ToDisplayString(KnownNames.TypeFormat),
            reduce,
            trim,
            valueKey,
            updateKey);
    }

    public static string? JsonName(ISymbol member) =>
        AttributeOf(member, KnownNames.JsonPropertyNameAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;

    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    public static AttributeData? AttributeOf(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

    private static bool HasAttribute(ISymbol symbol, string metadataName) => AttributeOf(symbol, metadataName) is not null;

    /// <summary>True when the type and every type containing it are declared <c>partial</c>.</summary>
    public static bool IsPartial(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            var partial = current.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .All(d => d.Modifiers.Any(m => m.ValueText == "partial"));
            if (!partial)
            {
                return false;
            }
        }
        return true;
    }
}
