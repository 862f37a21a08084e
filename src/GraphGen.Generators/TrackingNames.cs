namespace GraphGen.Generators;

/// <summary>Names of the tracked pipeline steps, asserted by the caching tests.</summary>
internal static class TrackingNames
{
    public const string StateSpec = nameof(StateSpec);
    public const string GraphSpec = nameof(GraphSpec);
    public const string SharedTypes = nameof(SharedTypes);
}
