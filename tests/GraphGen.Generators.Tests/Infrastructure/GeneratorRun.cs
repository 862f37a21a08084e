using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// What one in-memory generator run produced. Keep <see cref="Driver"/> to run again incrementally
/// (<see cref="GeneratorHarness.Rerun"/>): a new driver has no cache, so every step would be <c>New</c>.
/// </summary>
/// <param name="Driver">The driver after this run, holding the incremental cache.</param>
/// <param name="RunResult">Tracked steps (by tracking name) and raw results, for caching assertions.</param>
/// <param name="OutputCompilation">The input compilation plus the generated trees.</param>
/// <param name="GeneratedSources">Generated text by hint name (e.g. <c>Sample.Counter.State.g.cs</c>), sorted ordinally.</param>
/// <param name="GeneratorDiagnostics">Diagnostics the generator reported (including CS8785 "generator failed").</param>
/// <param name="CompilationErrors">Errors of <see cref="OutputCompilation"/>: the generated code must compile.</param>
public sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult RunResult,
    Compilation OutputCompilation,
    IReadOnlyDictionary<string, string> GeneratedSources,
    ImmutableArray<Diagnostic> GeneratorDiagnostics,
    ImmutableArray<Diagnostic> CompilationErrors)
{
    /// <summary>
    /// Warnings of <see cref="OutputCompilation"/> located in generated files. Users build with warnings as
    /// errors, so generated code must be warning-free; warnings in the test's own input are not counted.
    /// </summary>
    public ImmutableArray<Diagnostic> GeneratedCodeWarnings =>
        OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && IsGenerated(tree))
            .ToImmutableArray();

    /// <summary>
    /// The baseline every snapshot test asserts: the generator reported nothing, and its output compiles
    /// without errors and without warnings in generated files. Fails listing every offending diagnostic.
    /// </summary>
    public void AssertSuccess()
    {
        var problems = GeneratorDiagnostics.Select(d => $"generator: {d}")
            .Concat(CompilationErrors.Select(d => $"compile error: {d}"))
            .Concat(GeneratedCodeWarnings.Select(d => $"warning in generated code: {d}"))
            .ToList();
        if (problems.Count > 0)
        {
            Assert.Fail($"The generator run was not clean ({problems.Count}):\n  " + string.Join("\n  ", problems));
        }
    }

    private bool IsGenerated(SyntaxTree tree) =>
        RunResult.GeneratedTrees.Contains(tree);
}
