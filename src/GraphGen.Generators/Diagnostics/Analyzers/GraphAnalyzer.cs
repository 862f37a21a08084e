using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphGen.Generators.Models;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphGen.Generators.Diagnostics.Analyzers;

/// <summary>
/// Checks <c>[Graph&lt;TState&gt;]</c> classes: what the generator would skip (through <see cref="GraphParser"/>, which it
/// shares), then the wiring the runtime would reject or loop on: unknown node names, nodes the start never reaches,
/// nodes that never reach the end.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GraphAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.StateNotPartial,
        Descriptors.GraphShapeNotSupported,
        Descriptors.UnknownNode,
        Descriptors.NodeUnreachable,
        Descriptors.NodeNeverEnds);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName(KnownNames.GraphAttribute) is not { } attribute)
            {
                return;
            }
            start.RegisterSymbolAction(symbol => Analyze(symbol, attribute), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol attribute)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var graphAttribute = type.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass?.OriginalDefinition, attribute));
        if (graphAttribute is null
            || GraphParser.Parse(type, graphAttribute, context.CancellationToken, context.ReportDiagnostic) is not { } graph)
        {
            return;
        }
        var wiring = new GraphWiring(graph);
        var known = string.Join(", ", graph.Nodes.Select(n => n.Name).OrderBy(n => n, System.StringComparer.Ordinal));
        var unknown = false;
        void RequireNode(string name, string what, Location? location, bool isSource)
        {
            if (name != (isSource ? KnownNames.Start : KnownNames.End) && wiring.Resolve(name) is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnknownNode, location, what, name, type.Name, known));
                unknown = true;
            }
        }

        // The parser accepted every edge, so all their names are there.
        foreach (var edge in GraphParser.EdgeAttributes(type))
        {
            var location = edge.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation();
            var (sources, target) = GraphParser.EdgeEnds(edge);
            foreach (var source in sources)
            {
                RequireNode(source!, "An [Edge]", location, isSource: true);
            }
            RequireNode(target!, "An [Edge]", location, isSource: false);
        }
        foreach (var route in graph.Routes)
        {
            var location = type.GetMembers(route.Method).FirstOrDefault()?.Locations.FirstOrDefault();
            RequireNode(route.From, $"Route '{route.Method}'", location, isSource: true);
            foreach (var destination in route.To)
            {
                RequireNode(destination, $"Route '{route.Method}'", location, isSource: false);
            }
        }
        if (unknown)
        {
            return;
        }

        if (!wiring.HasEntry)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.GraphShapeNotSupported, type.Locations.FirstOrDefault(), type.Name,
                "it has no entry: mark the first node [Entry], or add [Edge(Graph.Start, ...)]"));
            return;
        }
        var reachable = wiring.ReachableFromStart();
        var ending = wiring.ReachingEnd();
        foreach (var node in graph.Nodes)
        {
            var location = type.GetMembers(node.Method).FirstOrDefault()?.Locations.FirstOrDefault();
            if (!reachable.Contains(node.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NodeUnreachable, location, node.Name, type.Name));
            }
            else if (!ending.Contains(node.Name))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NodeNeverEnds, location, node.Name, type.Name));
            }
        }
    }

    /// <summary>The graph's transitions by node name, as the runtime will wire them.</summary>
    private sealed class GraphWiring
    {
        private readonly Dictionary<string, string> _names = new();
        private readonly Dictionary<string, HashSet<string>> _next = new();
        private readonly HashSet<string> _mayEnd = new();

        public GraphWiring(GraphSpec graph)
        {
            foreach (var node in graph.Nodes)
            {
                _names[node.Name] = node.Name;
                _next[node.Name] = new HashSet<string>();
            }
            // Edges and routes may name a node by its method (nameof), as the generated Build() does.
            foreach (var node in graph.Nodes.Where(n => !_names.ContainsKey(n.Method)))
            {
                _names[node.Method] = node.Name;
            }
            _names[KnownNames.Start] = KnownNames.Start;
            _next[KnownNames.Start] = new HashSet<string>();
            foreach (var edge in graph.Edges)
            {
                foreach (var from in edge.From)
                {
                    Add(from, edge.To);
                }
            }
            foreach (var route in graph.Routes)
            {
                // A route without To may go anywhere, the end included.
                foreach (var to in route.To.Length == 0 ? _next.Keys.Where(k => k != KnownNames.Start).Append(KnownNames.End).ToList() : route.To.AsEnumerable())
                {
                    Add(route.From, to);
                }
            }
        }

        public bool HasEntry => _next[KnownNames.Start].Count > 0;

        public string? Resolve(string name) => _names.TryGetValue(name, out var node) ? node : null;

        public HashSet<string> ReachableFromStart()
        {
            var seen = new HashSet<string> { KnownNames.Start };
            var queue = new Queue<string>(seen);
            while (queue.Count > 0)
            {
                foreach (var next in _next[queue.Dequeue()].Where(seen.Add))
                {
                    queue.Enqueue(next);
                }
            }
            return seen;
        }

        /// <summary>Nodes from which some path ends the run: an edge to the end, or a node with nowhere to go.</summary>
        public HashSet<string> ReachingEnd()
        {
            var ending = new HashSet<string>(_next.Where(p => _mayEnd.Contains(p.Key) || p.Value.Count == 0).Select(p => p.Key));
            for (var changed = true; changed;)
            {
                changed = false;
                foreach (var (node, next) in _next.Select(p => (p.Key, p.Value)))
                {
                    if (!ending.Contains(node) && next.Any(ending.Contains))
                    {
                        changed = ending.Add(node);
                    }
                }
            }
            return ending;
        }

        /// <summary>Adds a transition; unknown names are reported before the wiring is used, so they are left out here.</summary>
        private void Add(string from, string to)
        {
            if (Resolve(from) is not { } source)
            {
                return;
            }
            if (to == KnownNames.End)
            {
                _mayEnd.Add(source);
            }
            else if (Resolve(to) is { } target)
            {
                _next[source].Add(target);
            }
        }
    }
}
