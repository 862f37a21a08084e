using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// Applies a code fix the way an IDE does: the analyzers report on the sources (after the generators ran), the fix
/// gets the first such diagnostic in a document of an <see cref="AdhocWorkspace"/>, and its change is applied.
/// </summary>
public static class CodeFixHarness
{
    /// <summary>
    /// The first source after <paramref name="fix"/> fixed its first <paramref name="id"/> diagnostic; asserts the
    /// fix offered exactly one action, and that the fixed sources compile cleanly and no longer report it there.
    /// </summary>
    public static string Apply(CodeFixProvider fix, string id, string source, params string[] otherSources)
    {
        var ct = TestContext.Current.CancellationToken;
        var diagnostic = AnalyzerHarness.Analyze([source, .. otherSources])
            .First(d => d.Id == id && d.Location.SourceTree?.FilePath == "Input0.cs");

        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Input", "Input", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.CompilationOptions, parseOptions: GeneratorHarness.ParseOptions,
            metadataReferences: GeneratorHarness.References));
        var document = workspace.AddDocument(project.Id, "Input0.cs", SourceText.From(source));
        var tree = document.GetSyntaxTreeAsync(ct).GetAwaiter().GetResult()!;
        var located = Diagnostic.Create(diagnostic.Descriptor, Location.Create(tree, diagnostic.Location.SourceSpan), diagnostic.Properties);

        var actions = new List<CodeAction>();
        fix.RegisterCodeFixesAsync(new CodeFixContext(document, located, (action, _) => actions.Add(action), ct)).GetAwaiter().GetResult();
        var operations = Assert.Single(actions).GetOperationsAsync(ct).GetAwaiter().GetResult();
        var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var fixedSource = solution.GetDocument(document.Id)!.GetTextAsync(ct).GetAwaiter().GetResult().ToString();

        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), [fixedSource, .. otherSources]);
        run.AssertSuccess();
        Assert.DoesNotContain(AnalyzerHarness.Analyze(run.OutputCompilation),
            d => d.Id == id && d.Location.SourceTree?.FilePath == "Input0.cs" && d.Location.SourceSpan.Start == diagnostic.Location.SourceSpan.Start);
        return fixedSource;
    }
}
