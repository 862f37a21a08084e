namespace GraphGen;

/// <summary>Reserved node names.</summary>
public static class Graph
{
    /// <summary>The virtual node a run starts from; an edge from it names the entry node.</summary>
    public const string Start = "__start__";

    /// <summary>The virtual node a run ends at; a route that returns it stops that branch.</summary>
    public const string End = "__end__";

    /// <summary>In <c>InterruptBefore</c>/<c>InterruptAfter</c>: every node.</summary>
    public const string All = "*";
}
