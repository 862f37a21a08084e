namespace GraphGen;

/// <summary>When a run's checkpoints reach the saver (LangGraph's <c>durability</c>).</summary>
public enum Durability
{
    /// <summary>Checkpoints are written while the next step runs and flushed before the call returns (default).</summary>
    Async,
    /// <summary>Each checkpoint is written before the next step starts.</summary>
    Sync,
    /// <summary>Only the final checkpoint is written, when the run ends or interrupts; no mid-run recovery.</summary>
    Exit,
}
