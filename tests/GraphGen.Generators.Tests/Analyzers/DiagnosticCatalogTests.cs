using System.Reflection;
using System.Runtime.CompilerServices;
using GraphGen.Generators.Diagnostics;
using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Tests.Analyzers;

/// <summary>Every rule has a page (its help link), a release-tracking line, and an analyzer that reports it.</summary>
public class DiagnosticCatalogTests
{
    private static IEnumerable<DiagnosticDescriptor> All() =>
        typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string RepoRoot([CallerFilePath] string path = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../../.."));

    [Fact]
    public void Every_rule_has_a_page_a_release_line_and_an_analyzer()
    {
        var unshipped = File.ReadAllText(Path.Combine(RepoRoot(), "src/GraphGen.Generators/AnalyzerReleases.Unshipped.md"));
        var supported = AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet();
        foreach (var rule in All())
        {
            Assert.Matches("^GG[0-9]{4}$", rule.Id);
            var page = Path.Combine(RepoRoot(), "docs/diagnostics", rule.Id + ".md");
            Assert.True(File.Exists(page), $"{rule.Id} has no page at {page}");
            Assert.StartsWith($"# {rule.Id}: {rule.Title}", File.ReadAllText(page));
            Assert.EndsWith("docs/diagnostics/" + rule.Id + ".md", rule.HelpLinkUri);
            Assert.Contains($"{rule.Id} | {rule.Category} | {rule.DefaultSeverity} | {rule.Title}", unshipped);
            Assert.Contains(rule.Id, supported);
        }
    }
}
