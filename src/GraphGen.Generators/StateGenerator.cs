using System;
using System.Collections.Immutable;
using System.Linq;
using GraphGen.Generators.Emitting;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphGen.Generators;

/// <summary>
/// Emits, for every <c>[GraphState]</c> type, its <c>Update</c> type and its <c>IGraphState</c> implementation: channel
/// table, reducers inlined in <c>Apply</c>, and JSON serializers. Types the analyzers flag are skipped silently. The
/// serializers of the types states store are emitted once per compilation, in one class every schema calls.
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

        // Only the states' types feed the shared class: an edit that keeps them leaves it cached.
        var shared = states
            .Select(static (spec, _) => spec!.Types)
            .Collect()
            .Select(static (types, _) => SharedTypes(types))
            .WithTrackingName(TrackingNames.SharedTypes);

        context.RegisterPostInitializationOutput(static output => output.AddEmbeddedAttributeDefinition());
        context.RegisterSourceOutput(shared, static (output, types) =>
        {
            if (types.Length > 0)
            {
                output.AddSource(SerializerEmitter.SharedHintName, SerializerEmitter.EmitShared(types));
            }
        });
    }

    /// <summary>Every type any state stores, except those only their state can see: once each (a key names one type), sorted by key.</summary>
    private static EquatableArray<TypeSpec> SharedTypes(ImmutableArray<EquatableArray<TypeSpec>> perState) =>
        perState.SelectMany(types => types)
            .Where(type => !type.Local)
            .GroupBy(type => type.Key, StringComparer.Ordinal)
            .Select(group => group.First())
            .OrderBy(type => type.Key, StringComparer.Ordinal)
            .ToEquatableArray();
}
