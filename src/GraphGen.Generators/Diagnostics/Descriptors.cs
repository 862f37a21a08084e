using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Diagnostics;

/// <summary>Every diagnostic GraphGen reports; the messages name the type, member or node and say what to do.</summary>
internal static class Descriptors
{
    /// <summary>Where docs/diagnostics/ is published; each rule's help link is this plus its id.</summary>
    private const string HelpLinkBase = "https://github.com/graphgen-dotnet/graphgen/blob/main/docs/diagnostics/";

    private const string Design = "Design";
    private const string Usage = "Usage";
    private const string Reliability = "Reliability";

    public static readonly DiagnosticDescriptor StateNotPartial = Create(
        DiagnosticIds.StateNotPartial, Design, DiagnosticSeverity.Error,
        "A [GraphState] or [Graph] type must be partial",
        "'{0}' must be partial (with every type containing it) so the generator can add its members");

    public static readonly DiagnosticDescriptor StateMemberNotSerializable = Create(
        DiagnosticIds.StateMemberNotSerializable, Reliability, DiagnosticSeverity.Error,
        "A state member cannot be stored in a checkpoint",
        "'{0}' cannot be stored in a checkpoint: {1}");

    public static readonly DiagnosticDescriptor StateMemberMutableCollection = Create(
        DiagnosticIds.StateMemberMutableCollection, Reliability, DiagnosticSeverity.Warning,
        "State should not hold mutable collections",
        "'{0}' is a mutable collection; a node that changes it in place changes checkpoints already saved and runs sharing the state. Use {1}.");

    public static readonly DiagnosticDescriptor StateMemberSettable = Create(
        DiagnosticIds.StateMemberSettable, Reliability, DiagnosticSeverity.Warning,
        "State properties should be init-only",
        "'{0}' has a set accessor; a node that sets it changes the state other steps and saved checkpoints share. Use init and return an Update instead.");

    public static readonly DiagnosticDescriptor ReducerDoesNotFit = Create(
        DiagnosticIds.ReducerDoesNotFit, Design, DiagnosticSeverity.Error,
        "A reducer does not fit its property",
        "{0} does not fit '{1}': {2}");

    public static readonly DiagnosticDescriptor StateShapeNotSupported = Create(
        DiagnosticIds.StateShapeNotSupported, Design, DiagnosticSeverity.Error,
        "A [GraphState] type has a shape GraphGen cannot implement",
        "'{0}' cannot be a graph state: {1}");

    public static readonly DiagnosticDescriptor GraphShapeNotSupported = Create(
        DiagnosticIds.GraphShapeNotSupported, Design, DiagnosticSeverity.Error,
        "A [Graph] class has a shape GraphGen cannot wire",
        "'{0}' cannot be wired into a graph: {1}");

    public static readonly DiagnosticDescriptor UnknownNode = Create(
        DiagnosticIds.UnknownNode, Design, DiagnosticSeverity.Error,
        "A node name is not a node of the graph",
        "{0} names '{1}', which is not a node of {2}; known nodes: {3}");

    public static readonly DiagnosticDescriptor NodeUnreachable = Create(
        DiagnosticIds.NodeUnreachable, Design, DiagnosticSeverity.Error,
        "A node cannot be reached from the start",
        "Node '{0}' of {1} cannot be reached from the start; add an edge or a route into it, mark it [Entry], or remove it");

    public static readonly DiagnosticDescriptor NodeNeverEnds = Create(
        DiagnosticIds.NodeNeverEnds, Design, DiagnosticSeverity.Warning,
        "A node can never reach the end",
        "Every path from node '{0}' of {1} loops without reaching Graph.End; runs through it stop only at the step limit");

    public static readonly DiagnosticDescriptor MissingThreadId = Create(
        DiagnosticIds.MissingThreadId, Usage, DiagnosticSeverity.Warning,
        "A checkpointed graph is called without a thread id",
        "{0} on a graph with a checkpointer needs a config with a ThreadId (for example GraphConfig.ForThread(\"user-42\")); without one it throws MissingThreadIdException");

    private static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity, string title, string message) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
