namespace GraphGen.Generators.Diagnostics;

/// <summary>The ids of GraphGen's diagnostics; each has a page at docs/diagnostics/&lt;id&gt;.md.</summary>
public static class DiagnosticIds
{
    /// <summary>A <c>[GraphState]</c> or <c>[Graph]</c> type (or a type containing it) is not <c>partial</c>.</summary>
    public const string StateNotPartial = "GG0001";

    /// <summary>A state member's type cannot be stored in a checkpoint.</summary>
    public const string StateMemberNotSerializable = "GG0002";

    /// <summary>A state member is a mutable collection.</summary>
    public const string StateMemberMutableCollection = "GG0003";

    /// <summary>A state member has a <c>set</c> accessor.</summary>
    public const string StateMemberSettable = "GG0004";

    /// <summary>A <c>[Reducer]</c> or <c>[Trim]</c> does not fit its property.</summary>
    public const string ReducerDoesNotFit = "GG0005";

    /// <summary>A <c>[GraphState]</c> type has a shape the generator cannot implement.</summary>
    public const string StateShapeNotSupported = "GG0006";

    /// <summary>A <c>[Graph]</c> class, node or route method has a shape the generator cannot wire.</summary>
    public const string GraphShapeNotSupported = "GG0010";

    /// <summary>An edge, route or interrupt names a node the graph does not have.</summary>
    public const string UnknownNode = "GG0011";

    /// <summary>A node cannot be reached from the graph's start.</summary>
    public const string NodeUnreachable = "GG0012";

    /// <summary>A node can never reach the graph's end.</summary>
    public const string NodeNeverEnds = "GG0013";

    /// <summary>A checkpointed graph is called without a thread id.</summary>
    public const string MissingThreadId = "GG0020";
}
