namespace GraphGen.Benchmarks.Workloads;

// The graphs of W1–W6. Node names are the peer's, so checkpoints name the same nodes on both sides.

/// <summary>W1: START → increment → END.</summary>
[Graph<CounterState>]
[Edge("increment", Graph.End)]
public static partial class CounterGraph
{
    [Node("increment"), Entry]
    private static CounterState.Update Increment(CounterState state) => new() { Count = (state.Count ?? 0) + 1 };
}

/// <summary>W2, W3, W6: START → respond → END; respond echoes the last message.</summary>
[Graph<ChatState>]
[Edge("respond", Graph.End)]
public static partial class ChatGraph
{
    [Node("respond"), Entry]
    private static ChatState.Update Respond(ChatState state) =>
        new() { Messages = [new Message("assistant", "echo: " + state.Messages[^1].Content)] };
}

/// <summary>W4: START → n1 → … → n10 → END; every node adds one to the counter and logs its name.</summary>
[Graph<PipelineState>]
[Edge("n1", "n2")]
[Edge("n2", "n3")]
[Edge("n3", "n4")]
[Edge("n4", "n5")]
[Edge("n5", "n6")]
[Edge("n6", "n7")]
[Edge("n7", "n8")]
[Edge("n8", "n9")]
[Edge("n9", "n10")]
[Edge("n10", Graph.End)]
public static partial class PipelineGraph
{
    [Node("n1"), Entry]
    private static PipelineState.Update N1(PipelineState state) => Step(state, "n1");

    [Node("n2")]
    private static PipelineState.Update N2(PipelineState state) => Step(state, "n2");

    [Node("n3")]
    private static PipelineState.Update N3(PipelineState state) => Step(state, "n3");

    [Node("n4")]
    private static PipelineState.Update N4(PipelineState state) => Step(state, "n4");

    [Node("n5")]
    private static PipelineState.Update N5(PipelineState state) => Step(state, "n5");

    [Node("n6")]
    private static PipelineState.Update N6(PipelineState state) => Step(state, "n6");

    [Node("n7")]
    private static PipelineState.Update N7(PipelineState state) => Step(state, "n7");

    [Node("n8")]
    private static PipelineState.Update N8(PipelineState state) => Step(state, "n8");

    [Node("n9")]
    private static PipelineState.Update N9(PipelineState state) => Step(state, "n9");

    [Node("n10")]
    private static PipelineState.Update N10(PipelineState state) => Step(state, "n10");

    private static PipelineState.Update Step(PipelineState state, string node) =>
        new() { Counter = (state.Counter ?? 0) + 1, Log = [node] };
}

/// <summary>W5: START → grow → END; grow appends <see cref="Blob1k.For"/> of the turn.</summary>
[Graph<BigState>]
[Edge("grow", Graph.End)]
public static partial class BigStateGraph
{
    [Node("grow"), Entry]
    private static BigState.Update Grow(BigState state) => new() { Items = [Blob1k.For(state.Turn)] };
}
