using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Parsing;

/// <summary>
/// Finds the <c>Reduce(current, update)</c> overload of a reducer class that fits a property: its first parameter
/// takes the property's type (generic parameters are inferred from it) and its result converts back to it.
/// </summary>
internal static class ReducerResolver
{
    public static IMethodSymbol? Resolve(INamedTypeSymbol reducer, ITypeSymbol propertyType, Compilation compilation)
    {
        IMethodSymbol? best = null;
        foreach (var method in reducer.GetMembers("Reduce").OfType<IMethodSymbol>())
        {
            if (!method.IsStatic || method.Parameters.Length != 2 || method.DeclaredAccessibility != Accessibility.Public
                || method.Parameters.Any(p => p.RefKind is not (RefKind.None or RefKind.In)))
            {
                continue;
            }
            var candidate = method;
            if (method.IsGenericMethod)
            {
                var bindings = new Dictionary<ITypeParameterSymbol, ITypeSymbol>(SymbolEqualityComparer.Default);
                if (!Unify(method.Parameters[0].Type, propertyType, bindings) || bindings.Count != method.TypeParameters.Length)
                {
                    continue;
                }
                if (!method.TypeParameters.All(p => SatisfiesConstraints(p, bindings, compilation)))
                {
                    continue;
                }
                candidate = method.Construct(method.TypeParameters.Select(p => bindings[p]).ToArray());
            }
            if (!compilation.ClassifyCommonConversion(propertyType, candidate.Parameters[0].Type).IsImplicit
                || !compilation.ClassifyCommonConversion(candidate.ReturnType, propertyType).IsImplicit)
            {
                continue;
            }
            // An overload taking the property type itself beats one taking an interface it implements.
            if (best is null || SymbolEqualityComparer.Default.Equals(candidate.Parameters[0].Type, propertyType))
            {
                best = candidate;
            }
        }
        return best;
    }

    /// <summary>Whether the inferred type argument meets the parameter's constraints (which may mention other parameters).</summary>
    private static bool SatisfiesConstraints(ITypeParameterSymbol parameter, Dictionary<ITypeParameterSymbol, ITypeSymbol> bindings, Compilation compilation)
    {
        var argument = bindings[parameter];
        if ((parameter.HasValueTypeConstraint && !argument.IsValueType)
            || (parameter.HasReferenceTypeConstraint && !argument.IsReferenceType)
            || (parameter.HasUnmanagedTypeConstraint && !argument.IsUnmanagedType))
        {
            return false;
        }
        return parameter.ConstraintTypes.All(constraint =>
            Substitute(constraint, bindings, compilation) is { } bound && compilation.ClassifyCommonConversion(argument, bound) is { Exists: true, IsImplicit: true } conversion
            && !conversion.IsUserDefined && !conversion.IsNumeric && !conversion.IsNullable); // identity, reference or boxing
    }

    private static ITypeSymbol? Substitute(ITypeSymbol type, Dictionary<ITypeParameterSymbol, ITypeSymbol> bindings, Compilation compilation)
    {
        switch (type)
        {
            case ITypeParameterSymbol parameter:
                return bindings.TryGetValue(parameter, out var bound) ? bound : null;
            case IArrayTypeSymbol array:
                return Substitute(array.ElementType, bindings, compilation) is { } element ? compilation.CreateArrayTypeSymbol(element, array.Rank) : null;
            case INamedTypeSymbol { IsGenericType: true } generic:
                var arguments = generic.TypeArguments.Select(a => Substitute(a, bindings, compilation)).ToArray();
                return arguments.Any(a => a is null) ? null : generic.OriginalDefinition.Construct(arguments!);
            default:
                return type;
        }
    }

    private static bool Unify(ITypeSymbol pattern, ITypeSymbol actual, Dictionary<ITypeParameterSymbol, ITypeSymbol> bindings)
    {
        if (pattern is ITypeParameterSymbol parameter)
        {
            if (bindings.TryGetValue(parameter, out var bound))
            {
                return SymbolEqualityComparer.Default.Equals(bound, actual);
            }
            bindings[parameter] = actual;
            return true;
        }
        if (pattern is IArrayTypeSymbol patternArray)
        {
            return actual is IArrayTypeSymbol actualArray && Unify(patternArray.ElementType, actualArray.ElementType, bindings);
        }
        if (pattern is INamedTypeSymbol { IsGenericType: true } generic)
        {
            // The actual type itself, or a base type or interface it implements, built from the same generic type.
            var match = new[] { actual }.Concat(BaseTypes(actual)).Concat(actual.AllInterfaces)
                .OfType<INamedTypeSymbol>()
                .FirstOrDefault(t => SymbolEqualityComparer.Default.Equals(t.OriginalDefinition, generic.OriginalDefinition));
            return match is not null && generic.TypeArguments.Zip(match.TypeArguments, (p, a) => (p, a)).All(pair => Unify(pair.p, pair.a, bindings));
        }
        return SymbolEqualityComparer.Default.Equals(pattern, actual);
    }

    private static IEnumerable<ITypeSymbol> BaseTypes(ITypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            yield return current;
        }
    }
}
