using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Parsing;

/// <summary>Turns a <c>[Graph&lt;TState&gt;]</c> class into a <see cref="GraphSpec"/>; null for what the analyzers report.</summary>
internal static class GraphParser
{
    private static readonly string[] GeneratedMembers = ["Nodes", "Build", "Mermaid"];

    public static GraphSpec? Parse(INamedTypeSymbol type, AttributeData graphAttribute, CancellationToken ct)
    {
        if (!type.IsStatic || type.IsGenericType || !StateParser.IsPartial(type)
            || graphAttribute.AttributeClass?.TypeArguments.FirstOrDefault() is not INamedTypeSymbol state)
        {
            return null;
        }
        // Members the generator adds; a user member of the same name would clash.
        if (GeneratedMembers.Any(name => type.GetMembers(name).Length > 0))
        {
            return null;
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
                var spec = ParseNode(method, name, state);
                if (spec is null)
                {
                    return null;
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
                    return null;
                }
                var from = route.NamedArguments.FirstOrDefault(a => a.Key == "From").Value.Value as string;
                var to = route.NamedArguments.FirstOrDefault(a => a.Key == "To").Value;
                if (from is null)
                {
                    return null;
                }
                var destinations = to.IsNull ? [] : to.Values.Select(v => v.Value as string).ToArray();
                if (destinations.Any(d => d is null))
                {
                    return null;
                }
                routes.Add(new RouteMethodSpec(from, method.Name, destinations.Select(d => d!).ToEquatableArray()));
            }
        }
        foreach (var edge in type.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.EdgeAttribute))
        {
            var arguments = edge.ConstructorArguments;
            if (arguments.Length != 2 || arguments[1].Value is not string to)
            {
                return null;
            }
            var from = arguments[0].Kind == TypedConstantKind.Array
                ? arguments[0].Values.Select(v => v.Value as string).ToArray()
                : [arguments[0].Value as string];
            if (from.Length == 0 || from.Any(f => f is null))
            {
                return null;
            }
            edges.Add(new EdgeSpec(from.Select(f => f!).ToEquatableArray(), to));
        }
        // Node names and node methods become constants: both must be unique (overloads cannot be told apart).
        if (nodes.Select(n => n.Name).Distinct().Count() != nodes.Count || nodes.Select(n => n.Method).Distinct().Count() != nodes.Count)
        {
            return null;
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

    private static NodeMethodSpec? ParseNode(IMethodSymbol method, string name, INamedTypeSymbol state)
    {
        if (!method.IsStatic || method.IsGenericMethod)
        {
            return null;
        }
        var result = ResultOf(method.ReturnType, state);
        if (result is null)
        {
            return null;
        }
        var parameters = new List<ParameterSpec>();
        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
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
