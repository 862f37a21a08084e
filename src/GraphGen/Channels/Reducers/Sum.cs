using System.Numerics;

namespace GraphGen;

/// <summary>Reducer for counters and totals: each write is added to the channel value.</summary>
public static class Sum
{
    /// <summary>Returns <paramref name="current"/> + <paramref name="update"/> (unchecked for integer types, like <c>+</c>).</summary>
    /// <param name="current">The channel value.</param>
    /// <param name="update">The amount written.</param>
    public static T Reduce<T>(T current, T update) where T : INumber<T> => current + update;
}
