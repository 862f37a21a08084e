using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using GraphGen.Generators.Diagnostics;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphGen.Generators.Parsing;

/// <summary>
/// Turns a <c>[GraphState]</c> symbol into a <see cref="StateSpec"/>, or null when it cannot implement it. This is the
/// validator the generator and the analyzers share: the generator passes no reporter and skips what fails; the
/// state analyzer passes one and reports every problem found.
/// </summary>
internal static class StateParser
{
    public static StateSpec? Parse(INamedTypeSymbol type, Compilation compilation, CancellationToken ct, Action<Diagnostic>? report = null)
    {
        if (!IsPartial(type))
        {
            return Fail(report, Descriptors.StateNotPartial, type, type.Name);
        }
        if (WhyNotAState(type) is { } why)
        {
            return Fail(report, Descriptors.StateShapeNotSupported, type, type.Name, why);
        }
        var serializers = new SerializerParser(compilation);
        var channels = new List<ChannelSpec>();
        var failed = false;
        foreach (var property in ChannelProperties(type))
        {
            ct.ThrowIfCancellationRequested();
            if (ParseChannel(type, property, compilation, serializers, report) is { } channel)
            {
                channels.Add(channel);
            }
            else if (report is null)
            {
                return null;
            }
            else
            {
                failed = true;
            }
        }
        if (failed)
        {
            return null;
        }
        if (WhyNotChannels(channels) is { } channelsWhy)
        {
            return Fail(report, Descriptors.StateShapeNotSupported, type, type.Name, channelsWhy);
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

    /// <summary>Why the type itself (not its channels) cannot be a state, or null.</summary>
    private static string? WhyNotAState(INamedTypeSymbol type)
    {
        if (type.IsGenericType)
        {
            return "generic states are not supported; derive the state for each type argument, or store the varying part in a member";
        }
        if (type.IsStatic || type.IsAbstract)
        {
            return "a state must be a type with instances: not static, not abstract";
        }
        if (type.IsRefLikeType || type.IsFileLocal)
        {
            return "ref structs and file-local types cannot be extended by generated code";
        }
        if (!HasParameterlessConstructor(type))
        {
            return "it needs a parameterless constructor (positional records are not supported: declare { get; init; } properties instead)";
        }
        var channels = new HashSet<string>(ChannelProperties(type).Select(p => p.Name));
        var reserved = ReservedNames.Contains(type.Name)
            ? type.Name
            : ReservedNames.OrderBy(n => n, StringComparer.Ordinal).FirstOrDefault(name => channels.Contains(name) || type.GetMembers(name).Any(IsUserDeclared));
        if (reserved is not null)
        {
            return $"'{reserved}' is the name of a generated member (reserved: {string.Join(", ", ReservedNames.OrderBy(n => n, StringComparer.Ordinal))}); rename it";
        }
        if (InheritsState(type))
        {
            return "it derives from another [GraphState] type, which would give it two Update types";
        }
        // A class is rebuilt from its channels alone, so it may hold nothing else.
        if (!type.IsRecord && !type.IsValueType && FieldOutsideChannels(type) is { } field)
        {
            return $"a class state is rebuilt from its channel properties alone, so field '{field.Name}' would be lost; make the state a record or turn the field into a property";
        }
        return null;
    }

    /// <summary>Why the channels cannot live together in one state, or null.</summary>
    private static string? WhyNotChannels(List<ChannelSpec> channels)
    {
        // The runtime tracks written channels in a 64-bit set; stored names must be unique and not the runtime's own.
        if (channels.Count == 0)
        {
            return "it has no channels; declare public { get; init; } properties";
        }
        if (channels.Count > 64)
        {
            return $"it has {channels.Count} channels, more than the 64 a state can have; group some into records";
        }
        if (channels.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } sameName)
        {
            return $"properties {string.Join(" and ", sameName.Select(c => "'" + c.Property + "'"))} are both stored as '{sameName.Key}'";
        }
        if (channels.GroupBy(c => c.Property.ToLowerInvariant(), StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } sameCase)
        {
            return $"properties {string.Join(" and ", sameCase.Select(c => "'" + c.Property + "'"))} differ only in case";
        }
        if (channels.FirstOrDefault(c => c.Name.StartsWith("__", StringComparison.Ordinal) || c.Name.StartsWith("branch:", StringComparison.Ordinal) || c.Name.StartsWith("join:", StringComparison.Ordinal)) is { } reserved)
        {
            return $"channel '{reserved.Name}' of property '{reserved.Property}' uses a prefix the runtime keeps for itself (__, branch:, join:)";
        }
        return null;
    }

    /// <summary>Reports <paramref name="descriptor"/> at <paramref name="symbol"/> when there is a reporter; always null.</summary>
    public static StateSpec? Fail(Action<Diagnostic>? report, DiagnosticDescriptor descriptor, ISymbol symbol, params object[] arguments)
    {
        report?.Invoke(Diagnostic.Create(descriptor, symbol.Locations.FirstOrDefault(), arguments));
        return null;
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

    /// <summary>An instance field that is not the backing field of a channel property, or null.</summary>
    private static IFieldSymbol? FieldOutsideChannels(INamedTypeSymbol type)
    {
        var channels = new HashSet<string>(ChannelProperties(type).Select(p => p.Name));
        return WithBaseTypes(type).SelectMany(t => t.GetMembers()).OfType<IFieldSymbol>()
            .FirstOrDefault(f => !f.IsStatic && !f.IsConst && !(f.AssociatedSymbol is IPropertySymbol p && channels.Contains(p.Name)));
    }

    private static ChannelSpec? ParseChannel(INamedTypeSymbol state, IPropertySymbol property, Compilation compilation, SerializerParser serializers, Action<Diagnostic>? report)
    {
        ChannelSpec? Fail(DiagnosticDescriptor descriptor, params object[] arguments)
        {
            report?.Invoke(Diagnostic.Create(descriptor, property.Locations.FirstOrDefault() ?? state.Locations.FirstOrDefault(), arguments));
            return null;
        }

        if (property.SetMethod is null)
        {
            return Fail(Descriptors.StateShapeNotSupported, state.Name,
                $"property '{property.Name}' has no init accessor, so it could not be restored from a checkpoint; add init, or [JsonIgnore] it");
        }
        string? reduce = null;
        var appends = false;
        ITypeSymbol updateType = property.Type;
        if (AttributeOf(property, KnownNames.ReducerAttribute) is { } reducerAttribute)
        {
            if (reducerAttribute.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol reducer)
            {
                return Fail(Descriptors.ReducerDoesNotFit, "[Reducer]", property.Name, "it must name a reducer type, as in [Reducer(typeof(Append))]");
            }
            if (ReducerResolver.Resolve(reducer, property.Type, compilation) is not { } method)
            {
                return Fail(Descriptors.ReducerDoesNotFit, $"[Reducer(typeof({reducer.Name}))]", property.Name,
                    $"{reducer.Name} has no public static Reduce(current, update) whose current parameter takes {Short(property.Type)} and whose result converts back to it");
            }
            reduce = reducer.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + ".Reduce";
            appends = reducer.ToDisplayString() == KnownNames.AppendReducer && reducer.ContainingAssembly?.Name == "GraphGen";
            updateType = method.Parameters[1].Type;
            // The Update member is as visible as the state; its type must be too.
            if (IsEffectivelyPublic(property.ContainingType) && !IsEffectivelyPublic(updateType))
            {
                return Fail(Descriptors.StateShapeNotSupported, state.Name,
                    $"the Update member for '{property.Name}' would take {Short(updateType)}, which is less visible than the state; make it public");
            }
        }
        TrimSpec? trim = null;
        if (AttributeOf(property, KnownNames.TrimAttribute) is { } trimAttribute)
        {
            if (property.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } list || list.OriginalDefinition.ToDisplayString() != "System.Collections.Immutable.ImmutableList<T>")
            {
                return Fail(Descriptors.ReducerDoesNotFit, "[Trim]", property.Name, "[Trim] keeps the last items of an ImmutableList<T> property");
            }
            // While the user is still typing, the attribute may have no (or a wrong) argument.
            if (trimAttribute.ConstructorArguments.Length != 1 || trimAttribute.ConstructorArguments[0].Value is not int keepLast || keepLast < 1)
            {
                return Fail(Descriptors.ReducerDoesNotFit, "[Trim]", property.Name, "[Trim] needs the number of items to keep, 1 or more");
            }
            var keepSystem = trimAttribute.NamedArguments.FirstOrDefault(a => a.Key == "KeepSystem").Value.Value is true;
            var isChat = list.TypeArguments[0].ToDisplayString() == KnownNames.ChatMessage;
            trim = new TrimSpec(keepLast, keepSystem, isChat);
        }
        // The property's [JsonSerializeWith]/[JsonConverter] applies to its value and to its Update member's type.
        var valueKey = serializers.Add(property.Type, property);
        var updateKey = valueKey is null ? null : serializers.Add(updateType, property);
        if (valueKey is null || updateKey is null)
        {
            var failure = serializers.LastFailure!;
            var where = valueKey is null ? $"{state.Name}.{property.Name}" : $"{state.Name}.Update.{property.Name}";
            return Fail(Descriptors.StateMemberNotSerializable, $"{where}{failure.Path}: {failure.Type}", failure.Reason);
        }
        return new ChannelSpec(
            property.Name,
            JsonName(property) ?? CamelCase(property.Name),
            property.Type.ToDisplayString(KnownNames.TypeFormat),
            updateType.ToDisplayString(KnownNames.TypeFormat),
            reduce,
            trim,
            appends && trim is null,
            valueKey,
            updateKey);
    }

    private static string Short(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);

    public static string? JsonName(ISymbol member) =>
        AttributeOf(member, KnownNames.JsonPropertyNameAttribute)?.ConstructorArguments.FirstOrDefault().Value as string;

    public static string CamelCase(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    public static AttributeData? AttributeOf(ISymbol symbol, string metadataName) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == metadataName);

    private static bool HasAttribute(ISymbol symbol, string metadataName) => AttributeOf(symbol, metadataName) is not null;

    /// <summary>
    /// True for a member the user wrote, false for one GraphGen generated: analyzers see the generated files too (with
    /// their <c>Update</c>, <c>Build</c>...), the generators never do.
    /// </summary>
    public static bool IsUserDeclared(ISymbol member) =>
        member.DeclaringSyntaxReferences.Length == 0
        || member.DeclaringSyntaxReferences.Any(r => !r.SyntaxTree.FilePath.EndsWith(".GraphState.g.cs", StringComparison.Ordinal)
            && !r.SyntaxTree.FilePath.EndsWith(".Graph.g.cs", StringComparison.Ordinal));

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
