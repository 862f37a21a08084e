using System.Collections.Immutable;
using System.Linq;
using GraphGen.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GraphGen.Generators.Diagnostics.Analyzers;

/// <summary>
/// Checks calls: a graph compiled with a checkpointer in sight and called with no thread id, and compile options whose
/// interrupts name a node the generated graph does not have. Only what is visible in the method is judged — a graph
/// or a config that comes from elsewhere is trusted — so a warning here is a real mistake.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UsageAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> ThreadCalls =
        ImmutableHashSet.Create("InvokeAsync", "StreamAsync", "GetStateAsync", "GetStateHistoryAsync", "UpdateStateAsync");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.MissingThreadId, Descriptors.UnknownNode);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var compiled = start.Compilation.GetTypeByMetadataName("GraphGen.CompiledGraph`1");
            var config = start.Compilation.GetTypeByMetadataName("GraphGen.GraphConfig");
            var options = start.Compilation.GetTypeByMetadataName("GraphGen.CompileOptions");
            var graphAttribute = start.Compilation.GetTypeByMetadataName(KnownNames.GraphAttribute);
            if (compiled is null || config is null || options is null || graphAttribute is null)
            {
                return;
            }
            start.RegisterOperationAction(c => AnalyzeCall(c, compiled, config), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeOptions(c, options, graphAttribute), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeCall(OperationAnalysisContext context, INamedTypeSymbol compiled, INamedTypeSymbol config)
    {
        var call = (IInvocationOperation)context.Operation;
        if (!ThreadCalls.Contains(call.TargetMethod.Name)
            || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType.OriginalDefinition, compiled)
            || !IsCheckpointed(call.Instance))
        {
            return;
        }
        var argument = call.Arguments.FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.Parameter?.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), config));
        if (argument is null)
        {
            return;
        }
        var missing = argument.ArgumentKind == ArgumentKind.DefaultValue || LacksThreadId(Unwrap(argument.Value));
        if (missing)
        {
            var location = argument.ArgumentKind == ArgumentKind.DefaultValue ? NameLocation(call) : argument.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingThreadId, location, call.TargetMethod.Name));
        }
    }

    /// <summary>True when the config is visibly without a thread id: null, or built here without setting one.</summary>
    private static bool LacksThreadId(IOperation? value) => value switch
    {
        ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } => true,
        IDefaultValueOperation => true,
        IObjectCreationOperation creation => !(creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
            .Any(a => a.Target is IPropertyReferenceOperation { Property.Name: "ThreadId" } && !IsNull(a.Value)) ?? false),
        ILocalReferenceOperation local => InitializerOf(local) is { } initializer && LacksThreadId(Unwrap(initializer)),
        _ => false,
    };

    /// <summary>True when the graph was compiled here with a checkpointer (directly, or into a local never reassigned).</summary>
    private static bool IsCheckpointed(IOperation? graph) => Unwrap(graph) switch
    {
        IInvocationOperation { TargetMethod.Name: "Compile" } compile =>
            compile.Arguments.FirstOrDefault() is { ArgumentKind: not ArgumentKind.DefaultValue } options && SetsCheckpointer(Unwrap(options.Value)),
        ILocalReferenceOperation local => InitializerOf(local) is { } initializer && IsCheckpointed(initializer),
        _ => false,
    };

    private static bool SetsCheckpointer(IOperation? options) => options switch
    {
        IObjectCreationOperation creation => creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>()
            .Any(a => a.Target is IPropertyReferenceOperation { Property.Name: "Checkpointer" } && !IsNull(a.Value)) ?? false,
        ILocalReferenceOperation local => InitializerOf(local) is { } initializer && SetsCheckpointer(Unwrap(initializer)),
        _ => false,
    };

    /// <summary>The initializer of a local that is assigned nowhere else in its method, or null.</summary>
    private static IOperation? InitializerOf(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not VariableDeclaratorSyntax declarator
            || declarator.Initializer is null
            || reference.SemanticModel is not { } model)
        {
            return null;
        }
        // A local of top-level statements lives across all of them: look at the whole file.
        var member = declarator.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        SyntaxNode? body = member is null or GlobalStatementSyntax ? declarator.FirstAncestorOrSelf<CompilationUnitSyntax>() : member;
        var reassigned = body?.DescendantNodes().Any(node => node switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name,
            ArgumentSyntax { RefKindKeyword.ValueText: "ref" or "out" } argument => argument.Expression is IdentifierNameSyntax { Identifier.ValueText: var name } && name == local.Name,
            _ => false,
        }) ?? true;
        return reassigned ? null : model.GetOperation(declarator.Initializer.Value);
    }

    /// <summary>Interrupts in <c>new CompileOptions { InterruptBefore = [...] }</c> passed to a generated graph's <c>Build().Compile</c>.</summary>
    private static void AnalyzeOptions(OperationAnalysisContext context, INamedTypeSymbol options, INamedTypeSymbol graphAttribute)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, options)
            || creation.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Compile" } compile }
            || Unwrap(compile.Instance) is not IInvocationOperation { TargetMethod: { Name: "Build", IsStatic: true, ContainingType: var graphClass } }
            || graphClass.GetAttributes().FirstOrDefault(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass?.OriginalDefinition, graphAttribute)) is not { } attribute
            || GraphParser.Parse(graphClass, attribute, context.CancellationToken) is not { } graph)
        {
            return;
        }
        var names = graph.Nodes.Select(n => n.Name).Concat(graph.Nodes.Select(n => n.Method)).Append("*").ToImmutableHashSet();
        var known = string.Join(", ", graph.Nodes.Select(n => n.Name).OrderBy(n => n, System.StringComparer.Ordinal));
        foreach (var assignment in creation.Initializer?.Initializers.OfType<ISimpleAssignmentOperation>() ?? [])
        {
            if (assignment.Target is not IPropertyReferenceOperation { Property.Name: var option and ("InterruptBefore" or "InterruptAfter") })
            {
                continue;
            }
            var elements = Unwrap(assignment.Value) switch
            {
                ICollectionExpressionOperation collection => collection.Elements,
                IArrayCreationOperation array => array.Initializer?.ElementValues ?? [],
                _ => [],
            };
            foreach (var element in elements)
            {
                if (element.ConstantValue is { HasValue: true, Value: string name } && !names.Contains(name))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnknownNode, element.Syntax.GetLocation(), option, name, graphClass.Name, known));
                }
            }
        }
    }

    private static bool IsNull(IOperation value) => Unwrap(value) is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation;

    /// <summary>The value under conversions and parentheses (<c>(GraphConfig?)null</c> is null).</summary>
    private static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static Location NameLocation(IInvocationOperation call) =>
        call.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } ? member.Name.GetLocation() : call.Syntax.GetLocation();
}
