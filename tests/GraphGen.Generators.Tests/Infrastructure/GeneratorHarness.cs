using System.Collections.Immutable;
using System.Runtime.Loader;
using GraphGen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// Runs incremental generators in memory on source strings, the way dotnet/runtime and the MVVM Toolkit test
/// theirs: no MSBuild, no Microsoft.CodeAnalysis.Testing.
/// </summary>
public static class GeneratorHarness
{
    /// <summary>Latest language version, so test inputs can use what users write (records, primary constructors...).</summary>
    public static CSharpParseOptions ParseOptions { get; } =
        CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>A class library with nullable enabled, like the projects that will consume the generator.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>
    /// Everything the running test process can see: the framework (trusted platform assemblies), the GraphGen
    /// runtime and the packages its public API exposes. One reference per file name; compiling against the
    /// running runtime's own assemblies means emitted code loads against exactly those. The GraphGen files are
    /// usually in the platform list already (this test app depends on them); naming them keeps that true under any host.
    /// </summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(() =>
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        string[] graphGen =
        [
            typeof(GraphStateAttribute).Assembly.Location,
            typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location,
            typeof(ILogger).Assembly.Location,
            typeof(IServiceCollection).Assembly.Location,
        ];
        // This test assembly is left out: its helper types (test generators, models) must not leak into inputs.
        var self = typeof(GeneratorHarness).Assembly.Location;
        return graphGen.Concat(platform)
            .Where(path => path.Length > 0 && !string.Equals(path, self, StringComparison.OrdinalIgnoreCase))
            .DistinctBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    });

    /// <summary>The hint name of the <c>Microsoft.CodeAnalysis.EmbeddedAttribute</c> definition Roslyn adds for the state generator.</summary>
    public const string EmbeddedAttributeHint = "Microsoft.CodeAnalysis.EmbeddedAttribute.cs";

    /// <summary>Parses with <see cref="ParseOptions"/>; trees added to a compilation must share its options.</summary>
    public static SyntaxTree Parse(string source, string path = "Input.cs") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A compilation of the sources (named <c>Input0.cs</c>, <c>Input1.cs</c>...) against <see cref="References"/>.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "GraphGen.Generators.TestInput",
            sources.Select((source, i) => Parse(source, $"Input{i}.cs")),
            References,
            CompilationOptions);

    /// <summary>Replaces the <paramref name="index"/>-th source, keeping its path: the "user edited a file" case.</summary>
    public static CSharpCompilation WithSourceReplaced(this CSharpCompilation compilation, int index, string source)
    {
        var old = compilation.SyntaxTrees[index];
        return compilation.ReplaceSyntaxTree(old, Parse(source, old.FilePath));
    }

    /// <summary>Adds one more source file: the "user added an unrelated file" case.</summary>
    public static CSharpCompilation WithSourceAdded(this CSharpCompilation compilation, string source) =>
        compilation.AddSyntaxTrees(Parse(source, $"Input{compilation.SyntaxTrees.Length}.cs"));

    /// <summary>Runs <paramref name="generator"/> once on a fresh compilation of <paramref name="sources"/>.</summary>
    public static GeneratorRun Run(IIncrementalGenerator generator, params string[] sources) =>
        Run(generator, CreateCompilation(sources));

    /// <summary>Runs <paramref name="generator"/> once on <paramref name="compilation"/> with a new, step-tracking driver.</summary>
    public static GeneratorRun Run(IIncrementalGenerator generator, Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [generator.AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return RunDriver(driver, compilation);
    }

    /// <summary>
    /// Runs the driver of <paramref name="previous"/> again on <paramref name="compilation"/> (usually an edit or a
    /// <c>Clone()</c> of the previous input), so step reasons say what the cache reused.
    /// </summary>
    public static GeneratorRun Rerun(GeneratorRun previous, Compilation compilation) =>
        RunDriver(previous.Driver, compilation);

    private static GeneratorRun RunDriver(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult();

        // A crash is never what a test wants; without this it surfaces later as "step not found" or a CS8785 line.
        if (result.Results.FirstOrDefault(r => r.Exception is not null) is { Exception: { } exception } failed)
        {
            throw new InvalidOperationException($"Generator {failed.Generator.GetGeneratorType().Name} threw: {exception.Message}", exception);
        }

        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var generated in result.Results.SelectMany(r => r.GeneratedSources))
        {
            // Roslyn's own text for [Embedded] (AddEmbeddedAttributeDefinition), the same in every run: not ours to
            // snapshot. The shared serializer class needs it, so a run without it fails to compile anyway.
            if (generated.HintName != EmbeddedAttributeHint)
            {
                sources.Add(generated.HintName, generated.SourceText.ToString());
            }
        }
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return new GeneratorRun(driver, result, output, sources, diagnostics, errors);
    }

    /// <summary>
    /// Emits <paramref name="compilation"/> (typically <see cref="GeneratorRun.OutputCompilation"/>) and loads it
    /// into a collectible context; dispose the result to unload it. Fails listing the errors if emit fails.
    /// </summary>
    public static LoadedAssembly CompileAndLoad(Compilation compilation)
    {
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        if (!emit.Success)
        {
            var errors = emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            Assert.Fail("Emit failed:\n  " + string.Join("\n  ", errors));
        }
        image.Position = 0;

        // A plain collectible context: its Load returns null, so every dependency (GraphGen.dll, Microsoft.Extensions.*,
        // the framework) resolves from the default context. Generated code then uses the same GraphGen types as the
        // test, and casts to GraphGen interfaces work.
        var context = new AssemblyLoadContext($"GeneratorTest:{compilation.AssemblyName}", isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(image));
    }
}
