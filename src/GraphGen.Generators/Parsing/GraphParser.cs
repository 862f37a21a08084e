using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphGen.Generators.Diagnostics;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Parsing;

/// <summary>
/// Turns a <c>[Graph&lt;TState&gt;]</c> class into a <see cref="GraphSpec"/>, or null when it cannot be wired; shared by
/// the generator (no reporter: it skips the class) and the graph analyzer (which reports why).
/// </summary>
internal static class GraphParser
{
    private static readonly string[] GeneratedMembers = ["Nodes", "Build", "Mermaid"];

    public static GraphSpec? Parse(INamedTypeSymbol type, AttributeData graphAttribute, CancellationToken ct, Action<Diagnostic>? report = null)
    {
        GraphSpec? Fail(ISymbol at, string why, SyntaxReference? syntax = null)
        {
            var location = syntax?.GetSyntax(ct).GetLocation() ?? at.Locations.FirstOrDefault();
            report?.Invoke(Diagnostic.Create(Descriptors.GraphShapeNotSupported, location, type.Name, why));
            return null;
        }

        if (!StateParser.IsPartial(type))
        {
            report?.Invoke(Diagnostic.Create(Descriptors.StateNotPartial, type.Locations.FirstOrDefault(), type.Name));
            return null;
        }
        if (!type.IsStatic || type.IsGenericType)
        {
            return Fail(type, "a [Graph] class must be static and not generic");
        }
        if (graphAttribute.AttributeClass?.TypeArguments.FirstOrDefault() is not INamedTypeSymbol state)
        {
            return Fail(type, "[Graph<TState>] must name a [GraphState] type");
        }
        // Members the generator adds; a user member of the same name would clash.
        if (GeneratedMembers.FirstOrDefault(name => type.GetMembers(name).Any(StateParser.IsUserDeclared)) is { } clash)
        {
            return Fail(type.GetMembers(clash)[0], $"'{clash}' is the name of a generated member (reserved: {string.Join(", ", GeneratedMembers)}); rename it");
        }
        var nodes = new List<NodeMethodSpec>();
        var edges = new List<EdgeSpec>();
        var routes = new List<RouteMethodSpec>();
        foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
        {
            ct.ThrowIfCancellationRequested();
            if (StateParser.AttributeOf(method, KnownNames.NodeAttribute) is { } node)
            {
                var name = node.ConstructorArguments.FirstOrDefault().Value as string ?? method.Name;
                var spec = ParseNode(method, name, state, out var why);
                if (spec is null)
                {
                    return Fail(method, why);
                }
                nodes.Add(spec);
                if (StateParser.AttributeOf(method, KnownNames.EntryAttribute) is not null)
                {
                    edges.Add(new EdgeSpec(new[] { KnownNames.Start }.ToEquatableArray(), name));
                }
            }
            if (StateParser.AttributeOf(method, KnownNames.RouteAttribute) is { } route)
            {
                if (!method.IsStatic || method.Parameters.Length != 1 || !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, state))
                {
                    return Fail(method, $"route method '{method.Name}' must be static and take only the state ({state.Name})");
                }
                var from = route.NamedArguments.FirstOrDefault(a => a.Key == "From").Value.Value as string;
                var to = route.NamedArguments.FirstOrDefault(a => a.Key == "To").Value;
                if (from is null)
                {
                    return Fail(method, $"route '{method.Name}' needs From, the node it follows", route.ApplicationSyntaxReference);
                }
                var destinations = to.IsNull ? [] : to.Values.Select(v => v.Value as string).ToArray();
                if (destinations.Any(d => d is null))
                {
                    return Fail(method, $"route '{method.Name}' lists a null destination in To", route.ApplicationSyntaxReference);
                }
                routes.Add(new RouteMethodSpec(from, method.Name, destinations.Select(d => d!).ToEquatableArray()));
            }
        }
        foreach (var edge in EdgeAttributes(type))
        {
            var (from, to) = EdgeEnds(edge);
            if (to is null)
            {
                return Fail(type, "an [Edge] needs a target node", edge.ApplicationSyntaxReference);
            }
            if (from.Length == 0 || from.Any(f => f is null))
            {
                return Fail(type, "an [Edge] needs at least one source node, none of them null", edge.ApplicationSyntaxReference);
            }
            edges.Add(new EdgeSpec(from.Select(f => f!).ToEquatableArray(), to));
        }
        // Node names and node methods become constants: both must be unique (overloads cannot be told apart).
        if (nodes.GroupBy(n => n.Name).FirstOrDefault(g => g.Count() > 1) is { } sameName)
        {
            return Fail(type, $"methods {string.Join(" and ", sameName.Select(n => "'" + n.Method + "'"))} are both node '{sameName.Key}'");
        }
        if (nodes.GroupBy(n => n.Method).FirstOrDefault(g => g.Count() > 1) is { } overloads)
        {
            return Fail(type, $"node method '{overloads.Key}' is overloaded; node methods need distinct names");
        }
        return new GraphSpec(
            TypeHierarchy.From(type),
            type.Name,
            state.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            nodes.ToEquatableArray(),
            edges.ToEquatableArray(),
            routes.ToEquatableArray(),
            TypeHierarchy.HintName(type, "Graph"));
    }

    /// <summary>The <c>[Edge]</c> attributes on a graph class.</summary>
    public static IEnumerable<AttributeData> EdgeAttributes(INamedTypeSymbol type) =>
        type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.EdgeAttribute);

    /// <summary>An edge's source names (one, or several for a join) and target name, null where an argument is missing.</summary>
    public static (string?[] From, string? To) EdgeEnds(AttributeData edge)
    {
        var arguments = edge.ConstructorArguments;
        if (arguments.Length != 2)
        {
            return ([], null);
        }
        var from = arguments[0].Kind == TypedConstantKind.Array
            ? arguments[0].Values.Select(v => v.Value as string).ToArray()
            : [arguments[0].Value as string];
        return (from, arguments[1].Value as string);
    }

    private static NodeMethodSpec? ParseNode(IMethodSymbol method, string name, INamedTypeSymbol state, out string why)
    {
        why = "";
        if (!method.IsStatic || method.IsGenericMethod)
        {
            why = $"node method '{method.Name}' must be static and not generic";
            return null;
        }
        var result = ResultOf(method.ReturnType, state);
        if (result is null)
        {
            why = $"node method '{method.Name}' must return {state.Name}.Update (or a Task or ValueTask of it)";
            return null;
        }
        var parameters = new List<ParameterSpec>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                why = $"parameter '{parameter.Name}' of node method '{method.Name}' is passed by reference";
                return null;
            }
            var type = parameter.Type;
            var display = type.ToDisplayString(KnownNames.TypeFormat);
            // Nullability does not change what a parameter is bound to (ILogger? is still the node's logger).
            var kind = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString() switch
            {
                _ when SymbolEqualityComparer.Default.Equals(type, state) => ParameterKind.State,
                "GraphGen.NodeContext" => ParameterKind.Context,
                "GraphGen.Store.IStore" => ParameterKind.Store,
                "GraphGen.GraphConfig" => ParameterKind.Config,
                "System.Threading.CancellationToken" => ParameterKind.CancellationToken,
                "Microsoft.Extensions.Logging.ILogger" => ParameterKind.Logger,
                _ => ParameterKind.Service,
            };
            parameters.Add(new ParameterSpec(kind, display));
        }
        return new NodeMethodSpec(name, method.Name, result.Value, parameters.ToEquatableArray());
    }

    /// <summary>A node returns the state's update (any <c>StateUpdate&lt;TState&gt;</c>), directly or through a task.</summary>
    private static ResultKind? ResultOf(ITypeSymbol returnType, INamedTypeSymbol state)
    {
        if (IsUpdate(returnType, state))
        {
            return ResultKind.Sync;
        }
        if (returnType is INamedTypeSymbol { TypeArguments.Length: 1 } task && IsUpdate(task.TypeArguments[0], state))
        {
            return task.OriginalDefinition.ToDisplayString() switch
            {
                "System.Threading.Tasks.Task<TResult>" => ResultKind.Task,
                "System.Threading.Tasks.ValueTask<TResult>" => ResultKind.ValueTask,
                _ => null,
            };
        }
        return null;
    }

    private static bool IsUpdate(ITypeSymbol type, INamedTypeSymbol state)
    {
        // TState.Update is emitted by the state generator, whose output this generator cannot see: it arrives
        // here as an unresolved type named Update inside the state type.
        if (type is IErrorTypeSymbol { Name: "Update" } error && SymbolEqualityComparer.Default.Equals(error.ContainingSymbol, state))
        {
            return true;
        }
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current.OriginalDefinition.ToDisplayString() == "GraphGen.StateUpdate<TState>"
                && SymbolEqualityComparer.Default.Equals(current.TypeArguments[0], state))
            {
                return true;
            }
        }
        return false;
    }
}
