namespace GraphGen.Generators.Tests.SelfTests;

/// <summary>Test inputs shared by the self-tests.</summary>
internal static class Inputs
{
    public const string Counter = """
        using GraphGen;

        namespace Sample;

        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }

            public int Twice() => Count * 2;
        }
        """;

    /// <summary><see cref="Counter"/> with a different method body: same shape, so an equal model.</summary>
    public const string CounterWithNewBody = """
        using GraphGen;

        namespace Sample;

        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }

            public int Twice() => Count + Count;
        }
        """;

    /// <summary><see cref="Counter"/> with one more property: a different model.</summary>
    public const string CounterWithLabel = """
        using GraphGen;

        namespace Sample;

        [GraphState]
        public partial record Counter
        {
            public int Count { get; init; }

            public string Label { get; init; } = "";

            public int Twice() => Count * 2;
        }
        """;

    public const string Chat = """
        using GraphGen;

        namespace Sample;

        [GraphState]
        public partial class Chat
        {
            public string Title { get; set; } = "";
        }
        """;

    public const string Unrelated = """
        namespace Sample;

        public static class Unrelated
        {
            public static int Answer => 42;
        }
        """;
}
