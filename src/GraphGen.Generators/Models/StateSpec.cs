using GraphGen.Generators.Helpers;

namespace GraphGen.Generators.Models;

/// <summary>Everything the emitter needs about one <c>[GraphState]</c> type; strings and flags only, so it caches.</summary>
internal sealed record StateSpec(
    TypeHierarchy Hierarchy,
    string Name,
    string FullName,
    string Keyword,
    bool UsesWith,
    EquatableArray<string> RequiredMembers,
    EquatableArray<ChannelSpec> Channels,
    EquatableArray<TypeSpec> Types,
    string HintName);

/// <summary>One channel: a state property, its stored name, and how writes to it combine.</summary>
/// <param name="Property">The property name.</param>
/// <param name="Name">The name stored in checkpoints.</param>
/// <param name="Type">The property type, fully qualified.</param>
/// <param name="UpdateType">The type of the <c>Update</c> member (the reducer's second parameter, or the property type).</param>
/// <param name="Reduce">The reducer call target (<c>global::GraphGen.AddMessages.Reduce</c>), or null for last value.</param>
/// <param name="Trim">A keep-last bound applied after the reducer, or null.</param>
/// <param name="OnlyAppends">
/// The reducer is GraphGen's <c>Append</c> and nothing trims its result: every new value starts with the items of
/// the value before it.
/// </param>
/// <param name="ValueKey">The serializer key of <paramref name="Type"/>.</param>
/// <param name="UpdateKey">The serializer key of <paramref name="UpdateType"/>.</param>
internal sealed record ChannelSpec(
    string Property,
    string Name,
    string Type,
    string UpdateType,
    string? Reduce,
    TrimSpec? Trim,
    bool OnlyAppends,
    string ValueKey,
    string UpdateKey);

/// <summary>A <c>[Trim]</c>: keep the last items, optionally keeping system chat messages.</summary>
internal sealed record TrimSpec(int KeepLast, bool KeepSystem, bool IsChat);
