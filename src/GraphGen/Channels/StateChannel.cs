namespace GraphGen;

/// <summary>One channel of a state type: a property and how concurrent writes to it combine.</summary>
/// <param name="Name">The name stored in checkpoints (the property name in camelCase by convention).</param>
/// <param name="IsLastValue">
/// True when the channel has no reducer: the last write wins and two writes in one superstep are an error.
/// </param>
public sealed record StateChannel(string Name, bool IsLastValue);
