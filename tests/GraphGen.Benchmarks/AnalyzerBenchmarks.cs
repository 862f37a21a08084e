using System.Collections.Immutable;
using System.Text;
using BenchmarkDotNet.Attributes;
using GraphGen.Generators;
using GraphGen.Generators.Diagnostics.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace GraphGen.Benchmarks;

/// <summary>
/// What GraphGen's analyzers cost a build of 200 chat states, 50 graphs and 50 methods calling checkpointed graphs:
/// the compilation's own diagnostics (binding everything) against the same with the three analyzers, each iteration on
/// a fresh clone so nothing bound before is reused. Target: the analyzers add well under a second. Setup also prints
/// the analyzers' own execution time as Roslyn measures it.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class AnalyzerBenchmarks
{
    private const int States = 200;
    private const int Graphs = 50;

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new StateAnalyzer(), new GraphAnalyzer(), new UsageAnalyzer()];

    private Compilation _generated = null!;
    private Compilation _fresh = null!;

    [GlobalSetup]
    public void Setup()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(GraphStateAttribute).Assembly.Location, typeof(Microsoft.Extensions.AI.ChatMessage).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path))
            .ToArray();
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "AnalyzerBench",
            [CSharpSyntaxTree.ParseText(Source(), parse)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        // The analyzers see what a build sees: the user's code plus the generators' output.
        CSharpGeneratorDriver.Create([new StateGenerator().AsSourceGenerator(), new GraphGenerator().AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out _generated, out _);
        if (_generated.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error)
        {
            throw new InvalidOperationException($"The benchmark input does not compile: {error}");
        }

        var withAnalyzers = _generated.Clone().WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: true));
        var reported = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        if (reported.Length != 0)
        {
            throw new InvalidOperationException($"Clean input got {reported.Length} diagnostics, first: {reported[0]}");
        }
        foreach (var analyzer in Analyzers)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            Console.WriteLine($"// {analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F1} ms of analyzer execution");
        }
    }

    [IterationSetup]
    public void FreshCompilation() => _fresh = _generated.Clone();

    [Benchmark(Baseline = true, Description = "Compile (bind, all diagnostics), no analyzers")]
    public int CompileOnly() => _fresh.GetDiagnostics().Length;

    [Benchmark(Description = "Compile with GraphGen's analyzers")]
    public int CompileAndAnalyze() =>
        _fresh.WithAnalyzers(Analyzers, new AnalyzerOptions([])).GetAllDiagnosticsAsync().GetAwaiter().GetResult().Length;

    private static string Source()
    {
        var source = new StringBuilder("""
            using System.Collections.Immutable;
            using System.Threading.Tasks;
            using GraphGen;
            using GraphGen.Checkpointing;
            using Microsoft.Extensions.AI;
            namespace Bench;

            """);
        for (var i = 0; i < States; i++)
        {
            source.Append($$"""
                public record Note{{i}}(string Text, ImmutableList<string> Tags);

                [GraphState]
                public partial record State{{i}}
                {
                    [Reducer(typeof(AddMessages))] public ImmutableList<ChatMessage> Messages { get; init; } = [];
                    [Reducer(typeof(Append))] public ImmutableList<Note{{i}}> Notes { get; init; } = [];
                    [Reducer(typeof(Sum))] public int Total { get; init; }
                    public string? Summary { get; init; }
                    public long Turn { get; init; }
                }

                """);
        }
        for (var i = 0; i < Graphs; i++)
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

                public static class Caller{{i}}
                {
                    public static async Task<long> Run(ICheckpointSaver saver, string user)
                    {
                        var app = Graph{{i}}.Build().Compile(new CompileOptions { Checkpointer = saver, InterruptBefore = [Graph{{i}}.Nodes.B] });
                        var result = await app.InvokeAsync(new State{{i}}.Update { Total = 1 }, GraphConfig.ForThread(user));
                        var state = await app.GetStateAsync(GraphConfig.ForThread(user));
                        return result.State.Turn + state.Values.Turn;
                    }
                }

                """);
        }
        return source.ToString();
    }
}
