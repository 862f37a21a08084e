using GraphGen.Generators.Emitting;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphGen.Generators;

/// <summary>
/// Emits, for every <c>[GraphState]</c> type, its <c>Update</c> type and its <c>IGraphState</c> implementation: channel
/// table, reducers inlined in <c>Apply</c>, and JSON serializers. Types the analyzers flag are skipped silently.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class StateGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var states = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.GraphStateAttribute,
                static (node, _) => node is TypeDeclarationSyntax,
                static (ctx, ct) => StateParser.Parse((INamedTypeSymbol)ctx.TargetSymbol, ctx.SemanticModel.Compilation, ct))
            .Where(static spec => spec is not null)
            .WithTrackingName(TrackingNames.StateSpec);

        context.RegisterSourceOutput(states, static (output, spec) => output.AddSource(spec!.HintName, StateEmitter.Emit(spec)));
    }
}
