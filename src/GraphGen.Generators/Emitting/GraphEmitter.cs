using System.Collections.Generic;
using System.Linq;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;

namespace GraphGen.Generators.Emitting;

/// <summary>Writes the generated half of a <c>[Graph&lt;TState&gt;]</c> class: <c>Nodes</c>, <c>Build()</c> and <c>Mermaid</c>.</summary>
internal static class GraphEmitter
{
    public static string Emit(GraphSpec graph)
    {
        var w = SourceWriter.ForGeneratedFile();
        var containers = graph.Hierarchy.Open(w);
        var state = graph.StateType;
        // Edges and routes name nodes by node name or, as nameof(Method) naturally does, by method name.
        var names = graph.Nodes.ToDictionary(n => n.Name, n => $"Nodes.{CSharpNames.Identifier(n.Method)}");
        foreach (var node in graph.Nodes)
        {
            if (!names.ContainsKey(node.Method))
            {
                names[node.Method] = $"Nodes.{CSharpNames.Identifier(node.Method)}";
            }
        }

        w.OpenBlock($"static partial class {CSharpNames.Identifier(graph.Name)}");
        w.WriteLine($"/// <summary>The node names of <see cref=\"{graph.Name}\"/>.</summary>");
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.OpenBlock("public static class Nodes");
        foreach (var node in graph.Nodes)
        {
            w.WriteLine($"/// <summary>The node of <c>{node.Method}</c>.</summary>");
            w.WriteLine($"public const string {CSharpNames.Identifier(node.Method)} = {CSharpNames.Literal(node.Name)};");
        }
        w.CloseBlock();
        w.WriteLine();
        w.WriteLine("/// <summary>A Mermaid flowchart of the graph.</summary>");
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.WriteLine("public static string Mermaid => Build().Compile().ToMermaid();");
        w.WriteLine();
        w.WriteLine($"/// <summary>A new <see cref=\"global::GraphGen.StateGraph{{TState}}\"/> with every node, edge and route of <see cref=\"{graph.Name}\"/>; compile it with a checkpointer.</summary>");
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.OpenBlock($"public static global::GraphGen.StateGraph<{state}> Build()");
        w.WriteLine($"var graph = new global::GraphGen.StateGraph<{state}>();");
        foreach (var node in graph.Nodes)
        {
            var call = $"{CSharpNames.Identifier(node.Method)}({string.Join(", ", node.Parameters.Select(Argument))})";
            var body = node.Result == ResultKind.Sync ? call : $"await {call}.ConfigureAwait(false)";
            var async = node.Result == ResultKind.Sync ? "" : "async ";
            w.WriteLine($"graph.AddNode({names[node.Name]}, static {async}(global::{QualifiedState(state)} state, global::GraphGen.NodeContext context) => (global::GraphGen.StateUpdate<{state}>?){body});");
        }
        foreach (var edge in graph.Edges)
        {
            var from = edge.From.Length == 1 ? NameOf(edge.From[0], names) : "[" + string.Join(", ", edge.From.Select(f => NameOf(f, names))) + "]";
            w.WriteLine($"graph.AddEdge({from}, {NameOf(edge.To, names)});");
        }
        foreach (var route in graph.Routes)
        {
            var destinations = route.To.Length == 0 ? "null" : "[" + string.Join(", ", route.To.Select(t => NameOf(t, names))) + "]";
            w.WriteLine($"graph.AddConditionalEdges({NameOf(route.From, names)}, static state => {CSharpNames.Identifier(route.Method)}(state), {destinations});");
        }
        w.WriteLine("return graph;");
        w.CloseBlock();
        w.CloseBlock();

        for (var i = 0; i < containers; i++)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static string Argument(ParameterSpec parameter) => parameter.Kind switch
    {
        ParameterKind.State => "state",
        ParameterKind.Context => "context",
        ParameterKind.Store => "context.RequireStore()",
        ParameterKind.Config => "context.Config",
        ParameterKind.CancellationToken => "context.CancellationToken",
        ParameterKind.Logger => "context.Logger",
        _ => $"context.GetRequiredService<{parameter.Type.TrimEnd('?')}>()",
    };

    private static string NameOf(string name, Dictionary<string, string> nodes) => name switch
    {
        KnownNames.Start => "global::GraphGen.Graph.Start",
        KnownNames.End => "global::GraphGen.Graph.End",
        _ => nodes.TryGetValue(name, out var constant) ? constant : CSharpNames.Literal(name),
    };

    private static string QualifiedState(string state) => state.StartsWith("global::") ? state.Substring("global::".Length) : state;


}
