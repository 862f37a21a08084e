using GraphGen.Checkpointing;
using GraphGen.Tests.States;

namespace GraphGen.Tests.Graph;

/// <summary>The state contract works without the generator.</summary>
public sealed class HandWrittenStateTests
{
    [Fact]
    public async Task A_hand_written_state_persists_per_thread()
    {
        var app = new StateGraph<HandWrittenCounterState>()
            .AddNode("increment", s => new HandWrittenCounterState.Update { Count = s.Count + 1 })
            .AddEdge(GraphGen.Graph.Start, "increment")
            .Compile(new CompileOptions { Checkpointer = new InMemorySaver() });

        await app.InvokeAsync(new HandWrittenCounterState.Update(), GraphConfig.ForThread("h"));
        var second = await app.InvokeAsync(new HandWrittenCounterState.Update(), GraphConfig.ForThread("h"));

        Assert.Equal(2, second.State.Count);
        Assert.Equal(6, await app.GetStateHistoryAsync(GraphConfig.ForThread("h")).CountAsync());
    }
}
