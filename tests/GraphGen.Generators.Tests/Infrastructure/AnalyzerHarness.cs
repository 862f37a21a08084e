using System.Collections.Immutable;
using System.Text.RegularExpressions;
using GraphGen.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// Runs GraphGen's analyzers the way a build does: on the user's sources plus what the generators emitted for them.
/// Expected diagnostics are marked in the source as <c>{|GG0001:text|}</c>: the id and the exact span.
/// </summary>
public static partial class AnalyzerHarness
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
        [new StateAnalyzer(), new GraphAnalyzer(), new UsageAnalyzer()];

    [GeneratedRegex(@"\{\|(?<id>[A-Z]+[0-9]+):(?<text>.*?)\|\}", RegexOptions.Singleline)]
    private static partial Regex Marker();

    /// <summary>The source without its markers, and each marker's id and span in it.</summary>
    public static (string Source, List<(string Id, TextSpan Span)> Expected) ParseMarkup(string markup)
    {
        var expected = new List<(string, TextSpan)>();
        var source = new System.Text.StringBuilder();
        var last = 0;
        foreach (Match match in Marker().Matches(markup))
        {
            source.Append(markup, last, match.Index - last);
            var text = match.Groups["text"].Value;
            expected.Add((match.Groups["id"].Value, new TextSpan(source.Length, text.Length)));
            source.Append(text);
            last = match.Index + match.Length;
        }
        source.Append(markup, last, markup.Length - last);
        return (source.ToString(), expected);
    }

    /// <summary>Every GraphGen diagnostic (GG*) the analyzers report on <paramref name="sources"/>, after the generators ran; fails on an analyzer crash.</summary>
    public static ImmutableArray<Diagnostic> Analyze(params string[] sources) =>
        Analyze(GeneratorHarness.Run(new StateAndGraphGenerators(), sources).OutputCompilation);

    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, new AnalyzerOptions([]));
        var all = withAnalyzers.GetAllDiagnosticsAsync(TestContext.Current.CancellationToken).GetAwaiter().GetResult();
        // An analyzer that throws is reported as AD0001, and its rules silently stop working.
        Assert.DoesNotContain(all, d => d.Id == "AD0001");
        return [.. all.Where(d => d.Id.StartsWith("GG", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start)];
    }

    /// <summary>
    /// Asserts the analyzers report exactly the marked diagnostics in <paramref name="markup"/> (the first source), and
    /// none elsewhere; returns them for message checks.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(string markup, params string[] otherSources)
    {
        var (source, expected) = ParseMarkup(markup);
        var diagnostics = Analyze([source, .. otherSources]);
        var actual = diagnostics
            .Select(d => (d.Id, d.Location.SourceSpan, File: d.Location.SourceTree?.FilePath))
            .Select(d => d.File == "Input0.cs" ? $"{d.Id} at {Show(source, d.SourceSpan)}" : $"{d.Id} in {d.File}")
            .ToList();
        Assert.Equal(expected.Select(e => $"{e.Id} at {Show(source, e.Span)}"), actual);
        return diagnostics;
    }

    private static string Show(string source, TextSpan span) => $"{span.Start}..{span.End} '{source.Substring(span.Start, span.Length)}'";
}
