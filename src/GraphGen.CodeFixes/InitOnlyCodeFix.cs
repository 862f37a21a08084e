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

namespace GraphGen.CodeFixes;

/// <summary>GG0004: turns a state property's <c>set</c> into <c>init</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InitOnlyCodeFix)), Shared]
public sealed class InitOnlyCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.StateMemberSettable);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var property = root?.FindNode(context.Span).FirstAncestorOrSelf<PropertyDeclarationSyntax>();
        var setter = property?.AccessorList?.Accessors.FirstOrDefault(a => a.IsKind(SyntaxKind.SetAccessorDeclaration));
        if (root is null || setter is null)
        {
            return;
        }
        var init = SyntaxFactory.AccessorDeclaration(
            SyntaxKind.InitAccessorDeclaration,
            setter.AttributeLists,
            setter.Modifiers,
            SyntaxFactory.Token(setter.Keyword.LeadingTrivia, SyntaxKind.InitKeyword, setter.Keyword.TrailingTrivia),
            setter.Body,
            setter.ExpressionBody,
            setter.SemicolonToken);
        context.RegisterCodeFix(
            CodeAction.Create("Make it init-only", _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(setter, init))), nameof(InitOnlyCodeFix)),
            context.Diagnostics);
    }
}
