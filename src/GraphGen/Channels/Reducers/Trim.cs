using System.Collections.Immutable;
using Microsoft.Extensions.AI;

namespace GraphGen;

/// <summary>
/// Bounds a list channel after its reducer ran, for example
/// <c>Trim.KeepLast(AddMessages.Reduce(current, update), 20, keepSystem: true)</c>.
/// </summary>
public static class Trim
{
    /// <summary>The last <paramref name="count"/> items of <paramref name="value"/>; <paramref name="value"/> itself when it fits.</summary>
    /// <param name="value">The list produced by the channel's reducer.</param>
    /// <param name="count">How many items to keep; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static ImmutableList<T> KeepLast<T>(ImmutableList<T> value, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return value.Count <= count ? value : value.GetRange(value.Count - count, count);
    }

    /// <summary>
    /// The last <paramref name="count"/> messages of <paramref name="value"/>, in their order; with
    /// <paramref name="keepSystem"/>, system messages are never dropped and count toward <paramref name="count"/>,
    /// and the newest other messages fill the rest (so the result is longer than <paramref name="count"/> only when
    /// there are more system messages than that). Returns <paramref name="value"/> itself when nothing is dropped.
    /// </summary>
    /// <param name="value">The history produced by the channel's reducer.</param>
    /// <param name="count">How many messages to keep; at least 1.</param>
    /// <param name="keepSystem">Whether messages with <see cref="ChatRole.System"/> are kept wherever they are.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public static ImmutableList<ChatMessage> KeepLast(ImmutableList<ChatMessage> value, int count, bool keepSystem)
    {
        if (!keepSystem)
        {
            return KeepLast(value, count);
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (value.Count <= count)
        {
            return value;
        }

        var system = 0;
        foreach (var message in value)
        {
            if (message.Role == ChatRole.System)
            {
                system++;
            }
        }
        // Every system message takes a place first; the oldest other messages beyond what is left are dropped.
        var drop = value.Count - system - Math.Max(count - system, 0);
        if (drop == 0)
        {
            return value;
        }

        var kept = ImmutableList.CreateBuilder<ChatMessage>();
        foreach (var message in value)
        {
            if (message.Role != ChatRole.System && drop > 0)
            {
                drop--;
                continue;
            }
            kept.Add(message);
        }
        return kept.ToImmutable();
    }
}
