using GraphGen.Generators.Emitting;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphGen.Generators;

/// <summary>
/// Emits, for every <c>[Graph&lt;TState&gt;]</c> class, <c>Build()</c> wiring its <c>[Node]</c> methods, <c>[Edge]</c>s and
/// <c>[Route]</c>s into a <c>StateGraph</c>, a <c>Nodes</c> class of name constants and a <c>Mermaid</c> diagram. Node
/// parameters are bound here, at compile time: no reflection at run time.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GraphGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var graphs = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.GraphAttribute,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => GraphParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.Attributes[0], ct))
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.GraphSpec);

        context.RegisterSourceOutput(graphs, static (output, spec) => output.AddSource(spec!.HintName, GraphEmitter.Emit(spec)));
    }
}
