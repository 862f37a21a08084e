using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GraphGen.Generators.Diagnostics;
using GraphGen.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace GraphGen.CodeFixes;

/// <summary>
/// GG0003: gives a state property the immutable collection type the analyzer named (<c>List&lt;T&gt;</c> becomes
/// <c>ImmutableList&lt;T&gt;</c>) and converts its initializer: <c>new()</c> and collection initializers become
/// collection expressions (<c>.Empty</c> for dictionaries), anything else is converted with <c>ToImmutable…()</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ImmutableCollectionCodeFix)), Shared]
public sealed class ImmutableCollectionCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.StateMemberMutableCollection);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            // Only a property whose own type is the mutable collection carries a replacement; deeper ones need a person.
            if (!diagnostic.Properties.TryGetValue(StateAnalyzer.ReplacementProperty, out var replacement) || replacement is null
                || root?.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<PropertyDeclarationSyntax>() is not { } property)
            {
                continue;
            }
            var title = "Use " + replacement.Replace("global::System.Collections.Immutable.", "");
            context.RegisterCodeFix(
                CodeAction.Create(title, ct => ReplaceAsync(context.Document, root, property, replacement, ct), nameof(ImmutableCollectionCodeFix)),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode root, PropertyDeclarationSyntax property, string replacement, CancellationToken ct)
    {
        var type = SyntaxFactory.ParseTypeName(replacement).WithTriviaFrom(property.Type).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        var fixedProperty = property.WithType(type);
        if (property.Initializer is { } initializer)
        {
            var value = Convert(initializer.Value, replacement).WithTriviaFrom(initializer.Value).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
            fixedProperty = fixedProperty.WithInitializer(initializer.WithValue(value));
        }
        var changed = document.WithSyntaxRoot(root.ReplaceNode(property, fixedProperty));
        changed = await ImportAdder.AddImportsAsync(changed, Simplifier.AddImportsAnnotation, cancellationToken: ct).ConfigureAwait(false);
        return await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: ct).ConfigureAwait(false);
    }

    /// <summary>The initializer for the immutable type.</summary>
    private static ExpressionSyntax Convert(ExpressionSyntax value, string replacement)
    {
        var isDictionary = replacement.Contains("Dictionary<");
        static List<CollectionElementSyntax> ElementsOf(InitializerExpressionSyntax items) =>
            items.Expressions.Select(e => (CollectionElementSyntax)SyntaxFactory.ExpressionElement(e.WithoutTrivia())).ToList();

        var elements = value switch
        {
            CollectionExpressionSyntax collection => collection.Elements.ToList(),
            BaseObjectCreationExpressionSyntax { ArgumentList: null or { Arguments.Count: 0 }, Initializer: null } => [],
            BaseObjectCreationExpressionSyntax { ArgumentList: null or { Arguments.Count: 0 }, Initializer: { } items } when !isDictionary => ElementsOf(items),
            ArrayCreationExpressionSyntax { Initializer: { } items } => ElementsOf(items),
            ImplicitArrayCreationExpressionSyntax { Initializer: var items } => ElementsOf(items),
            _ => null,
        };
        if (elements is { Count: 0 } && isDictionary)
        {
            return SyntaxFactory.ParseExpression(replacement + ".Empty");
        }
        if (elements is not null && !isDictionary)
        {
            return SyntaxFactory.CollectionExpression(SyntaxFactory.SeparatedList(elements));
        }
        // ImmutableList<T> -> value.ToImmutableList(), from System.Collections.Immutable's extension methods.
        var name = replacement.Substring(0, replacement.IndexOf('<')).Replace("global::System.Collections.Immutable.Immutable", "ToImmutable");
        var receiver = value is IdentifierNameSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax ? value : SyntaxFactory.ParenthesizedExpression(value);
        return SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), SyntaxFactory.IdentifierName(name)));
    }
}
