using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using GraphGen.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace GraphGen.CodeFixes;

/// <summary>
/// GG0020: gives the call a thread: a missing or null config becomes <c>GraphConfig.ForThread("thread-1")</c>, a
/// config built in place (or in a local) gets <c>ThreadId = "thread-1"</c>. The id is a placeholder to rename.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddThreadIdCodeFix)), Shared]
public sealed class AddThreadIdCodeFix : CodeFixProvider
{
    private const string Placeholder = "\"thread-1\"";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingThreadId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var node = root?.FindNode(context.Span, getInnermostNodeForTie: true);
        if (root is null || node is null || Fix(root, node) is not { } fixedRoot)
        {
            return;
        }
        context.RegisterCodeFix(
            CodeAction.Create("Add a ThreadId", async ct =>
            {
                var document = await ImportAdder.AddImportsAsync(context.Document.WithSyntaxRoot(fixedRoot), Simplifier.AddImportsAnnotation, cancellationToken: ct).ConfigureAwait(false);
                return await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: ct).ConfigureAwait(false);
            }, nameof(AddThreadIdCodeFix)),
            context.Diagnostics);
    }

    private static SyntaxNode? Fix(SyntaxNode root, SyntaxNode node)
    {
        // The analyzer marks the method name when the config argument is missing altogether.
        if (node.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } access && access.Name == node)
        {
            var arguments = call.ArgumentList.Arguments;
            var position = arguments.TakeWhile(a => a.NameColon is null).Count() >= 1 ? 1 : 0;
            return root.ReplaceNode(call.ArgumentList, call.ArgumentList.WithArguments(arguments.Insert(position, SyntaxFactory.Argument(ForThread()))));
        }
        var value = node is ArgumentSyntax argument ? argument.Expression : node as ExpressionSyntax;
        switch (value)
        {
            case BaseObjectCreationExpressionSyntax creation:
                return root.ReplaceNode(creation, WithThreadId(creation));
            case IdentifierNameSyntax local:
                var declarator = root.DescendantNodes().OfType<VariableDeclaratorSyntax>()
                    .LastOrDefault(d => d.Identifier.ValueText == local.Identifier.ValueText && d.SpanStart < local.SpanStart);
                return declarator?.Initializer?.Value is BaseObjectCreationExpressionSyntax initial ? root.ReplaceNode(initial, WithThreadId(initial)) : null;
            case not null:
                return root.ReplaceNode(value, ForThread().WithTriviaFrom(value));
            default:
                return null;
        }
    }

    private static ExpressionSyntax ForThread() =>
        SyntaxFactory.ParseExpression($"global::GraphGen.GraphConfig.ForThread({Placeholder})").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    private static BaseObjectCreationExpressionSyntax WithThreadId(BaseObjectCreationExpressionSyntax creation)
    {
        var assignment = SyntaxFactory.ParseExpression($"ThreadId = {Placeholder}");
        if (creation.Initializer is { } initializer)
        {
            // Drop a ThreadId set to null, if that is why the analyzer spoke.
            var kept = initializer.Expressions.Where(e => e is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "ThreadId" } });
            return creation.WithInitializer(initializer.WithExpressions(SyntaxFactory.SeparatedList(kept.Prepend(assignment))));
        }
        var items = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList(assignment));
        var withoutEmptyParentheses = creation is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitCreation
            ? explicitCreation.WithArgumentList(null).WithType(explicitCreation.Type.WithTrailingTrivia(SyntaxFactory.Space))
            : creation;
        return withoutEmptyParentheses.WithInitializer(items.WithLeadingTrivia(SyntaxFactory.Space));
    }
}
