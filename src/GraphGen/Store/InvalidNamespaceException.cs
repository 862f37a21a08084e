namespace GraphGen.Store;

/// <summary>A store namespace broke one of the rules in <see cref="StoreNamespace.Validate"/>. Nothing was stored.</summary>
public sealed class InvalidNamespaceException(IReadOnlyList<string> @namespace, string rule) : GraphGenException(
    $"Namespace {StoreNamespace.Format(@namespace)} is not valid: {rule}.")
{
    /// <summary>The rejected namespace.</summary>
    public IReadOnlyList<string> Namespace { get; } = @namespace;
}
