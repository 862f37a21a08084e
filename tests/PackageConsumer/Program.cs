using System.Collections.Immutable;
using GraphGen;
using GraphGen.Sqlite;

// Two calls on one thread, checkpointed to SQLite: the second continues from the first. run.sh checks the
// last line, which only appears if the generator wrote VisitState.Update and VisitGraph.Build().
var folder = Directory.CreateTempSubdirectory("graphgen-consumer-");
try
{
    using (var saver = SqliteSaver.Open(Path.Combine(folder.FullName, "checkpoints.db")))
    {
        var app = VisitGraph.Build().Compile(new CompileOptions { Checkpointer = saver });
        var thread = GraphConfig.ForThread("consumer");
        await app.InvokeAsync(new VisitState.Update { Visitor = "ada" }, thread);
        var result = await app.InvokeAsync(new VisitState.Update { Visitor = "grace" }, thread);
        Console.WriteLine($"count={result.State.Count} log={string.Join(",", result.State.Log)}");
    }
}
finally
{
    folder.Delete(recursive: true);
}

[GraphState]
public partial record VisitState
{
    public string Visitor { get; init; } = "";

    public int Count { get; init; }

    [Reducer(typeof(Append))]
    public ImmutableList<string> Log { get; init; } = [];
}

[Graph<VisitState>]
[Edge(nameof(Greet), nameof(Tally))]
[Edge(nameof(Tally), Graph.End)]
public static partial class VisitGraph
{
    [Node, Entry]
    private static VisitState.Update Greet(VisitState state) => new() { Log = [$"hello {state.Visitor}"] };

    [Node]
    private static VisitState.Update Tally(VisitState state) => new() { Count = state.Count + 1 };
}
