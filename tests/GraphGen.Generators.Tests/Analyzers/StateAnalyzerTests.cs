using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests.Analyzers;

/// <summary>The state rules, each with a case it reports and a close case it must not.</summary>
public class StateAnalyzerTests
{
    [Fact]
    public void A_state_that_is_not_partial_is_GG0001()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public record {|GG0001:Chat|}
            {
                public int Turn { get; init; }
            }
            """));
        Assert.Equal("'Chat' must be partial (with every type containing it) so the generator can add its members", diagnostic.GetMessage());
    }

    [Fact]
    public void A_partial_state_nested_in_a_type_that_is_not_partial_is_GG0001()
    {
        AnalyzerHarness.Verify("""
            public class Host
            {
                [GraphGen.GraphState]
                public partial record {|GG0001:Chat|}
                {
                    public int Turn { get; init; }
                }
            }
            """);
    }

    [Fact]
    public void A_valid_state_reports_nothing()
    {
        AnalyzerHarness.Verify("""
            using System.Collections.Immutable;
            using GraphGen;

            public record Tool(string Name, ImmutableList<string> Arguments);

            [GraphState]
            public partial record Chat
            {
                [Reducer(typeof(Append))]
                public ImmutableList<Tool> Tools { get; init; } = [];

                public ImmutableDictionary<string, int> Scores { get; init; } = ImmutableDictionary<string, int>.Empty;

                public string? Summary { get; init; }
            }
            """);
    }

    [Fact]
    public void A_delegate_deep_in_a_member_is_GG0002_with_its_path()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            using System;
            using System.Collections.Immutable;

            public record Tool
            {
                public string Name { get; init; } = "";

                public Func<string>? Handler { get; init; }
            }

            [GraphGen.GraphState]
            public partial record ChatState
            {
                public ImmutableList<Tool> {|GG0002:Tools|} { get; init; } = [];
            }
            """));
        Assert.StartsWith("'ChatState.Tools[].Handler: Func<string>' cannot be stored in a checkpoint: delegates are code, not data", diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("System.IO.Stream", "Stream", "framework type")]
    [InlineData("System.Threading.Tasks.Task<int>", "Task<int>", "framework type")]
    [InlineData("System.Net.Http.HttpClient", "HttpClient", "framework type")]
    [InlineData("object", "object", "object has no shape")]
    [InlineData("System.IDisposable", "IDisposable", "an interface has no shape")]
    [InlineData("int[,]", "int[*,*]", "multi-dimensional arrays")]
    [InlineData("System.Collections.Generic.IReadOnlyDictionary<double, int>", "double", "dictionary keys")]
    public void A_member_that_holds_no_plain_data_is_GG0002(string type, string shown, string reason)
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify($$"""
            [GraphGen.GraphState]
            public partial record Work
            {
                public {{type}}? {|GG0002:Value|} { get; init; }
            }
            """));
        Assert.Contains($"'Work.Value", diagnostic.GetMessage());
        Assert.Contains(shown, diagnostic.GetMessage());
        Assert.Contains(reason, diagnostic.GetMessage());
    }

    [Fact]
    public void A_member_with_an_escape_hatch_is_not_GG0002()
    {
        AnalyzerHarness.Verify("""
            using System.Text.Json;
            using System.Text.Json.Serialization;

            public interface IShape { }

            public sealed class ShapeConverter : JsonConverter<IShape>
            {
                public override IShape Read(ref Utf8JsonReader reader, System.Type type, JsonSerializerOptions options) => throw new System.NotSupportedException();
                public override void Write(Utf8JsonWriter writer, IShape value, JsonSerializerOptions options) => writer.WriteNullValue();
            }

            [GraphGen.GraphState]
            public partial record Drawing
            {
                [JsonConverter(typeof(ShapeConverter))]
                public IShape? Shape { get; init; }
            }
            """);
    }

    [Fact]
    public void Mutable_collections_are_GG0003_with_the_immutable_type_to_use()
    {
        var diagnostics = AnalyzerHarness.Verify("""
            using System.Collections.Generic;
            using System.Collections.Immutable;

            public record Note(string Text, List<string> Tags);

            [GraphGen.GraphState]
            public partial record Board
            {
                public List<string> {|GG0003:Items|} { get; init; } = [];

                public Dictionary<string, int> {|GG0003:Counts|} { get; init; } = [];

                public ImmutableList<Note> {|GG0003:Notes|} { get; init; } = [];
            }
            """);
        Assert.Equal(
            ["'Board.Items' is a mutable collection", "'Board.Counts' is a mutable collection", "'Board.Notes[].Tags' is a mutable collection"],
            diagnostics.Select(d => d.GetMessage()[..d.GetMessage().IndexOf(';', StringComparison.Ordinal)]));
        Assert.EndsWith("Use ImmutableList<string>.", diagnostics[0].GetMessage());
        Assert.EndsWith("Use ImmutableDictionary<string, int>.", diagnostics[1].GetMessage());
    }

    [Fact]
    public void A_settable_property_is_GG0004_and_init_is_not()
    {
        AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public partial record Counter
            {
                public int {|GG0004:Count|} { get; set; }

                public int Total { get; init; }
            }
            """);
    }

    [Fact]
    public void A_reducer_that_does_not_take_the_property_type_is_GG0005()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            using GraphGen;

            [GraphState]
            public partial record Misfit
            {
                [Reducer(typeof(Append))]
                public int {|GG0005:Count|} { get; init; }
            }
            """));
        Assert.Equal(
            "[Reducer(typeof(Append))] does not fit 'Count': Append has no public static Reduce(current, update) whose current parameter takes int and whose result converts back to it",
            diagnostic.GetMessage());
    }

    [Fact]
    public void Trim_on_a_list_that_is_not_an_ImmutableList_is_GG0005()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;
            using System.Collections.Immutable;

            [GraphState]
            public partial record Log
            {
                [Reducer(typeof(Append)), Trim(10)]
                public ImmutableArray<string> {|GG0005:Lines|} { get; init; } = [];
            }
            """);
    }

    [Fact]
    public void A_positional_record_is_GG0006_saying_what_to_write_instead()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public partial record {|GG0006:Point|}(int X, int Y);
            """));
        Assert.Contains("positional records are not supported", diagnostic.GetMessage());
    }

    [Fact]
    public void A_get_only_property_is_GG0006_at_the_property()
    {
        AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public partial record Computed
            {
                public int Count { get; init; }

                public int {|GG0006:Twice|} => Count * 2;
            }
            """);
    }

    [Fact]
    public void Every_bad_member_is_reported_not_only_the_first()
    {
        AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public partial record Many
            {
                public System.Action? {|GG0002:First|} { get; init; }

                public object? {|GG0002:Second|} { get; init; }
            }
            """);
    }

    [Fact]
    public void A_pragma_suppresses_a_warning()
    {
        AnalyzerHarness.Verify("""
            [GraphGen.GraphState]
            public partial record Counter
            {
            #pragma warning disable GG0004
                public int Count { get; set; }
            #pragma warning restore GG0004
            }
            """);
    }
}
