using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphGen.Generators.Diagnostics.Analyzers;

/// <summary>
/// Checks <c>[GraphState]</c> types: everything the generator would skip (through the validator it shares,
/// <see cref="StateParser"/>), and state that could change after it is checkpointed (mutable collections, setters).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property holding the immutable type a mutable collection property should have.</summary>
    public const string ReplacementProperty = "Replacement";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StateNotPartial,
        Descriptors.StateMemberNotSerializable,
        Descriptors.StateMemberMutableCollection,
        Descriptors.StateMemberSettable,
        Descriptors.ReducerDoesNotFit,
        Descriptors.StateShapeNotSupported);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownNames.GraphStateAttribute) is not { } attribute)
            {
                return;
            }
            start.RegisterSymbolAction(symbol => Analyze(symbol, attribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol attribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (!type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
        {
            return;
        }
        StateParser.Parse(type, context.Compilation, context.CancellationToken, context.ReportDiagnostic);
        foreach (var property in StateParser.ChannelProperties(type))
        {
            var location = property.Locations.FirstOrDefault();
            if (property.SetMethod is { IsInitOnly: false, DeclaredAccessibility: Accessibility.Public })
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateMemberSettable, location, $"{type.Name}.{property.Name}"));
            }
            foreach (var (path, replacement) in MutableCollections(property.Type, "", new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default)))
            {
                // Only the property's own type can be fixed in place; a collection deeper inside is reported for a person.
                var properties = path.Length == 0
                    ? ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, replacement)
                    : ImmutableDictionary<string, string?>.Empty;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.StateMemberMutableCollection, location, properties, $"{type.Name}.{property.Name}{path}", Short(replacement)));
            }
        }
    }

    /// <summary>
    /// The mutable collections inside <paramref name="type"/> (itself, elements, members of the user's own types),
    /// each with its path from <paramref name="type"/> and the immutable type to use instead.
    /// </summary>
    private static IEnumerable<(string Path, string Replacement)> MutableCollections(ITypeSymbol type, string path, HashSet<ITypeSymbol> seen)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }
        if (!seen.Add(type))
        {
            yield break;
        }
        if (ImmutableCounterpart(type) is { } replacement)
        {
            yield return (path, replacement);
        }
        var parts = type switch
        {
            IArrayTypeSymbol array => [(array.ElementType, "[]")],
            INamedTypeSymbol { IsGenericType: true } generic when IsCollection(generic) => generic.TypeArguments.Select(t => (t, "[]")).ToList(),
            // The user's own records and classes; framework types are judged by the serializer rules, not here.
            INamedTypeSymbol named when named.Locations.Any(l => l.IsInSource) && named.TypeKind is TypeKind.Class or TypeKind.Struct =>
                StateParser.ChannelProperties(named).Select(p => (p.Type, "." + p.Name)).ToList(),
            _ => new List<(ITypeSymbol, string)>(),
        };
        foreach (var (part, segment) in parts)
        {
            foreach (var found in MutableCollections(part, path + segment, seen))
            {
                yield return found;
            }
        }
    }

    /// <summary>Asked of the generic definition, whose interfaces Roslyn computes once, not of every constructed type.</summary>
    private static bool IsCollection(INamedTypeSymbol type) =>
        type.OriginalDefinition.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable);

    /// <summary>The immutable type (fully qualified) to use instead of a mutable collection type, or null.</summary>
    private static string? ImmutableCounterpart(ITypeSymbol type)
    {
        const string Immutable = "global::System.Collections.Immutable.";
        string Arguments(INamedTypeSymbol t) => "<" + string.Join(", ", t.TypeArguments.Select(a => a.ToDisplayString(KnownNames.TypeFormat))) + ">";
        if (type is IArrayTypeSymbol { IsSZArray: true } array && array.ElementType.SpecialType != SpecialType.System_Byte)
        {
            return Immutable + "ImmutableArray<" + array.ElementType.ToDisplayString(KnownNames.TypeFormat) + ">";
        }
        if (type is not INamedTypeSymbol { IsGenericType: true } named)
        {
            return null;
        }
        return named.OriginalDefinition.ToDisplayString() switch
        {
            "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>" or "System.Collections.Generic.ICollection<T>"
                => Immutable + "ImmutableList" + Arguments(named),
            "System.Collections.Generic.HashSet<T>" or "System.Collections.Generic.ISet<T>" => Immutable + "ImmutableHashSet" + Arguments(named),
            "System.Collections.Generic.SortedSet<T>" => Immutable + "ImmutableSortedSet" + Arguments(named),
            "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IDictionary<TKey, TValue>"
                => Immutable + "ImmutableDictionary" + Arguments(named),
            "System.Collections.Generic.SortedDictionary<TKey, TValue>" => Immutable + "ImmutableSortedDictionary" + Arguments(named),
            _ => null,
        };
    }

    private static string Short(string qualified) =>
        qualified.Replace("global::System.Collections.Immutable.", "").Replace("global::System.", "").Replace("global::", "");
}
