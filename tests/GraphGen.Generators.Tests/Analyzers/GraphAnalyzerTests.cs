using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests.Analyzers;

/// <summary>The graph rules: shapes the generator cannot wire, and wiring the runtime would reject or loop on.</summary>
public class GraphAnalyzerTests
{
    private const string State = """
        using GraphGen;

        [GraphState]
        public partial record Flow
        {
            public int Step { get; init; }
        }
        """;

    [Fact]
    public void A_well_wired_graph_reports_nothing()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            [Edge(nameof(Plan), "act")]
            [Edge("act", Graph.End)]
            public static partial class Agent
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new() { Step = state.Step + 1 };

                [Node("act")]
                public static Flow.Update Act(Flow state) => new() { Step = state.Step + 1 };
            }
            """, State);
    }

    [Fact]
    public void An_edge_to_an_unknown_node_is_GG0011_naming_the_known_ones()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            [{|GG0011:Edge(nameof(Plan), "acct")|}]
            public static partial class Agent
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new();

                [Node("act")]
                public static Flow.Update Act(Flow state) => new();
            }
            """, State));
        Assert.Equal("An [Edge] names 'acct', which is not a node of Agent; known nodes: Plan, act", diagnostic.GetMessage());
    }

    [Fact]
    public void A_route_to_an_unknown_node_is_GG0011()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            public static partial class Agent
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new();

                [Route(From = nameof(Plan), To = ["plan", Graph.End])]
                public static string {|GG0011:Next|}(Flow state) => Graph.End;
            }
            """, State);
    }

    [Fact]
    public void A_node_nothing_leads_to_is_GG0012()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            [Edge(nameof(Plan), Graph.End)]
            public static partial class Agent
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new();

                [Node]
                public static Flow.Update {|GG0012:Forgotten|}(Flow state) => new();
            }
            """, State);
    }

    [Fact]
    public void A_loop_with_no_way_out_is_GG0013_and_a_loop_with_a_route_out_is_not()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            [Edge(nameof(Ping), nameof(Pong))]
            [Edge(nameof(Pong), nameof(Ping))]
            public static partial class Loop
            {
                [Node, Entry]
                public static Flow.Update {|GG0013:Ping|}(Flow state) => new();

                [Node]
                public static Flow.Update {|GG0013:Pong|}(Flow state) => new();
            }

            [Graph<Flow>]
            [Edge(nameof(Ping), nameof(Pong))]
            public static partial class Bounded
            {
                [Node, Entry]
                public static Flow.Update Ping(Flow state) => new() { Step = state.Step + 1 };

                [Node]
                public static Flow.Update Pong(Flow state) => new();

                [Route(From = nameof(Pong), To = [nameof(Ping), Graph.End])]
                public static string Again(Flow state) => state.Step < 3 ? nameof(Ping) : Graph.End;
            }
            """, State);
    }

    [Fact]
    public void A_graph_class_that_is_not_static_is_GG0010_and_not_partial_is_GG0001()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            public partial class {|GG0010:Instance|}
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new();
            }

            [Graph<Flow>]
            public static class {|GG0001:Whole|}
            {
                [Node, Entry]
                public static Flow.Update Plan(Flow state) => new();
            }
            """, State);
    }

    [Fact]
    public void A_node_method_returning_something_else_is_GG0010_at_the_method()
    {
        var diagnostic = Assert.Single(AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            public static partial class Agent
            {
                [Node, Entry]
                public static int {|GG0010:Plan|}(Flow state) => 1;
            }
            """, State));
        Assert.Contains("node method 'Plan' must return Flow.Update", diagnostic.GetMessage());
    }

    [Fact]
    public void A_graph_without_an_entry_is_GG0010()
    {
        AnalyzerHarness.Verify("""
            using GraphGen;

            [Graph<Flow>]
            public static partial class {|GG0010:Agent|}
            {
                [Node]
                public static Flow.Update Plan(Flow state) => new();
            }
            """, State);
    }
}
