using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using GraphGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphGen.Benchmarks;

/// <summary>
/// What the generators add to a build of a project with 50 state types and 10 graphs: a cold compile (fresh
/// compilation, new driver, as a command-line build does) with the generators, minus the same compile without them.
/// The compile without them reports errors (the generated Update types are missing) but binds the same code.
/// Target: the difference stays under 100 ms. For scale, the same measure for System.Text.Json's own generator on the
/// same 50 records (plain, not partial) listed in one <c>JsonSerializerContext</c>. Two shapes: a chat state
/// (messages, notes, a sum, a summary, a turn counter) and a state of three ints. Setup prints how many files and
/// lines each generator emits.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class GeneratorBenchmarks
{
    private const int States = 50;
    private const int Graphs = 10;
    private const string GraphGenCategory = "GraphGen";
    private const string SystemTextJsonCategory = "SystemTextJson";

    /// <summary>The state types compiled.</summary>
    public enum StateShape
    {
        /// <summary>Messages (AddMessages), notes (Append), a total (Sum), a summary and a turn counter.</summary>
        Chat,
        /// <summary>Three last-value ints.</summary>
        ThreeInts,
    }

    [Params(StateShape.Chat, StateShape.ThreeInts)]
    public StateShape Shape { get; set; }

    private CSharpCompilation _graphGen = null!;
    private CSharpCompilation _systemTextJson = null!;
    private ISourceGenerator _systemTextJsonGenerator = null!;

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(GraphStateAttribute).Assembly.Location, typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path))
            .ToArray();
        CSharpCompilation Compile(string name, string source) => CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _graphGen = Compile("Bench", GraphGenSource(Shape));
        _systemTextJson = Compile("BenchStj", SystemTextJsonSource(Shape));
        _systemTextJsonGenerator = LoadSystemTextJsonGenerator();

        var generated = Generate50States10Graphs();
        var states = generated.Count(s => s.HintName.EndsWith(".GraphState.g.cs", StringComparison.Ordinal));
        var graphs = generated.Count(s => s.HintName.EndsWith(".Graph.g.cs", StringComparison.Ordinal));
        if (states != States || graphs != Graphs)
        {
            throw new InvalidOperationException($"Expected {States} states and {Graphs} graphs, got {states} and {graphs}: the benchmark would time a generator that skipped its input.");
        }
        Report("GraphGen", generated);
        Report("System.Text.Json", GenerateSystemTextJson());
    }

    /// <summary>A fresh compilation per iteration, so nothing the compiler bound for the previous run is reused.</summary>
    [IterationSetup]
    public void FreshCompilation()
    {
        _graphGen = _graphGen.Clone();
        _systemTextJson = _systemTextJson.Clone();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(GraphGenCategory)]
    public int CompileWithoutGenerators() => _graphGen.GetDiagnostics().Length;

    [Benchmark, BenchmarkCategory(GraphGenCategory)]
    public int CompileWithGenerators()
    {
        var driver = CSharpGeneratorDriver.Create(new StateGenerator().AsSourceGenerator(), new GraphGenerator().AsSourceGenerator());
        driver.RunGeneratorsAndUpdateCompilation(_graphGen, out var output, out _);
        return output.GetDiagnostics().Length;
    }

    [Benchmark, BenchmarkCategory(GraphGenCategory)]
    public int GeneratorsOnly() => Generate50States10Graphs().Length;

    [Benchmark(Baseline = true), BenchmarkCategory(SystemTextJsonCategory)]
    public int CompileWithoutSystemTextJsonGenerator() => _systemTextJson.GetDiagnostics().Length;

    [Benchmark, BenchmarkCategory(SystemTextJsonCategory)]
    public int CompileWithSystemTextJsonGenerator()
    {
        var driver = CSharpGeneratorDriver.Create(_systemTextJsonGenerator);
        driver.RunGeneratorsAndUpdateCompilation(_systemTextJson, out var output, out _);
        return output.GetDiagnostics().Length;
    }

    private ImmutableArray<GeneratedSourceResult> Generate50States10Graphs()
    {
        var driver = CSharpGeneratorDriver.Create(new StateGenerator().AsSourceGenerator(), new GraphGenerator().AsSourceGenerator());
        return driver.RunGenerators(_graphGen).GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToImmutableArray();
    }

    private ImmutableArray<GeneratedSourceResult> GenerateSystemTextJson() =>
        CSharpGeneratorDriver.Create(_systemTextJsonGenerator).RunGenerators(_systemTextJson).GetRunResult().Results
            .SelectMany(r => r.GeneratedSources).ToImmutableArray();

    private void Report(string generator, ImmutableArray<GeneratedSourceResult> sources) =>
        Console.WriteLine($"// {generator}, {Shape}: {sources.Length} files, {sources.Sum(s => s.SourceText.Lines.Count)} lines");

    private static string GraphGenSource(StateShape shape)
    {
        var source = new StringBuilder("using System.Collections.Immutable; using GraphGen; using Microsoft.Extensions.AI;\nnamespace Bench;\n");
        for (var i = 0; i < States; i++)
        {
            source.Append(shape == StateShape.Chat
                ? $$"""
                    [GraphState]
                    public partial record State{{i}}
                    {
                        [Reducer(typeof(AddMessages))] public ImmutableList<ChatMessage> Messages { get; init; } = [];
                        [Reducer(typeof(Append))] public ImmutableList<string> Notes { get; init; } = [];
                        [Reducer(typeof(Sum))] public int Total { get; init; }
                        public string? Summary { get; init; }
                        public long Turn { get; init; }
                    }

                    """
                : $$"""
                    [GraphState]
                    public partial record State{{i}}
                    {
                        public int A { get; init; }
                        public int B { get; init; }
                        public int C { get; init; }
                    }

                    """);
        }
        var (first, second, route) = shape == StateShape.Chat
            ? ("Total = 1", "Turn = s.Turn + 1", "s.Total > 3")
            : ("A = 1", "B = s.B + 1", "s.A > 3");
        for (var i = 0; i < Graphs; i++)
        {
            source.Append($$"""
                [Graph<State{{i}}>]
                [Edge(nameof(B), Graph.End)]
                public static partial class Graph{{i}}
                {
                    [Node, Entry] static State{{i}}.Update A(State{{i}} s) => new() { {{first}} };
                    [Node] static State{{i}}.Update B(State{{i}} s, NodeContext context) => new() { {{second}} };
                    [Route(From = nameof(A), To = [nameof(B), Graph.End])] static string Next(State{{i}} s) => {{route}} ? Graph.End : nameof(B);
                }

                """);
        }
        return source.ToString();
    }

    /// <summary>The same records, plain, in one context: what a project serializing them with System.Text.Json writes.</summary>
    private static string SystemTextJsonSource(StateShape shape)
    {
        var source = new StringBuilder("using System.Collections.Immutable; using System.Text.Json.Serialization; using Microsoft.Extensions.AI;\nnamespace BenchStj;\n");
        for (var i = 0; i < States; i++)
        {
            source.Append(shape == StateShape.Chat
                ? $$"""
                    public record State{{i}}
                    {
                        public ImmutableList<ChatMessage> Messages { get; init; } = [];
                        public ImmutableList<string> Notes { get; init; } = [];
                        public int Total { get; init; }
                        public string? Summary { get; init; }
                        public long Turn { get; init; }
                    }

                    """
                : $$"""
                    public record State{{i}}
                    {
                        public int A { get; init; }
                        public int B { get; init; }
                        public int C { get; init; }
                    }

                    """);
        }
        source.Append("[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]\n");
        for (var i = 0; i < States; i++)
        {
            source.Append($"[JsonSerializable(typeof(State{i}))]\n");
        }
        source.Append("internal sealed partial class BenchJsonContext : JsonSerializerContext;\n");
        return source.ToString();
    }

    /// <summary>The generator the SDK runs for this target framework: the targeting pack's copy, as a build loads it.</summary>
    private static ISourceGenerator LoadSystemTextJsonGenerator()
    {
        var packs = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"));
        var pack = Directory.GetDirectories(packs).OrderBy(dir => Version.TryParse(Path.GetFileName(dir), out var v) ? v : new Version()).Last();
        var path = Path.Combine(pack, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll");
        return new AnalyzerFileReference(path, new LoadFromLoader()).GetGenerators(LanguageNames.CSharp).Single();
    }

    private sealed class LoadFromLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
