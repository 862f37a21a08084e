namespace GraphGen.Generators;

/// <summary>Metadata names the generator looks for.</summary>
internal static class KnownNames
{
    public const string GraphStateAttribute = "GraphGen.GraphStateAttribute";
    public const string ReducerAttribute = "GraphGen.ReducerAttribute";
    public const string TrimAttribute = "GraphGen.TrimAttribute";
    public const string AppendReducer = "GraphGen.Append";
    public const string GraphAttribute = "GraphGen.GraphAttribute`1";
    public const string NodeAttribute = "GraphGen.NodeAttribute";
    public const string EntryAttribute = "GraphGen.EntryAttribute";
    public const string EdgeAttribute = "GraphGen.EdgeAttribute";
    public const string RouteAttribute = "GraphGen.RouteAttribute";
    public const string Start = "__start__";
    public const string End = "__end__";
    public const string JsonPropertyNameAttribute = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    public const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    public const string ChatMessage = "Microsoft.Extensions.AI.ChatMessage";
    public const string ImmutableList = "System.Collections.Immutable.ImmutableList`1";

    /// <summary>Fully qualified, with nullable reference annotations kept (<c>global::System.String?</c>).</summary>
    public static readonly Microsoft.CodeAnalysis.SymbolDisplayFormat TypeFormat =
        Microsoft.CodeAnalysis.SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
            Microsoft.CodeAnalysis.SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
}
