using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using GraphGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Benchmarks;

/// <summary>
/// What the generators add to a build of a project with 50 state types and 10 graphs: a cold compile (fresh
/// compilation, new driver, as a command-line build does) with the generators, minus the same compile without them.
/// The compile without them reports errors (the generated Update types are missing) but binds the same code.
/// Target: the difference stays under 100 ms.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;

    [GlobalSetup]
    public void Setup()
    {
        var source = new StringBuilder("using System.Collections.Immutable; using GraphGen; using Microsoft.Extensions.AI;\nnamespace Bench;\n");
        for (var i = 0; i < 50; i++)
        {
            source.Append($$"""
                [GraphState]
                public partial record State{{i}}
                {
                    [Reducer(typeof(AddMessages))] public ImmutableList<ChatMessage> Messages { get; init; } = [];
                    [Reducer(typeof(Append))] public ImmutableList<string> Notes { get; init; } = [];
                    [Reducer(typeof(Sum))] public int Total { get; init; }
                    public string? Summary { get; init; }
                    public long Turn { get; init; }
                }

                """);
        }
        for (var i = 0; i < 10; i++)
        {
            source.Append($$"""
                [Graph<State{{i}}>]
                [Edge(nameof(B), Graph.End)]
                public static partial class Graph{{i}}
                {
                    [Node, Entry] static State{{i}}.Update A(State{{i}} s) => new() { Total = 1 };
                    [Node] static State{{i}}.Update B(State{{i}} s, NodeContext context) => new() { Turn = s.Turn + 1 };
                    [Route(From = nameof(A), To = [nameof(B), Graph.End])] static string Next(State{{i}} s) => s.Total > 3 ? Graph.End : nameof(B);
                }

                """);
        }
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(GraphStateAttribute).Assembly.Location, typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        _compilation = CSharpCompilation.Create(
            "Bench",
            [CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var generated = Generate50States10Graphs().Length;
        if (generated != 60)
        {
            throw new InvalidOperationException($"Expected 60 generated files, got {generated}: the benchmark would time a generator that skipped its input.");
        }
    }

    /// <summary>A fresh compilation per iteration, so nothing the compiler bound for the previous run is reused.</summary>
    [IterationSetup]
    public void FreshCompilation() => _compilation = _compilation.Clone();

    [Benchmark(Baseline = true)]
    public int CompileWithoutGenerators() => _compilation.GetDiagnostics().Length;

    [Benchmark]
    public int CompileWithGenerators()
    {
        var driver = CSharpGeneratorDriver.Create(new StateGenerator().AsSourceGenerator(), new GraphGenerator().AsSourceGenerator());
        driver.RunGeneratorsAndUpdateCompilation(_compilation, out var output, out _);
        return output.GetDiagnostics().Length;
    }

    [Benchmark]
    public int GeneratorsOnly() => Generate50States10Graphs().Length;

    private ImmutableArray<GeneratedSourceResult> Generate50States10Graphs()
    {
        var driver = CSharpGeneratorDriver.Create(new StateGenerator().AsSourceGenerator(), new GraphGenerator().AsSourceGenerator());
        return driver.RunGenerators(_compilation).GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();
    }
}
