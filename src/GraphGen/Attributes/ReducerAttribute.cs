namespace GraphGen;

/// <summary>
/// Combines writes to a state property with a reducer instead of keeping the last value. The reducer is a class
/// with a static <c>Reduce(current, update)</c> method: a built-in one (<see cref="Append"/>, <see cref="AddMessages"/>,
/// <see cref="Sum"/>, <see cref="Max"/>, <see cref="Union"/>, <see cref="MergeDictionary"/>) or your own. The
/// <c>Update</c> member of the property takes the type of <c>Reduce</c>'s second parameter.
/// </summary>
/// <param name="reducer">The class whose static <c>Reduce</c> method combines the current value with a write.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class ReducerAttribute(Type reducer) : Attribute
{
    /// <summary>The class that declares the static <c>Reduce</c> method.</summary>
    public Type Reducer { get; } = reducer;
}
