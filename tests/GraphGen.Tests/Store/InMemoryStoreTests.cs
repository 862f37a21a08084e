using System.Text.Json;
using GraphGen.Store;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Store;

public sealed class InMemoryStoreTests
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // ---- put, get, delete ----------------------------------------------------------------------------------

    [Fact]
    public async Task Put_then_get_returns_the_value_and_its_times()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);

        await store.PutAsync(["users", "42"], "profile", Json("""{"name": "Ada"}"""));
        var item = await store.GetAsync(["users", "42"], "profile");

        Assert.NotNull(item);
        Assert.Equal(["users", "42"], item.Namespace);
        Assert.Equal("profile", item.Key);
        Assert.Equal("Ada", item.Value.GetProperty("name").GetString());
        Assert.Equal(Start, item.CreatedAt);
        Assert.Equal(Start, item.UpdatedAt);
    }

    [Fact]
    public async Task Overwriting_keeps_CreatedAt_and_moves_UpdatedAt()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["users"], "ada", Json("""{"v": 1}"""));

        time.Advance(TimeSpan.FromMinutes(3));
        await store.PutAsync(["users"], "ada", Json("""{"v": 2}"""));
        var item = await store.GetAsync(["users"], "ada");

        Assert.Equal(2, item!.Value.GetProperty("v").GetInt32());
        Assert.Equal(Start, item.CreatedAt);
        Assert.Equal(Start.AddMinutes(3), item.UpdatedAt);
    }

    [Fact]
    public async Task Get_of_a_missing_key_or_namespace_is_null()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["a"], "k", Json("{}"));

        Assert.Null(await store.GetAsync(["a"], "other"));
        Assert.Null(await store.GetAsync(["b"], "k"));
        Assert.Null(await store.GetAsync(["a", "k"], "k"));
    }

    [Fact]
    public async Task Delete_removes_only_that_item_and_ignores_missing_ones()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["a"], "gone", Json("{}"));
        await store.PutAsync(["a"], "kept", Json("{}"));

        await store.DeleteAsync(["a"], "gone");
        await store.DeleteAsync(["a"], "never-there");
        await store.DeleteAsync(["nowhere"], "gone");

        Assert.Null(await store.GetAsync(["a"], "gone"));
        Assert.NotNull(await store.GetAsync(["a"], "kept"));
    }

    [Fact]
    public async Task The_store_keeps_its_own_copy_of_the_value_and_the_namespace()
    {
        var store = new InMemoryStore();
        var ns = new List<string> { "users", "42" };
        using (var document = JsonDocument.Parse("""{"a": 1}"""))
            await store.PutAsync(ns, "k", document.RootElement);
        ns[1] = "43";

        var item = await store.GetAsync(["users", "42"], "k");

        Assert.Equal(1, item!.Value.GetProperty("a").GetInt32());
        Assert.Equal(["users", "42"], item.Namespace);
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("3")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public async Task Put_rejects_a_value_that_is_not_an_object(string json)
    {
        var store = new InMemoryStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(["a"], "k", Json(json)).AsTask());

        Assert.Equal("value", error.ParamName);
        Assert.Contains("JSON objects", error.Message);
        Assert.Null(await store.GetAsync(["a"], "k"));
    }

    [Fact]
    public async Task Put_rejects_a_default_JsonElement()
    {
        var store = new InMemoryStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(["a"], "k", default).AsTask());
    }

    [Fact]
    public async Task Items_compare_by_value_like_LangGraph()
    {
        var store = new InMemoryStore(time: new ManualTimeProvider(Start));
        await store.PutAsync(["a"], "k", Json("""{"x": [1, 2]}"""));

        var item = await store.GetAsync(["a"], "k");
        var same = new Item(new List<string> { "a" }, "k", Json("""{ "x" : [1,2] }"""), Start, Start);
        var other = same with { Value = Json("""{"x": [2, 1]}""") };

        Assert.Equal(same, item);
        Assert.Equal(same.GetHashCode(), item!.GetHashCode());
        Assert.NotEqual(other, item);
        Assert.NotEqual<Item>(new SearchItem(same, 0.5), item);
    }

    // ---- namespace rules -----------------------------------------------------------------------------------

    [Theory]
    [InlineData(new string[0], "no labels")]
    [InlineData(new[] { "users", "" }, "empty")]
    [InlineData(new[] { "users", "a.b" }, "label 'a.b' contains '.'")]
    [InlineData(new[] { "langgraph" }, "root label 'langgraph' is reserved")]
    [InlineData(new[] { "langgraph", "memories" }, "root label 'langgraph' is reserved")]
    public async Task Put_rejects_namespaces_that_break_a_rule(string[] ns, string rule)
    {
        var store = new InMemoryStore();

        var error = await Assert.ThrowsAsync<InvalidNamespaceException>(() => store.PutAsync(ns, "k", Json("{}")).AsTask());

        Assert.IsAssignableFrom<GraphGenException>(error);
        Assert.Contains(rule, error.Message);
        Assert.Contains("[" + string.Join(", ", ns.Select(l => $"\"{l}\"")) + "]", error.Message);
        Assert.Equal(ns, error.Namespace);
        Assert.Empty(await store.ListNamespacesAsync());
    }

    [Fact]
    public async Task Langgraph_is_allowed_below_the_root()
    {
        var store = new InMemoryStore();

        await store.PutAsync(["app", "langgraph", "x"], "k", Json("{}"));

        Assert.NotNull(await store.GetAsync(["app", "langgraph", "x"], "k"));
    }

    // ---- search: namespaces, order, paging -----------------------------------------------------------------

    [Fact]
    public async Task Search_matches_namespace_prefixes_label_by_label()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["a", "b"], "ab", Json("{}"));
        await store.PutAsync(["a", "b", "c"], "abc", Json("{}"));
        await store.PutAsync(["a", "bc"], "a-bc", Json("{}"));
        await store.PutAsync(["x"], "x", Json("{}"));

        Assert.Equal(["ab", "abc"], Keys(await store.SearchAsync(["a", "b"])));
        Assert.Equal(["a-bc", "ab", "abc"], Keys(await store.SearchAsync(["a"])));
        Assert.Equal(["a-bc", "ab", "abc", "x"], Keys(await store.SearchAsync([])));
        Assert.Empty(await store.SearchAsync(["a", "b", "c", "d"]));
    }

    [Fact]
    public async Task Search_without_a_query_returns_newest_first_without_scores_and_pages()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        foreach (var key in new[] { "k1", "k2", "k3", "k4", "k5" })
        {
            await store.PutAsync(["docs"], key, Json("{}"));
            time.Advance(TimeSpan.FromSeconds(1));
        }
        time.Advance(TimeSpan.FromSeconds(1));
        await store.PutAsync(["docs"], "k2", Json("""{"touched": true}"""));

        var all = await store.SearchAsync(["docs"]);
        var page = await store.SearchAsync(["docs"], limit: 2, offset: 1);

        Assert.Equal(["k2", "k5", "k4", "k3", "k1"], all.Select(i => i.Key));
        Assert.All(all, item => Assert.Null(item.Score));
        Assert.Equal(["k5", "k4"], page.Select(i => i.Key));
        Assert.Equal(["k1"], (await store.SearchAsync(["docs"], limit: 10, offset: 4)).Select(i => i.Key));
        Assert.Single(await store.SearchAsync(["docs"], limit: 1));
        Assert.Empty(await store.SearchAsync(["docs"], limit: 0));
    }

    // ---- search: filters -----------------------------------------------------------------------------------

    [Theory]
    [InlineData("""{"name": "bob"}""", "bob")]
    [InlineData("""{"score": {"$eq": 4}}""", "cy")]
    [InlineData("""{"score": {"$eq": 4.0}}""", "cy")]
    [InlineData("""{"name": {"$ne": "bob"}}""", "ada,cy")]
    [InlineData("""{"score": {"$gt": 2.5}}""", "cy")]
    [InlineData("""{"score": {"$gte": 2.5}}""", "bob,cy")]
    [InlineData("""{"score": {"$lt": 2.5}}""", "ada")]
    [InlineData("""{"score": {"$lte": 2.5}}""", "ada,bob")]
    [InlineData("""{"score": {"$gte": 1, "$lt": 4}}""", "ada,bob")]
    [InlineData("""{"score": {"$gt": 10}}""", "")]
    [InlineData("""{"name": {"$gt": "b"}}""", "bob,cy")]
    [InlineData("""{"name": {"$lt": "B"}}""", "")]
    [InlineData("""{"score": {"$gt": "1"}}""", "")]
    [InlineData("""{"meta.level": "mid"}""", "bob")]
    [InlineData("""{"meta.level": {"$ne": "mid"}}""", "ada,cy")]
    [InlineData("""{"meta.tags[0]": "x"}""", "ada")]
    [InlineData("""{"meta.tags[-1]": "y"}""", "ada")]
    [InlineData("""{"meta.tags[*]": "y"}""", "ada,cy")]
    [InlineData("""{"extra": null}""", "ada,bob")]
    [InlineData("""{"extra": {"$ne": true}}""", "ada,bob")]
    [InlineData("""{"name": "ada", "score": 1}""", "ada")]
    [InlineData("""{"name": "ada", "score": 2.5}""", "")]
    public async Task Search_filters_with_operators_and_paths(string filterJson, string expected)
    {
        var store = await PeopleStore();

        var found = await store.SearchAsync(["people"], filter: Filter(filterJson));

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), Keys(found));
    }

    [Fact]
    public async Task Search_accepts_filters_written_as_JSON()
    {
        var store = await PeopleStore();

        var byOperator = await store.SearchAsync(["people"], filter: new Dictionary<string, object?> { ["score"] = Json("""{"$gt": 2}""") });
        var byObject = await store.SearchAsync(["people"], filter: new Dictionary<string, object?> { ["meta"] = Json("""{"level": "mid"}""") });

        Assert.Equal(["bob", "cy"], Keys(byOperator));
        Assert.Equal(["bob"], Keys(byObject));
    }

    [Fact]
    public async Task Search_rejects_an_unknown_operator_by_name_even_on_an_empty_store()
    {
        var store = new InMemoryStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(["people"],
            filter: new Dictionary<string, object?> { ["score"] = new Dictionary<string, object?> { ["$regex"] = "a.*" } }).AsTask());

        Assert.Contains("'$regex'", error.Message);
        Assert.Contains("'score'", error.Message);
    }

    [Fact]
    public async Task Search_rejects_an_operand_of_an_unsupported_type()
    {
        var store = await PeopleStore();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.SearchAsync(["people"],
            filter: new Dictionary<string, object?> { ["born"] = new DateTime(1815, 12, 10) }).AsTask());

        Assert.Contains("DateTime", error.Message);
    }

    // ---- list namespaces -----------------------------------------------------------------------------------

    [Fact]
    public async Task ListNamespaces_max_depth_reproduces_LangGraphs_docstring_example()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["a", "b", "c"], "key1", Json("""{"x": 1}"""));
        await store.PutAsync(["a", "b", "d", "e"], "key2", Json("""{"x": 2}"""));
        await store.PutAsync(["a", "b", "d", "i"], "key3", Json("""{"x": 3}"""));
        await store.PutAsync(["a", "b", "f"], "key4", Json("""{"x": 4}"""));

        var result = await store.ListNamespacesAsync(prefix: ["a", "b"], maxDepth: 3);

        Assert.Equal([["a", "b", "c"], ["a", "b", "d"], ["a", "b", "f"]], Labels(result));
    }

    [Fact]
    public async Task ListNamespaces_sorts_label_by_label()
    {
        var store = new InMemoryStore();
        foreach (var ns in new[] { new[] { "b" }, ["a", "b"], ["a-z"], ["a"], ["a", "a"] })
            await store.PutAsync(ns, "k", Json("{}"));

        Assert.Equal([["a"], ["a", "a"], ["a", "b"], ["a-z"], ["b"]], Labels(await store.ListNamespacesAsync()));
    }

    [Theory]
    [InlineData("users", null, "users/1/memories;users/2/memories;users/2/prefs")]
    [InlineData("users/*/memories", null, "users/1/memories;users/2/memories")]
    [InlineData("*/1", null, "teams/1/memories;users/1/memories")]
    [InlineData("us", null, "")]
    [InlineData(null, "memories", "teams/1/memories;users/1/memories;users/2/memories")]
    [InlineData(null, "*/prefs", "users/2/prefs")]
    [InlineData(null, "2/*", "users/2/memories;users/2/prefs")]
    [InlineData("users", "prefs", "users/2/prefs")]
    [InlineData("users/*/memories/*", null, "")]
    public async Task ListNamespaces_filters_by_prefix_and_suffix_with_wildcards(string? prefix, string? suffix, string expected)
    {
        var store = new InMemoryStore();
        foreach (var ns in new[] { "users/1/memories", "users/2/memories", "users/2/prefs", "teams/1/memories" })
            await store.PutAsync(ns.Split('/'), "k", Json("{}"));

        var result = await store.ListNamespacesAsync(prefix: prefix?.Split('/'), suffix: suffix?.Split('/'));

        Assert.Equal(expected, string.Join(";", result.Select(ns => string.Join("/", ns))));
    }

    [Fact]
    public async Task ListNamespaces_pages_and_drops_emptied_namespaces()
    {
        var store = new InMemoryStore();
        foreach (var label in new[] { "a", "b", "c", "d", "e" })
            await store.PutAsync([label], "k", Json("{}"));
        await store.DeleteAsync(["c"], "k");

        Assert.Equal([["b"], ["d"]], Labels(await store.ListNamespacesAsync(limit: 2, offset: 1)));
        Assert.Equal([["e"]], Labels(await store.ListNamespacesAsync(offset: 3)));
        Assert.Equal(4, (await store.ListNamespacesAsync()).Count);
    }

    [Fact]
    public async Task ListNamespaces_rejects_a_max_depth_below_one()
    {
        var store = new InMemoryStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListNamespacesAsync(maxDepth: 0).AsTask());
    }

    // ---- semantic search -----------------------------------------------------------------------------------

    [Fact]
    public async Task Semantic_search_ranks_the_relevant_item_first()
    {
        var embedder = new HashingEmbedder();
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = embedder, Dimensions = HashingEmbedder.Dimensions, Fields = ["text"] });
        await store.PutAsync(["docs"], "dogs", Json("""{"text": "dogs bark at the mail carrier"}"""));
        await store.PutAsync(["docs"], "cats", Json("""{"text": "cats purr when they are happy"}"""));
        await store.PutAsync(["docs"], "rain", Json("""{"text": "rain falls on green hills"}"""));

        var results = await store.SearchAsync(["docs"], query: "why do cats purr");

        Assert.Equal("cats", results[0].Key);
        Assert.All(results, item => Assert.NotNull(item.Score));
        Assert.True(results[0].Score > results[1].Score);
        Assert.Equal(results.OrderByDescending(i => i.Score).Select(i => i.Key), Keys(results, sorted: false));
        Assert.Equal(["dogs bark at the mail carrier", "cats purr when they are happy", "rain falls on green hills", "why do cats purr"], embedder.Texts);
    }

    [Fact]
    public async Task Each_text_of_a_wildcard_field_is_its_own_vector_and_the_best_one_scores()
    {
        var embedder = new HashingEmbedder();
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = embedder, Dimensions = HashingEmbedder.Dimensions, Fields = ["notes[*].body"] });
        await store.PutAsync(["docs"], "mixed", Json("""{"notes": [{"body": "dogs bark loudly"}, {"body": "cats purr softly"}]}"""));
        await store.PutAsync(["docs"], "rain", Json("""{"notes": [{"body": "rain falls on green hills"}]}"""));
        await store.PutAsync(["docs"], "cats-only", Json("""{"notes": [{"body": "cats purr softly"}]}"""));

        var results = await store.SearchAsync(["docs"], query: "cats purr softly");

        Assert.Equal(["dogs bark loudly", "cats purr softly", "rain falls on green hills", "cats purr softly", "cats purr softly"], embedder.Texts);
        var mixed = results.Single(i => i.Key == "mixed");
        var catsOnly = results.Single(i => i.Key == "cats-only");
        Assert.Equal(1.0, mixed.Score!.Value, 6);
        Assert.Equal(catsOnly.Score, mixed.Score);
        Assert.Equal("rain", results[^1].Key);
    }

    [Theory]
    [InlineData("$", """{"a":{"b":"deep"},"n":[1,2,3]}""")]
    [InlineData("a.b", "deep")]
    [InlineData("n[0]", "1")]
    [InlineData("n[-1]", "3")]
    [InlineData("n", "[1,2,3]")]
    [InlineData("a", """{"b":"deep"}""")]
    public async Task Index_fields_pick_the_texts_to_embed(string field, string expectedText)
    {
        var embedder = new HashingEmbedder();
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = embedder, Dimensions = HashingEmbedder.Dimensions, Fields = [field] });

        await store.PutAsync(["docs"], "k", Json("""{"a":{"b":"deep"},"n":[1,2,3]}"""));

        Assert.Equal([expectedText], embedder.Texts);
    }

    [Fact]
    public async Task Put_can_name_its_own_fields_and_missing_paths_embed_nothing()
    {
        var embedder = new HashingEmbedder();
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = embedder, Dimensions = HashingEmbedder.Dimensions, Fields = ["text"] });

        await store.PutAsync(["docs"], "own", Json("""{"text": "default", "title": "chosen", "tags": ["one", "two"]}"""), index: ["title", "tags[-1]"]);
        await store.PutAsync(["docs"], "none", Json("""{"other": "x", "text": null}"""));

        Assert.Equal(["chosen", "two"], embedder.Texts);
        Assert.Null((await store.SearchAsync(["docs"], query: "x")).Single(i => i.Key == "none").Score);
    }

    [Fact]
    public async Task An_item_put_with_an_empty_index_is_not_embedded_and_ranks_after_scored_items()
    {
        var embedder = new HashingEmbedder();
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = embedder, Dimensions = HashingEmbedder.Dimensions, Fields = ["text"] }, time: time);
        await store.PutAsync(["docs"], "dogs", Json("""{"text": "dogs bark at the mail carrier"}"""));
        await store.PutAsync(["docs"], "cats", Json("""{"text": "cats purr when happy"}"""));
        time.Advance(TimeSpan.FromMinutes(1));
        await store.PutAsync(["docs"], "unindexed", Json("""{"text": "cats purr when happy"}"""), index: []);

        var results = await store.SearchAsync(["docs"], query: "cats purr when happy");

        // The unindexed item's text was never embedded: only the two indexed items and the query were.
        Assert.Equal(["dogs bark at the mail carrier", "cats purr when happy", "cats purr when happy"], embedder.Texts);
        Assert.Equal(["cats", "dogs", "unindexed"], Keys(results, sorted: false));
        Assert.Null(results[2].Score);
    }

    [Fact]
    public async Task Overwriting_with_an_empty_index_drops_the_old_vectors()
    {
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = new HashingEmbedder(), Dimensions = HashingEmbedder.Dimensions });
        await store.PutAsync(["docs"], "k", Json("""{"text": "cats purr"}"""));

        await store.PutAsync(["docs"], "k", Json("""{"text": "cats purr"}"""), index: []);

        Assert.Null((await store.SearchAsync(["docs"], query: "cats purr")).Single().Score);
    }

    [Fact]
    public async Task A_store_without_an_index_ignores_the_query()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["docs"], "cats", Json("""{"text": "cats purr"}"""));
        time.Advance(TimeSpan.FromSeconds(1));
        await store.PutAsync(["docs"], "dogs", Json("""{"text": "dogs bark"}"""));

        var results = await store.SearchAsync(["docs"], query: "cats purr");

        Assert.Equal(["dogs", "cats"], Keys(results, sorted: false));
        Assert.All(results, item => Assert.Null(item.Score));
    }

    [Fact]
    public async Task Semantic_search_still_applies_prefix_and_filter()
    {
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = new HashingEmbedder(), Dimensions = HashingEmbedder.Dimensions, Fields = ["text"] });
        await store.PutAsync(["docs", "en"], "cats", Json("""{"text": "cats purr", "draft": true}"""));
        await store.PutAsync(["docs", "en"], "cats-final", Json("""{"text": "cats purr softly", "draft": false}"""));
        await store.PutAsync(["docs", "fr"], "chats", Json("""{"text": "cats purr"}"""));

        var results = await store.SearchAsync(["docs", "en"], query: "cats purr", filter: new Dictionary<string, object?> { ["draft"] = false });

        Assert.Equal(["cats-final"], Keys(results));
    }

    [Fact]
    public async Task A_vector_of_the_wrong_length_is_reported()
    {
        var store = new InMemoryStore(new StoreIndexOptions { Embedder = new HashingEmbedder(), Dimensions = 8 });

        var error = await Assert.ThrowsAsync<GraphGenException>(() => store.PutAsync(["docs"], "k", Json("""{"a": 1}""")).AsTask());

        Assert.Contains("16 dimensions", error.Message);
        Assert.Contains("Dimensions is 8", error.Message);
        Assert.Null(await store.GetAsync(["docs"], "k"));
    }

    [Theory]
    [InlineData("a[x]")]
    [InlineData("a..b")]
    [InlineData("[0]")]
    [InlineData("a[0")]
    [InlineData("")]
    public void A_malformed_field_path_is_rejected_up_front(string field)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            new InMemoryStore(new StoreIndexOptions { Embedder = new HashingEmbedder(), Dimensions = HashingEmbedder.Dimensions, Fields = [field] }));

        Assert.Contains("index.Fields", error.ParamName);
    }

    // ---- TTL -----------------------------------------------------------------------------------------------

    [Fact]
    public async Task An_expired_item_is_never_returned_even_before_it_is_swept()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["tmp"], "k", Json("{}"), ttl: TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.NotNull(await store.GetAsync(["tmp"], "k", refreshTtl: false));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await store.GetAsync(["tmp"], "k"));
        Assert.Empty(await store.SearchAsync(["tmp"]));
        Assert.Empty(await store.ListNamespacesAsync());
        Assert.Equal(1, store.CountIncludingExpired());
    }

    [Fact]
    public async Task Sweep_removes_expired_items_and_returns_the_count()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["tmp"], "a", Json("{}"), ttl: TimeSpan.FromMinutes(1));
        await store.PutAsync(["tmp", "deeper"], "b", Json("{}"), ttl: TimeSpan.FromMinutes(1));
        await store.PutAsync(["tmp"], "later", Json("{}"), ttl: TimeSpan.FromMinutes(5));
        await store.PutAsync(["tmp"], "forever", Json("{}"));

        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(2, await store.SweepExpiredAsync());
        Assert.Equal(0, await store.SweepExpiredAsync());
        Assert.Equal(2, store.CountIncludingExpired());
        Assert.Equal(["forever", "later"], Keys(await store.SearchAsync(["tmp"])));
    }

    [Fact]
    public async Task Reading_restarts_the_lifetime_by_default()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["tmp"], "k", Json("{}"), ttl: TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await store.GetAsync(["tmp"], "k"));
        time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await store.GetAsync(["tmp"], "k", refreshTtl: false));
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Null(await store.GetAsync(["tmp"], "k"));
    }

    [Fact]
    public async Task Search_restarts_the_lifetime_of_the_items_it_returns()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(time: time);
        await store.PutAsync(["tmp"], "returned", Json("{}"), ttl: TimeSpan.FromMinutes(10));
        await store.PutAsync(["tmp"], "filtered-out", Json("""{"skip": true}"""), ttl: TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(8));
        await store.SearchAsync(["tmp"], filter: new Dictionary<string, object?> { ["skip"] = null });
        time.Advance(TimeSpan.FromMinutes(8));

        Assert.Equal(["returned"], Keys(await store.SearchAsync(["tmp"], refreshTtl: false)));
    }

    [Fact]
    public async Task RefreshOnRead_false_keeps_the_lifetime_unless_the_call_asks()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(ttl: new StoreTtlOptions { RefreshOnRead = false }, time: time);
        await store.PutAsync(["tmp"], "plain", Json("{}"), ttl: TimeSpan.FromMinutes(10));
        await store.PutAsync(["tmp"], "asked", Json("{}"), ttl: TimeSpan.FromMinutes(10));

        time.Advance(TimeSpan.FromMinutes(8));
        Assert.NotNull(await store.GetAsync(["tmp"], "plain"));
        Assert.NotNull(await store.GetAsync(["tmp"], "asked", refreshTtl: true));
        time.Advance(TimeSpan.FromMinutes(3));

        Assert.Null(await store.GetAsync(["tmp"], "plain"));
        Assert.NotNull(await store.GetAsync(["tmp"], "asked"));
    }

    [Fact]
    public async Task DefaultTtl_applies_unless_the_put_says_otherwise()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(ttl: new StoreTtlOptions { DefaultTtl = TimeSpan.FromMinutes(1) }, time: time);
        await store.PutAsync(["tmp"], "default", Json("{}"));
        await store.PutAsync(["tmp"], "longer", Json("{}"), ttl: TimeSpan.FromHours(1));
        await store.PutAsync(["tmp"], "forever", Json("{}"), ttl: Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, await store.SweepExpiredAsync());
        Assert.Equal(["forever"], Keys(await store.SearchAsync(["tmp"])));
        time.Advance(TimeSpan.FromDays(365));
        Assert.NotNull(await store.GetAsync(["tmp"], "forever"));
    }

    [Fact]
    public async Task A_ttl_must_be_positive()
    {
        var store = new InMemoryStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.PutAsync(["tmp"], "k", Json("{}"), ttl: TimeSpan.Zero).AsTask());
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryStore(ttl: new StoreTtlOptions { DefaultTtl = TimeSpan.FromMinutes(-1) }));
    }

    [Fact]
    public async Task The_sweeper_removes_expired_items_each_interval_and_stops_on_dispose()
    {
        var time = new ManualTimeProvider(Start);
        var store = new InMemoryStore(ttl: new StoreTtlOptions { SweepInterval = TimeSpan.FromMinutes(1) }, time: time);
        await store.PutAsync(["tmp"], "short", Json("{}"), ttl: TimeSpan.FromSeconds(30));
        await store.PutAsync(["tmp"], "kept", Json("{}"));

        store.StartSweeper();
        store.StartSweeper();
        Assert.Equal(1, time.ActiveTimers);
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntil(() => store.CountIncludingExpired() == 1);

        await store.DisposeAsync();
        Assert.Equal(0, time.ActiveTimers);
        Assert.NotNull(await store.GetAsync(["tmp"], "kept"));
        Assert.Throws<ObjectDisposedException>(store.StartSweeper);
    }

    // ---- batch ---------------------------------------------------------------------------------------------

    [Fact]
    public async Task Batch_runs_operations_in_order_and_returns_their_results_in_order()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["old"], "o", Json("{}"));

        var results = await store.BatchAsync([
            new PutOperation(["b"], "k", Json("""{"v": 1}""")),
            new GetOperation(["b"], "k"),
            new SearchOperation([], Filter: new Dictionary<string, object?> { ["v"] = 1 }),
            new ListNamespacesOperation(),
            new PutOperation(["b"], "k", null),
            new GetOperation(["b"], "k"),
            new ListNamespacesOperation(Suffix: ["b"]),
        ]);

        Assert.Equal(7, results.Count);
        Assert.Null(results[0]);
        Assert.Equal(1, Assert.IsType<Item>(results[1]).Value.GetProperty("v").GetInt32());
        Assert.Equal(["k"], Keys(Assert.IsAssignableFrom<IReadOnlyList<SearchItem>>(results[2])));
        Assert.Equal([["b"], ["old"]], Labels(Assert.IsAssignableFrom<IReadOnlyList<IReadOnlyList<string>>>(results[3])));
        Assert.Null(results[4]);
        Assert.Null(results[5]);
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<IReadOnlyList<string>>>(results[6]));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static JsonElement Json(string json) => JsonElement.Parse(json);

    private static async Task<InMemoryStore> PeopleStore()
    {
        var store = new InMemoryStore();
        await store.PutAsync(["people"], "ada", Json("""{"name": "ada", "score": 1, "meta": {"level": "low", "tags": ["x", "y"]}}"""));
        await store.PutAsync(["people"], "bob", Json("""{"name": "bob", "score": 2.5, "meta": {"level": "mid"}}"""));
        await store.PutAsync(["people"], "cy", Json("""{"name": "cy", "score": 4, "meta": {"level": "high", "tags": ["y", "z"]}, "extra": true}"""));
        return store;
    }

    /// <summary>A filter written as JSON, turned into the .NET values callers pass (operator objects as dictionaries).</summary>
    private static Dictionary<string, object?> Filter(string json) =>
        Json(json).EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value));

    private static object? ToClr(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToClr(p.Value)),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => throw new NotSupportedException(element.ValueKind.ToString()),
    };

    private static IEnumerable<string> Keys(IEnumerable<Item> items, bool sorted = true)
    {
        var keys = items.Select(item => item.Key);
        return sorted ? keys.Order(StringComparer.Ordinal).ToList() : keys.ToList();
    }

    private static List<string[]> Labels(IEnumerable<IReadOnlyList<string>> namespaces) => namespaces.Select(ns => ns.ToArray()).ToList();

    /// <summary>Waits for work the store does in the background; fails instead of hanging if it never happens.</summary>
    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The background work did not happen within 10 seconds.");
            await Task.Delay(10);
        }
    }
}

/// <summary>
/// A deterministic embedder: bag of words hashed into 16 dimensions, so texts that share words point the same
/// way. Records every text it was asked to embed.
/// </summary>
internal sealed class HashingEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 16;

    private readonly List<string> _texts = [];

    public IReadOnlyList<string> Texts
    {
        get { lock (_texts) return [.. _texts]; }
    }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        lock (_texts) _texts.AddRange(texts);
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(Embed)));
    }

    private static Embedding<float> Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            vector[Fnv1a(word) % Dimensions] += 1;
        return new Embedding<float>(vector);
    }

    // string.GetHashCode is randomized per process; FNV-1a keeps the buckets the same on every run.
    private static uint Fnv1a(string word)
    {
        var hash = 2166136261u;
        foreach (var c in word) hash = (hash ^ c) * 16777619u;
        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }
}

/// <summary>A clock the test moves by hand; its timers fire when <see cref="Advance"/> passes their due time.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public int ActiveTimers
    {
        get { lock (_timers) return _timers.Count; }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_timers) return _now;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_timers)
        {
            _now += by;
            due = _timers.Where(timer => timer.DueAt <= _now).ToList();
        }
        foreach (var timer in due) timer.Fire();
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        lock (_timers) _timers.Add(timer);
        return timer;
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : clock.GetUtcNow() + dueTime;
            _period = period;
            return true;
        }

        public void Fire()
        {
            DueAt = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : clock.GetUtcNow() + _period;
            callback(state);
        }

        public void Dispose()
        {
            lock (clock._timers) clock._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
