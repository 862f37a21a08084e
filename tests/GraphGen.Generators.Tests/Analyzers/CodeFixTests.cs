using GraphGen.CodeFixes;
using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests.Analyzers;

/// <summary>Each fix applies, its diagnostic disappears, and the project compiles (checked by <see cref="CodeFixHarness"/>).</summary>
public class CodeFixTests
{
    [Fact]
    public void Add_partial_to_the_state_and_the_type_containing_it()
    {
        var fixedSource = CodeFixHarness.Apply(new AddPartialCodeFix(), "GG0001", """
            public class Host
            {
                [GraphGen.GraphState]
                public record Chat
                {
                    public int Turn { get; init; }
                }
            }
            """);
        Assert.Equal("""
            public partial class Host
            {
                [GraphGen.GraphState]
                public partial record Chat
                {
                    public int Turn { get; init; }
                }
            }
            """, fixedSource);
    }

    [Fact]
    public void Add_partial_to_a_graph_class_without_modifiers()
    {
        var fixedSource = CodeFixHarness.Apply(new AddPartialCodeFix(), "GG0001", """
            [GraphGen.GraphState]
            partial record Flow
            {
                public int Step { get; init; }
            }

            [GraphGen.Graph<Flow>]
            static class Agent
            {
                [GraphGen.Node, GraphGen.Entry]
                public static Flow.Update Plan(Flow state) => new();
            }
            """);
        Assert.Contains("static partial class Agent", fixedSource);
    }

    [Fact]
    public void Replace_mutable_collections_with_immutable_ones_and_convert_their_initializers()
    {
        var fixedSource = CodeFixHarness.Apply(new ImmutableCollectionCodeFix(), "GG0003", """
            using System.Collections.Generic;

            [GraphGen.GraphState]
            public partial record Board
            {
                public List<string> Items { get; init; } = new() { "a", "b" };
            }
            """);
        Assert.Equal("""
            using System.Collections.Generic;
            using System.Collections.Immutable;

            [GraphGen.GraphState]
            public partial record Board
            {
                public ImmutableList<string> Items { get; init; } = ["a", "b"];
            }
            """, fixedSource);
    }

    [Fact]
    public void A_dictionary_becomes_an_ImmutableDictionary_starting_empty()
    {
        var fixedSource = CodeFixHarness.Apply(new ImmutableCollectionCodeFix(), "GG0003", """
            using System.Collections.Generic;
            using System.Collections.Immutable;

            [GraphGen.GraphState]
            public partial record Scores
            {
                public Dictionary<string, int> ByName { get; init; } = new();
            }
            """);
        Assert.Contains("public ImmutableDictionary<string, int> ByName { get; init; } = ImmutableDictionary<string, int>.Empty;", fixedSource);
    }

    [Fact]
    public void A_setter_becomes_init()
    {
        var fixedSource = CodeFixHarness.Apply(new InitOnlyCodeFix(), "GG0004", """
            [GraphGen.GraphState]
            public partial record Counter
            {
                public int Count { get; set; }
            }
            """);
        Assert.Contains("public int Count { get; init; }", fixedSource);
    }

    [Theory]
    [InlineData("await app.InvokeAsync(new Flow.Update());", "await app.InvokeAsync(new Flow.Update(), GraphConfig.ForThread(\"thread-1\"));")]
    [InlineData("await app.InvokeAsync(new Flow.Update(), null);", "await app.InvokeAsync(new Flow.Update(), GraphConfig.ForThread(\"thread-1\"));")]
    [InlineData("await app.GetStateAsync(new GraphConfig { CheckpointNs = \"sub\" });", "await app.GetStateAsync(new GraphConfig { ThreadId = \"thread-1\", CheckpointNs = \"sub\" });")]
    [InlineData("var config = new GraphConfig(); await app.GetStateAsync(config);", "var config = new GraphConfig { ThreadId = \"thread-1\" }; await app.GetStateAsync(config);")]
    public void A_call_without_a_thread_gets_one(string call, string expected)
    {
        const string Program = """
            using System.Threading.Tasks;
            using GraphGen;
            using GraphGen.Checkpointing;

            public static class Program
            {
                public static async Task Run()
                {
                    var app = Agent.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver() });
                    CALL
                }
            }
            """;
        var fixedSource = CodeFixHarness.Apply(new AddThreadIdCodeFix(), "GG0020", Program.Replace("CALL", call), Sources.AgentGraph);
        Assert.Equal(Program.Replace("CALL", expected), fixedSource);
    }
}
