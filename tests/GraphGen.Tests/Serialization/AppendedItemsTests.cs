using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Serialization;

/// <summary>
/// The generated <see cref="StateSchema{TState}.TryWriteAppended"/> on real states: when a list channel only grew, its
/// stored JSON array spliced with the written items (as the runtime splices them) is byte for byte the whole list's
/// JSON; when it did not, nothing is written. Immutable lists reduced by <see cref="Append"/> grow only through
/// <see cref="StateSchema{TState}.Apply"/>, so they are tested through it.
/// </summary>
public class AppendedItemsTests
{
    private const int Runs = 300;

    /// <summary>One list channel of a generated state, run over seeded random lists.</summary>
    public interface IListCase
    {
        /// <summary>How many runs wrote appended items, and how many were refused.</summary>
        (int Appended, int Refused) Run(int seed);

        /// <summary>Items of this type are compared by reference or by an equality that implies equal JSON.</summary>
        bool ItemsComparable { get; }
    }

    /// <param name="channel">The channel's stored name.</param>
    /// <param name="get">The channel's value as a list (null for null, a default array, or a value that is not a list).</param>
    /// <param name="make">A state whose channel holds these items (null: a null or default value).</param>
    /// <param name="item">A new random item.</param>
    private sealed class ListCase<TState, T>(string channel, Func<TState, IReadOnlyList<T>?> get, Func<List<T>?, TState> make, Func<RandomValues, T> item)
        : IListCase where TState : IGraphState<TState>
    {
        public bool ItemsComparable { get; } = !typeof(T).IsValueType || IsExactValue(Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));

        public (int Appended, int Refused) Run(int seed)
        {
            var schema = RoundTrip.Schema<TState>();
            var index = schema.IndexOf(channel);
            Assert.True(index >= 0, $"{typeof(TState).Name} has no channel '{channel}'.");
            var values = new RandomValues(seed);
            var random = new Random(seed);
            List<T> NewItems(int max) => values.List(() => item(values), max);

            var items = random.Next(12) == 0 ? null : NewItems(6);
            var previous = make(items);
            var current = random.Next(8) switch
            {
                // The same value again: an immutable list is unchanged; a List or an array may have changed in place.
                0 => previous,
                // One item replaced by a new one (which may be equal: a string or a number).
                1 when items is { Count: > 0 } => make(Replaced(items, random.Next(items.Count), item(values))),
                // Shrunk.
                2 when items is { Count: > 0 } => make(Removed(items, random.Next(items.Count))),
                // Unrelated.
                3 => make(NewItems(8)),
                4 => make(null),
                // Grown, by none or more items, as a new collection.
                _ => make(items is null ? null : [.. items, .. NewItems(3)]),
            };

            var before = get(previous);
            var after = get(current);
            var startsWithPrevious = before is not null && after is not null && ItemsComparable && after.Count >= before.Count
                && (ReferenceEquals(before, after)
                    ? before is IImmutableList<T>
                    : Enumerable.Range(0, before.Count).All(i => Same(before[i], after[i])));

            var tail = schema.SerializeAppended(previous, current, index);
            var where = $"{typeof(TState).Name}.{channel}, seed {seed}";
            if (!startsWithPrevious)
            {
                Assert.True(tail is null, $"{where}: wrote {Text(tail)} for a list that did not only grow.");
                return (0, 1);
            }
            Assert.True(tail is not null, $"{where}: wrote nothing for a list that only grew.");
            using (var written = JsonDocument.Parse(tail))
            {
                Assert.Equal(after!.Count - before!.Count, written.RootElement.GetArrayLength());
            }
            var whole = schema.SerializeChannel(current, index);
            var spliced = Splice(schema.SerializeChannel(previous, index), tail);
            Assert.Equal(Text(whole), Text(spliced));
            Assert.True(whole.AsSpan().SequenceEqual(spliced), $"{where}: the spliced bytes differ from the whole list's.");
            return (1, 0);
        }

        private static List<T> Replaced(List<T> items, int at, T replacement) => [.. items[..at], replacement, .. items[(at + 1)..]];

        private static List<T> Removed(List<T> items, int at) => [.. items[..at], .. items[(at + 1)..]];

        private static bool Same(T a, T b) =>
            typeof(T).IsValueType || typeof(T) == typeof(string) ? EqualityComparer<T>.Default.Equals(a, b) : ReferenceEquals(a, b);

        private static bool IsExactValue(Type type) =>
            type.IsEnum || type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte)
            || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(sbyte)
            || type == typeof(bool) || type == typeof(char) || type == typeof(Guid);
    }

    private static readonly Dictionary<string, IListCase> Cases = new()
    {
        ["chat messages"] = new ListCase<ChatState, ChatMessage>("messages", s => s.Messages, i => new() { Messages = i?.ToImmutableList()! }, r => r.ChatMessage()),
        ["recursive records"] = new ListCase<ObjectState, Person>("people", s => s.People, i => new() { People = i?.ToImmutableList()! }, r => r.Person(1)),
        ["members named with keywords"] = new ListCase<KeywordState, KeywordNames>("more", s => s.More, i => new() { More = i?.ToImmutableList()! }, r => new KeywordNames { @class = r.Int32(), @event = r.String() }),
        ["int[]"] = new ListCase<CollectionState, int>("array", s => s.Array, i => new() { Array = i?.ToArray()! }, r => r.Int32()),
        ["int[][]"] = new ListCase<CollectionState, int[]>("jagged", s => s.Jagged, i => new() { Jagged = i?.ToArray()! }, r => r.List(r.Int32).ToArray()),
        ["List<string>"] = new ListCase<CollectionState, string>("list", s => s.List, i => new() { List = i! }, r => r.String()),
        ["IList<int>"] = new ListCase<CollectionState, int>("iList", s => s.IList as IReadOnlyList<int>, i => new() { IList = i! }, r => r.Int32()),
        ["IReadOnlyList<string>"] = new ListCase<CollectionState, string>("iReadOnlyList", s => s.IReadOnlyList, i => new() { IReadOnlyList = i?.ToImmutableList()! }, r => r.String()),
        ["ICollection<int>"] = new ListCase<CollectionState, int>("iCollection", s => s.ICollection as IReadOnlyList<int>, i => new() { ICollection = i! }, r => r.Int32()),
        ["IReadOnlyCollection<Guid>"] = new ListCase<CollectionState, Guid>("iReadOnlyCollection", s => s.IReadOnlyCollection as IReadOnlyList<Guid>, i => new() { IReadOnlyCollection = i is null ? null! : [.. i] }, r => r.Guid()),
        ["ImmutableList<string?>"] = new ListCase<CollectionState, string?>("immutableList", s => s.ImmutableList, i => new() { ImmutableList = i?.ToImmutableList()! }, r => r.MaybeString()),
        ["ImmutableArray<int>"] = new ListCase<CollectionState, int>("immutableArray", s => s.ImmutableArray.IsDefault ? null : s.ImmutableArray, i => new() { ImmutableArray = i?.ToImmutableArray() ?? default }, r => r.Int32()),
        ["List<List<int>>"] = new ListCase<CollectionState, List<int>>("nested", s => s.Nested, i => new() { Nested = i! }, r => r.List(r.Int32)),
        ["List<int?>"] = new ListCase<CollectionState, int?>("nullableItems", s => s.NullableItems, i => new() { NullableItems = i! }, r => r.Maybe(r.Int32)),
        ["List<string>?"] = new ListCase<CollectionState, string>("maybeList", s => s.MaybeList, i => new() { MaybeList = i }, r => r.String()),
        ["IImmutableList<int>"] = new ListCase<InterfaceCollectionState, int>("iImmutableList", s => s.IImmutableList, i => new() { IImmutableList = i?.ToImmutableList()! }, r => r.Int32()),
        ["items written by a context"] = new ListCase<EscapedItemsState, ExternalThing>("things", s => s.Things, i => new() { Things = i?.ToImmutableList()! }, r => new ExternalThing { Name = r.String(), Values = [.. r.List(r.Int32)] }),
        // Never appended: equal structs need not serialize alike (the runtime compares only exact value types).
        ["structs written by a converter"] = new ListCase<EscapedItemsState, Temperature>("temperatures", s => s.Temperatures, i => new() { Temperatures = i! }, r => new Temperature(r.Double())),
        ["key/value pairs"] = new ListCase<CollectionState, KeyValuePair<string, int>>("pairList", s => s.PairList, i => new() { PairList = i! }, r => new(r.String(), r.Int32())),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_list_that_only_grew_splices_into_exactly_its_whole_JSON_and_any_other_change_writes_nothing(string name)
    {
        var @case = Cases[name];
        var (appended, refused) = (0, 0);
        for (var seed = 0; seed < Runs; seed++)
        {
            var (a, r) = @case.Run(seed);
            appended += a;
            refused += r;
        }
        // Both outcomes must have been exercised, or the test checked less than it claims.
        Assert.True(refused > Runs / 10, $"{name}: only {refused} of {Runs} runs were refused.");
        if (@case.ItemsComparable)
        {
            Assert.True(appended > Runs / 4, $"{name}: only {appended} of {Runs} runs appended.");
        }
        else
        {
            Assert.Equal(0, appended);
        }
    }

    public static TheoryData<string> AppendCaseNames => [.. AppendCases.Keys];

    private static readonly Dictionary<string, Func<int, bool>> AppendCases = new()
    {
        ["strings"] = seed => GrowThroughApply<FanOutState, string>(seed, "items", s => s.Items, i => new() { Items = i?.ToImmutableList()! }, i => new FanOutState.Update { Items = i }, r => r.String()),
        ["records"] = seed => GrowThroughApply<ReducerState, Address>(seed, "addresses", s => s.Addresses, i => new() { Addresses = i?.ToImmutableList()! }, i => new ReducerState.Update { Addresses = i }, r => r.Address()),
        ["ints in an ImmutableArray"] = seed => GrowThroughApply<ReducerState, int>(seed, "numbers", s => s.Numbers.IsDefault ? null : s.Numbers, i => new() { Numbers = i?.ToImmutableArray() ?? default }, i => new ReducerState.Update { Numbers = i }, r => r.Int32()),
    };

    [Theory]
    [MemberData(nameof(AppendCaseNames))]
    public void A_list_that_Append_grew_in_a_superstep_splices_into_exactly_its_whole_JSON(string name)
    {
        var appended = Enumerable.Range(0, Runs).Count(seed => AppendCases[name](seed));

        // The rest started from a null or default list, which has no stored array to extend.
        Assert.True(appended > Runs * 3 / 4, $"{name}: only {appended} of {Runs} runs appended.");
    }

    /// <summary>
    /// One to three writes of none or more items applied to a random list, as a superstep applies them; true when
    /// appended items were written (and they splice into the whole list), false when the list was null before.
    /// </summary>
    private static bool GrowThroughApply<TState, T>(
        int seed, string channel, Func<TState, IReadOnlyList<T>?> get, Func<List<T>?, TState> make, Func<List<T>, StateUpdate<TState>> write, Func<RandomValues, T> item)
        where TState : IGraphState<TState>
    {
        var schema = RoundTrip.Schema<TState>();
        var index = schema.IndexOf(channel);
        var values = new RandomValues(seed);
        var random = new Random(seed);
        var previous = make(random.Next(12) == 0 ? null : values.List(() => item(values), 6));
        StateUpdate<TState>[] updates = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => write(values.List(() => item(values), 3)))];
        var current = schema.Apply(previous, updates);

        var tail = schema.SerializeAppended(previous, current, index);
        var where = $"{typeof(TState).Name}.{channel}, seed {seed}";
        if (get(previous) is null)
        {
            Assert.True(tail is null, $"{where}: wrote {Text(tail)} to extend a list that was null.");
            return false;
        }
        Assert.True(tail is not null, $"{where}: wrote nothing for a list that only grew.");
        Assert.Equal(Text(schema.SerializeChannel(current, index)), Text(Splice(schema.SerializeChannel(previous, index), tail)));
        return true;
    }

    [Fact]
    public void An_immutable_list_reduced_by_Append_alone_is_not_compared_item_by_item()
    {
        // Comparing would walk the whole list at every checkpoint; Apply is the only way such a list changes, and
        // Append only adds. So a longer list is taken as grown even where (breaking that contract) it is not.
        var fanOut = RoundTrip.Schema<FanOutState>();
        Assert.Equal("[\"z\"]", Text(fanOut.SerializeAppended(new() { Items = ["a"] }, new() { Items = ["x", "z"] }, fanOut.IndexOf("items"))));

        // An Append list that is trimmed afterwards, or declared as an interface, is compared.
        var trimmed = RoundTrip.Schema<TrimmedLogState>();
        var full = new TrimmedLogState { Lines = ["a", "b", "c"] };
        var shifted = trimmed.Apply(full, [new TrimmedLogState.Update { Lines = ["d"] }]);
        Assert.Equal(["b", "c", "d"], shifted.Lines);
        Assert.Null(trimmed.SerializeAppended(full, shifted, trimmed.IndexOf("lines")));
        var growing = RoundTrip.Schema<GrowingState>();
        Assert.Null(growing.SerializeAppended(new() { Notes = ["a"] }, new() { Notes = ["x", "z"] }, growing.IndexOf("notes")));
        Assert.Equal("[\"z\"]", Text(growing.SerializeAppended(new() { Notes = ["a"] }, new() { Notes = ["a", "z"] }, growing.IndexOf("notes"))));
    }

    [Fact]
    public void Only_list_channels_write_appended_items()
    {
        var before = new CollectionState
        {
            Array = [1], Jagged = [[1]], List = ["a"], IList = [1], IReadOnlyList = ["a"], ICollection = [1], IReadOnlyCollection = [Guid.Empty],
            Enumerable = [1], ImmutableList = ["a"], ImmutableArray = [1], HashSet = ["a"], ImmutableHashSet = [1], ISet = new HashSet<int> { 1 },
            SortedSet = [1], ImmutableSortedSet = ["a"], Dictionary = new() { ["a"] = 1 }, Nested = [[1]], NullableItems = [1], PairList = [new("a", 1)],
            MaybeList = ["a"],
        };
        var after = before with
        {
            Array = [.. before.Array, 2],
            Jagged = [.. before.Jagged, [2]],
            List = [.. before.List, "b"],
            IList = [.. before.IList, 2],
            IReadOnlyList = [.. before.IReadOnlyList, "b"],
            ICollection = [.. before.ICollection, 2],
            IReadOnlyCollection = [.. before.IReadOnlyCollection, Guid.AllBitsSet],
            Enumerable = [.. before.Enumerable, 2],
            ImmutableList = before.ImmutableList.Add("b"),
            ImmutableArray = before.ImmutableArray.Add(2),
            HashSet = [.. before.HashSet, "b"],
            ImmutableHashSet = before.ImmutableHashSet.Add(2),
            ISet = new HashSet<int>(before.ISet) { 2 },
            SortedSet = [.. before.SortedSet, 2],
            ImmutableSortedSet = before.ImmutableSortedSet.Add("b"),
            Dictionary = new(before.Dictionary) { ["b"] = 2 },
            IDictionary = new Dictionary<string, string?> { ["b"] = "2" },
            ImmutableDictionary = before.ImmutableDictionary.Add("b", new Address("s", "c")),
            Nested = [.. before.Nested, [2]],
            NullableItems = [.. before.NullableItems, 2],
            PairList = [.. before.PairList, new("b", 2)],
            MaybeList = [.. before.MaybeList!, "b"],
        };

        // Not sets or dictionaries, not a bare IEnumerable, and not lists of key/value pairs (structs compared by value
        // need not serialize alike).
        Assert.Equal(
            ["array", "jagged", "list", "iList", "iReadOnlyList", "iCollection", "iReadOnlyCollection", "immutableList", "immutableArray", "nested", "nullableItems", "maybeList"],
            Appended(before, after));

        var interfaces = new InterfaceCollectionState
        {
            IReadOnlySet = new HashSet<string> { "a" }, IImmutableList = ImmutableList.Create(1), IImmutableSet = ImmutableHashSet.Create("a"), Pairs = [new("a", 1)],
        };
        Assert.Equal(
            ["iImmutableList"],
            Appended(interfaces, interfaces with
            {
                IReadOnlySet = new HashSet<string> { "a", "b" }, IImmutableList = interfaces.IImmutableList.Add(2), IImmutableSet = interfaces.IImmutableSet.Add("b"),
                IImmutableDictionary = interfaces.IImmutableDictionary.Add("b", 2), Pairs = [.. interfaces.Pairs, new("b", 2)],
            }));
    }

    [Fact]
    public void A_list_written_whole_by_an_escape_hatch_writes_no_appended_items()
    {
        var before = new EscapeHatchState { Shapes = [new Circle(1)] };

        // The context writes the list; its items written one by one by the same context need not give the same JSON.
        Assert.Empty(Appended(before, before with { Shapes = before.Shapes.Add(new Square(2)) }));
    }

    [Fact]
    public void A_collection_interface_holding_a_set_writes_no_appended_items()
    {
        var before = new CollectionState { ICollection = new HashSet<int> { 1 }, IReadOnlyCollection = new HashSet<Guid> { Guid.Empty } };
        var after = before with { ICollection = new HashSet<int> { 1, 2 }, IReadOnlyCollection = new HashSet<Guid> { Guid.Empty, Guid.AllBitsSet } };

        Assert.DoesNotContain("iCollection", Appended(before, after));
        Assert.DoesNotContain("iReadOnlyCollection", Appended(before, after));
    }

    [Fact]
    public void A_list_changed_in_place_and_written_back_is_written_whole()
    {
        var schema = RoundTrip.Schema<CollectionState>();
        List<string> list = ["a"];
        int[] array = [1];
        var before = new CollectionState { List = list, Array = array, ImmutableList = ["a"] };
        list.Add("b");
        array[0] = 2;
        var after = before with { List = list, Array = array, ImmutableList = before.ImmutableList };

        Assert.Null(schema.SerializeAppended(before, after, schema.IndexOf("list")));
        Assert.Null(schema.SerializeAppended(before, after, schema.IndexOf("array")));
        // An immutable list cannot have changed: the same one again appends nothing.
        Assert.Equal("[]", Text(schema.SerializeAppended(before, after, schema.IndexOf("immutableList"))));
    }

    [Fact]
    public void Chat_messages_appended_one_by_one_splice_into_the_whole_list_after_many_turns()
    {
        var schema = RoundTrip.Schema<ChatState>();
        var index = schema.IndexOf("messages");
        var values = new RandomValues(42);
        var state = new ChatState();
        var stored = schema.SerializeChannel(state, index);
        for (var turn = 0; turn < 50; turn++)
        {
            var next = state with { Messages = state.Messages.AddRange(values.List(values.ChatMessage, 2)) };
            stored = Splice(stored, schema.SerializeAppended(state, next, index)!);
            state = next;
        }

        Assert.Equal(Text(schema.SerializeChannel(state, index)), Text(stored));
        Assert.Equal(state.Messages.Select(m => m.Text), schema.ReadState(new Dictionary<string, ReadOnlyMemory<byte>> { ["messages"] = stored }).Messages.Select(m => m.Text));
    }

    /// <summary>The channels of <typeparamref name="T"/> for which appended items were written, in channel order.</summary>
    private static List<string> Appended<T>(T before, T after) where T : IGraphState<T>
    {
        var schema = RoundTrip.Schema<T>();
        return [.. Enumerable.Range(0, schema.Channels.Count).Where(i => schema.SerializeAppended(before, after, i) is not null).Select(i => schema.Channels[i].Name)];
    }

    /// <summary>The runtime's splice: "[a,b]" and "[c,d]" make "[a,b,c,d]"; an empty side needs no comma.</summary>
    private static byte[] Splice(byte[] stored, byte[] tail)
    {
        Assert.True(stored is [(byte)'[', .., (byte)']'], $"Stored value {Text(stored)} is not an array.");
        Assert.True(tail is [(byte)'[', .., (byte)']'], $"Appended items {Text(tail)} are not an array.");
        var head = stored.AsSpan(1, stored.Length - 2);
        var items = tail.AsSpan(1, tail.Length - 2);
        return [(byte)'[', .. head, .. (head.Length > 0 && items.Length > 0 ? ","u8 : ""u8), .. items, (byte)']'];
    }

    private static string Text(byte[]? json) => json is null ? "nothing" : Encoding.UTF8.GetString(json);
}
