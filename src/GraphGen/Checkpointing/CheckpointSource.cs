namespace GraphGen.Checkpointing;

/// <summary>What created a checkpoint (LangGraph's <c>metadata.source</c>).</summary>
public enum CheckpointSource
{
    /// <summary>The input of an invoke or stream call.</summary>
    Input,
    /// <summary>The end of a superstep inside the run loop.</summary>
    Loop,
    /// <summary>A manual state update (<c>UpdateStateAsync</c>).</summary>
    Update,
    /// <summary>A copy of an earlier checkpoint that starts a new branch (time travel).</summary>
    Fork,
}
