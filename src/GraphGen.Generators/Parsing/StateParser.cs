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
        if (!IsPartial(type) || type.IsGenericType || type.IsStatic || type.IsAbstract)
        {
            return null;
        }
        if (ChannelProperties(type).Any(p => ReservedNames.Contains(p.Name)))
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
        // The runtime tracks written channels in a 64-bit set.
        if (channels.Count is 0 or > 64)
        {
            return null;
        }
        var required = type.GetMembers().Where(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
            .Select(m => m.Name).ToEquatableArray();
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
        ImmutableHashSet.Create("Update", "GraphStateSchema", "IsEmpty", "WrittenChannels", "Writes", "MarkWritten");

    /// <summary>Public instance properties with a getter and an init or set accessor, not marked [JsonIgnore].</summary>
    public static IEnumerable<IPropertySymbol> ChannelProperties(INamedTypeSymbol type) =>
        type.GetMembers()
            .OfType<IPropertySymbol>()
            .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public && p.GetMethod is not null)
            .Where(p => p.Name != "EqualityContract" && !HasAttribute(p, KnownNames.JsonIgnoreAttribute));

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
        }
        TrimSpec? trim = null;
        if (AttributeOf(property, KnownNames.TrimAttribute) is { } trimAttribute)
        {
            if (property.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } list || list.OriginalDefinition.ToDisplayString() != "System.Collections.Immutable.ImmutableList<T>")
            {
                return null;
            }
            var keepSystem = trimAttribute.NamedArguments.FirstOrDefault(a => a.Key == "KeepSystem").Value.Value is true;
            var isChat = list.TypeArguments[0].ToDisplayString() == KnownNames.ChatMessage;
            trim = new TrimSpec((int)trimAttribute.ConstructorArguments[0].Value!, keepSystem, isChat);
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
