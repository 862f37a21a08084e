using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Channels;

public class ReducerTests
{
    // ---- Append ----

    [Fact]
    public void Append_adds_items_after_current_in_order_and_leaves_current_unchanged()
    {
        ImmutableList<int> current = [1, 2];

        var result = Append.Reduce(current, [3, 4]);

        Assert.Equal([1, 2, 3, 4], result);
        Assert.Equal([1, 2], current);
    }

    [Fact]
    public void Append_treats_null_list_and_default_array_as_empty()
    {
        Assert.Equal([7, 8], Append.Reduce((ImmutableList<int>?)null, [7, 8]));
        Assert.Equal([7, 8], Append.Reduce(default(ImmutableArray<int>), [7, 8]));
        Assert.Equal([7, 8], Append.Reduce((IReadOnlyList<int>?)null, [7, 8]));
    }

    [Fact]
    public void Append_keeps_the_collection_kind_of_arrays_and_turns_read_only_lists_into_immutable_lists()
    {
        ImmutableArray<string> array = ["a"];
        var plain = new List<string> { "a" };

        ImmutableArray<string> fromArray = Append.Reduce(array, ["b"]);
        ImmutableList<string> fromList = Append.Reduce((IReadOnlyList<string>)plain, ["b"]);

        Assert.Equal(["a", "b"], fromArray);
        Assert.Equal(["a", "b"], fromList);
        Assert.Equal(["a"], array);
        Assert.Equal(["a"], plain);
    }

    [Fact]
    public void Append_gives_the_same_result_whether_writes_come_in_one_update_or_two()
    {
        var random = new Random(1234);
        for (var run = 0; run < 200; run++)
        {
            var start = RandomInts(random).ToImmutableList();
            var xs = RandomInts(random);
            var ys = RandomInts(random);

            Assert.Equal(Append.Reduce(start, xs.Concat(ys)), Append.Reduce(Append.Reduce(start, xs), ys));
        }

        static int[] RandomInts(Random random) =>
            Enumerable.Range(0, random.Next(0, 8)).Select(_ => random.Next(100)).ToArray();
    }

    // ---- AddMessages ----

    [Fact]
    public void AddMessages_gives_id_less_messages_new_ids_on_copies_without_touching_the_callers_messages()
    {
        var first = new ChatMessage(ChatRole.User, "hi");
        var second = new ChatMessage(ChatRole.Assistant, "hello");

        var result = AddMessages.Reduce([], [first, second]);

        Assert.Null(first.MessageId);
        Assert.Null(second.MessageId);
        Assert.Equal(["hi", "hello"], result.Select(m => m.Text));
        Assert.All(result, m => Assert.Matches("^[0-9a-f]{32}$", m.MessageId));
        Assert.NotEqual(result[0].MessageId, result[1].MessageId);
    }

    [Fact]
    public void AddMessages_appends_new_ids_and_keeps_messages_that_have_ids_as_they_are()
    {
        var a = Msg("a");
        var b = Msg("b");

        var result = AddMessages.Reduce([a], [b]);

        Assert.Equal([a, b], result);
        Assert.Same(b, result[1]);
    }

    [Fact]
    public void AddMessages_replaces_a_message_with_a_known_id_in_place()
    {
        ImmutableList<ChatMessage> current = [Msg("a"), Msg("b"), Msg("c")];
        var edited = Msg("b", "b edited");

        var result = AddMessages.Reduce(current, [edited]);

        Assert.Equal([current[0], edited, current[2]], result);
        Assert.Equal("b", current[1].Text);
    }

    [Fact]
    public void AddMessages_removes_the_message_a_marker_names()
    {
        ImmutableList<ChatMessage> current = [Msg("a"), Msg("b"), Msg("c")];

        var result = AddMessages.Reduce(current, [AddMessages.Remove("b")]);

        Assert.Equal([current[0], current[2]], result);
        Assert.Equal(3, current.Count);
    }

    [Fact]
    public void AddMessages_can_remove_a_message_added_earlier_in_the_same_update()
    {
        var result = AddMessages.Reduce([Msg("a")], [Msg("b"), AddMessages.Remove("b"), Msg("c")]);

        Assert.Equal(["a", "c"], result.Select(m => m.MessageId));
    }

    [Fact]
    public void AddMessages_appends_a_message_removed_and_re_added_in_one_update_as_two_updates_would()
    {
        ImmutableList<ChatMessage> current = [Msg("a"), Msg("b"), Msg("c")];

        var result = AddMessages.Reduce(current, [AddMessages.Remove("a"), Msg("a", "again")]);

        Assert.Equal(["b", "c", "again"], result.Select(m => m.Text));
    }

    [Theory]
    [InlineData("ghost")]
    [InlineData("b")] // already removed earlier in the same update
    public void AddMessages_refuses_to_remove_an_id_that_is_not_there_and_names_it(string id)
    {
        ImmutableList<ChatMessage> current = [Msg("a"), Msg("b")];

        var error = Assert.Throws<InvalidUpdateException>(
            () => AddMessages.Reduce(current, [AddMessages.Remove("b"), AddMessages.Remove(id)]));

        Assert.Contains($"'{id}'", error.Message);
        Assert.Equal(2, current.Count);
    }

    [Fact]
    public void AddMessages_remove_all_clears_the_history_and_earlier_messages_of_the_update_but_not_later_ones()
    {
        var later = Msg("z");

        var result = AddMessages.Reduce([Msg("a"), Msg("b")], [Msg("c"), AddMessages.RemoveAll(), later]);

        Assert.Equal([later], result);
    }

    [Fact]
    public void Removal_markers_are_recognized_and_ordinary_messages_are_not()
    {
        var marker = AddMessages.Remove("x");
        var notAMarker = new ChatMessage(ChatRole.User, "x") { AdditionalProperties = new() { ["graphgen.remove"] = false } };

        Assert.True(AddMessages.IsRemoval(marker));
        Assert.Equal("x", marker.MessageId);
        Assert.True(AddMessages.IsRemoval(AddMessages.RemoveAll()));
        Assert.Equal("__remove_all__", AddMessages.RemoveAll().MessageId);
        Assert.False(AddMessages.IsRemoval(Msg("x")));
        Assert.False(AddMessages.IsRemoval(notAMarker));
    }

    [Fact]
    public void Markers_still_remove_after_a_json_round_trip()
    {
        ImmutableList<ChatMessage> current = [Msg("a"), Msg("b"), Msg("c")];
        var remove = RoundTrip(AddMessages.Remove("b"));
        var removeAll = RoundTrip(AddMessages.RemoveAll());

        Assert.IsType<JsonElement>(remove.AdditionalProperties!["graphgen.remove"]);
        Assert.True(AddMessages.IsRemoval(remove));
        Assert.Equal(["a", "c"], AddMessages.Reduce(current, [remove]).Select(m => m.MessageId));
        Assert.Empty(AddMessages.Reduce(current, [removeAll]));

        static ChatMessage RoundTrip(ChatMessage message) =>
            JsonSerializer.Deserialize<ChatMessage>(JsonSerializer.Serialize(message, AIJsonUtilities.DefaultOptions), AIJsonUtilities.DefaultOptions)!;
    }

    [Fact]
    public void AddMessages_gives_the_same_result_whether_writes_come_in_one_update_or_two()
    {
        var random = new Random(4321);
        var nextId = 0;
        for (var run = 0; run < 200; run++)
        {
            // Writes are generated against a running model of the live ids, so every removal is valid.
            var live = new List<string>();
            var gone = new List<string>();
            var start = AddMessages.Reduce([], RandomWrites(random.Next(0, 6)));
            var xs = RandomWrites(random.Next(0, 8));
            var ys = RandomWrites(random.Next(0, 8));

            Assert.Equal(AddMessages.Reduce(start, xs.Concat(ys)), AddMessages.Reduce(AddMessages.Reduce(start, xs), ys));

            List<ChatMessage> RandomWrites(int count)
            {
                var writes = new List<ChatMessage>();
                for (var i = 0; i < count; i++)
                {
                    var choice = random.Next(10);
                    if (choice < 2 && live.Count > 0)
                    {
                        var id = live[random.Next(live.Count)];
                        live.Remove(id);
                        gone.Add(id);
                        writes.Add(AddMessages.Remove(id));
                    }
                    else if (choice < 4 && live.Count > 0)
                    {
                        writes.Add(Msg(live[random.Next(live.Count)], $"edit {i}"));
                    }
                    else if (choice == 4 && gone.Count > 0)
                    {
                        // A removed id written again comes back as a new message.
                        var id = gone[random.Next(gone.Count)];
                        gone.Remove(id);
                        live.Add(id);
                        writes.Add(Msg(id, $"back {i}"));
                    }
                    else if (choice == 5)
                    {
                        gone.AddRange(live);
                        live.Clear();
                        writes.Add(AddMessages.RemoveAll());
                    }
                    else
                    {
                        var id = $"m{nextId++}";
                        live.Add(id);
                        writes.Add(Msg(id));
                    }
                }
                return writes;
            }
        }
    }

    // ---- Sum, Max ----

    [Fact]
    public void Sum_adds_the_update_to_the_current_value()
    {
        Assert.Equal(5, Sum.Reduce(2, 3));
        Assert.Equal(-1, Sum.Reduce(2, -3));
        Assert.Equal(0.3m, Sum.Reduce(0.1m, 0.2m));
    }

    [Fact]
    public void Max_keeps_the_larger_value_and_the_current_one_on_a_tie()
    {
        Assert.Equal(9, Max.Reduce(3, 9));
        Assert.Equal(9, Max.Reduce(9, 3));

        var current = new string('b', 1);
        var equal = new string('b', 1);
        Assert.Same(current, Max.Reduce(current, equal));
        Assert.Equal("c", Max.Reduce("b", "c"));
        Assert.Equal("c", Max.Reduce(null!, "c"));
    }

    // ---- Union ----

    [Fact]
    public void Union_adds_missing_items_and_keeps_the_sets_comparer()
    {
        var current = ImmutableHashSet.Create(StringComparer.OrdinalIgnoreCase, "a", "b");

        var result = Union.Reduce(current, ["B", "c", "c"]);

        Assert.Equal(3, result.Count);
        Assert.True(result.SetEquals(["a", "b", "c"]));
        Assert.Equal(2, current.Count);
        Assert.True(Union.Reduce((ImmutableHashSet<int>?)null, [1, 1, 2]).SetEquals([1, 2]));
    }

    [Fact]
    public void Union_of_sorted_sets_stays_sorted()
    {
        ImmutableSortedSet<int> current = [5, 1];

        var result = Union.Reduce(current, [3, 5, 0]);

        Assert.Equal([0, 1, 3, 5], result);
        Assert.Equal([1, 5], current);
    }

    // ---- MergeDictionary ----

    [Fact]
    public void MergeDictionary_sets_written_keys_keeps_the_others_and_lets_later_entries_win()
    {
        var current = ImmutableDictionary<string, int>.Empty.Add("a", 1).Add("b", 2);

        var result = MergeDictionary.Reduce(current, [new("b", 20), new("c", 3), new("c", 30)]);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 1, ["b"] = 20, ["c"] = 30 }, result);
        Assert.Equal(2, current["b"]);
        Assert.Equal(1, MergeDictionary.Reduce(null, [new KeyValuePair<string, int>("k", 1)])["k"]);
    }

    // ---- Trim ----

    [Fact]
    public void KeepLast_keeps_the_newest_messages_in_order()
    {
        var history = Numbered(20);

        var result = Trim.KeepLast(history, 10, keepSystem: false);

        Assert.Equal(history.GetRange(10, 10), result);
    }

    [Fact]
    public void KeepLast_without_keep_system_may_drop_the_system_message()
    {
        var history = Numbered(20).Insert(0, new ChatMessage(ChatRole.System, "rules"));

        var result = Trim.KeepLast(history, 10, keepSystem: false);

        Assert.DoesNotContain(result, m => m.Role == ChatRole.System);
    }

    [Fact]
    public void KeepLast_with_keep_system_keeps_the_system_message_and_the_newest_others()
    {
        var system = new ChatMessage(ChatRole.System, "rules");
        var history = Numbered(20).Insert(0, system);

        var result = Trim.KeepLast(history, 10, keepSystem: true);

        Assert.Equal([system, .. history.GetRange(12, 9)], result);
    }

    [Fact]
    public void KeepLast_with_keep_system_keeps_a_system_message_from_the_middle_where_it_was()
    {
        var system = new ChatMessage(ChatRole.System, "rules");
        var history = Numbered(6).Insert(3, system); // 0 1 2 S 3 4 5

        var result = Trim.KeepLast(history, 3, keepSystem: true);

        Assert.Equal(["rules", "4", "5"], result.Select(m => m.Text));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void KeepLast_returns_the_same_instance_when_the_list_fits(bool keepSystem)
    {
        var history = Numbered(10);

        Assert.Same(history, Trim.KeepLast(history, 10, keepSystem));
        Assert.Same(history, Trim.KeepLast(history, 11, keepSystem));
        Assert.Same(history, Trim.KeepLast(history, 10));
    }

    [Fact]
    public void KeepLast_with_keep_system_keeps_every_system_message_even_beyond_count()
    {
        var history = Numbered(4).Select(m => new ChatMessage(ChatRole.System, m.Text)).ToImmutableList();

        Assert.Same(history, Trim.KeepLast(history, 2, keepSystem: true));
        Assert.Equal(history, Trim.KeepLast(history.Insert(2, Msg("user")), 2, keepSystem: true));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void KeepLast_refuses_a_count_below_one(int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Trim.KeepLast(ImmutableList<int>.Empty, count));
        Assert.Throws<ArgumentOutOfRangeException>(() => Trim.KeepLast(ImmutableList<ChatMessage>.Empty, count, keepSystem: true));
    }

    private static ChatMessage Msg(string id, string? text = null) =>
        new(ChatRole.User, text ?? id) { MessageId = id };

    private static ImmutableList<ChatMessage> Numbered(int count) =>
        Enumerable.Range(0, count).Select(i => new ChatMessage(ChatRole.User, i.ToString())).ToImmutableList();
}
