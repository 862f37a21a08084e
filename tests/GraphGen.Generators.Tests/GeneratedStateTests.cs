using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests;

/// <summary>
/// Generated states at run time: each input is compiled with the StateGenerator's output and a small <c>Probe.Run()</c>
/// that drives the generated schema (reducers, trimming, rebuilding the state, JSON round trip) and returns what it saw.
/// </summary>
public class GeneratedStateTests
{
    public const string Tally = """
        using System.Collections.Immutable;
        using GraphGen;

        namespace Sample.States;

        [GraphState]
        public partial record struct Tally
        {
            public Tally() { }

            [Reducer(typeof(Append))]
            public ImmutableList<string> Items { get; init; } = [];

            [Reducer(typeof(Sum))]
            public long Total { get; init; }
        }
        """;

    public const string Profile = """
        using GraphGen;

        namespace Sample.States;

        [GraphState]
        public partial class Profile
        {
            public string Name { get; init; } = "";

            public int Age { get; set; }
        }
        """;

    public const string Chat = """
        using System.Collections.Immutable;
        using GraphGen;
        using Microsoft.Extensions.AI;

        namespace Sample.States;

        [GraphState]
        public partial record Chat
        {
            [Reducer(typeof(AddMessages)), Trim(10, KeepSystem = true)]
            public ImmutableList<ChatMessage> Messages { get; init; } = [];

            public string? Summary { get; init; }
        }
        """;

    /// <summary>
    /// A user reducer with three overloads: for an <c>ImmutableList&lt;T&gt;</c> both generic ones fit, and the one
    /// taking an interface is declared first, so a resolver that takes the first fit picks the wrong one.
    /// </summary>
    public const string Custom = """
        using System.Collections.Generic;
        using System.Collections.Immutable;
        using GraphGen;

        namespace Sample.States;

        public static class Tags
        {
            public static ImmutableList<T> Reduce<T>(IEnumerable<T> current, ImmutableList<T> update) => [.. update, .. current];

            public static ImmutableList<T> Reduce<T>(ImmutableList<T> current, T update) => current.Add(update);

            public static int Reduce(int current, int update) => current * 10 + update;
        }

        [GraphState]
        public partial record Custom
        {
            [Reducer(typeof(Tags))]
            public ImmutableList<string> Labels { get; init; } = [];

            [Reducer(typeof(Tags))]
            public int Digits { get; init; }
        }
        """;

    /// <summary>A <c>Probe</c> class whose <c>Run()</c> returns <paramref name="body"/>'s string; <c>SchemaOf&lt;T&gt;()</c> reaches a generated schema.</summary>
    private static string Probe(string body) => $$"""
        using System.Linq;
        using GraphGen;
        using Microsoft.Extensions.AI;

        namespace Sample.States;

        public static class Probe
        {
            private static StateSchema<T> SchemaOf<T>() where T : IGraphState<T> => T.Schema;

            public static string Run()
            {
        {{body}}
            }
        }
        """;

    /// <summary>Generates, compiles and loads <paramref name="state"/> with the probe, and returns what <c>Probe.Run()</c> returns.</summary>
    private static string RunProbe(string state, string body)
    {
        var run = GeneratorHarness.Run(new StateGenerator(), state, Probe(body));
        run.AssertSuccess();
        using var loaded = GeneratorHarness.CompileAndLoad(run.OutputCompilation);
        return loaded.StaticMethod<Func<string>>("Sample.States.Probe", "Run")();
    }

    [Fact]
    public void A_minimal_state_applies_last_values_and_round_trips()
    {
        var seen = RunProbe(Sources.Counter, """
                    var schema = SchemaOf<Counter>();
                    var state = schema.Apply(schema.CreateInitial(), [new Counter.Update { Count = 4 }, new Counter.Update(), new Counter.Update { Count = 7 }]);
                    var back = schema.DeserializeState(schema.SerializeState(state));
                    return $"{string.Join(",", schema.Channels.Select(c => c.Name))}|{state.Count}|{back.Count}|{System.Text.Encoding.UTF8.GetString(schema.SerializeState(state))}";
            """);

        Assert.Equal("count|7|7|{\"count\":7}", seen);
    }

    [Fact]
    public void A_record_struct_appends_and_sums_and_round_trips()
    {
        var seen = RunProbe(Tally, """
                    var schema = SchemaOf<Tally>();
                    var state = schema.Apply(schema.CreateInitial(),
                        [new Tally.Update { Items = ["a"], Total = 2 }, new Tally.Update { Items = ["b", "c"] }, new Tally.Update { Total = 3 }]);
                    var back = schema.DeserializeState(schema.SerializeState(state));
                    return $"{string.Join(",", state.Items)}|{state.Total}|{string.Join(",", back.Items)}|{back.Total}";
            """);

        Assert.Equal("a,b,c|5|a,b,c|5", seen);
    }

    [Fact]
    public void A_plain_class_keeps_unwritten_properties_and_leaves_the_old_state_alone()
    {
        var seen = RunProbe(Profile, """
                    var schema = SchemaOf<Profile>();
                    var start = new Profile { Name = "ann", Age = 30 };
                    var older = schema.Apply(start, [new Profile.Update { Age = 31 }]);
                    var renamed = schema.Apply(older, [new Profile.Update { Name = "bo" }]);
                    return $"{start.Name}:{start.Age}|{older.Name}:{older.Age}|{renamed.Name}:{renamed.Age}|{ReferenceEquals(start, older)}";
            """);

        Assert.Equal("ann:30|ann:31|bo:31|False", seen);
    }

    [Fact]
    public void A_chat_state_merges_messages_trims_keeping_the_system_message_and_keeps_a_null_summary()
    {
        var seen = RunProbe(Chat, """
                    var schema = SchemaOf<Chat>();
                    var messages = new[] { new ChatMessage(ChatRole.System, "sys") }
                        .Concat(Enumerable.Range(0, 12).Select(i => new ChatMessage(ChatRole.User, $"u{i}")));
                    var state = schema.Apply(schema.CreateInitial(), [new Chat.Update { Messages = messages }]);
                    var back = schema.DeserializeState(schema.SerializeState(state));
                    var summarized = schema.Apply(back, [new Chat.Update { Summary = "s" }]);
                    return $"{state.Messages.Count}|{string.Join(",", state.Messages.Select(m => m.Text))}|{state.Summary ?? "null"}|"
                        + $"{string.Join(",", back.Messages.Select(m => m.Role.Value))}|{back.Summary ?? "null"}|{summarized.Summary}:{summarized.Messages.Count}";
            """);

        Assert.Equal(
            "10|sys,u3,u4,u5,u6,u7,u8,u9,u10,u11|null|system,user,user,user,user,user,user,user,user,user|null|s:10",
            seen);
    }

    [Fact]
    public void Types_only_the_state_can_see_are_serialized_inside_its_schema()
    {
        // Mood is private to Outer: the shared serializer class cannot name it, so the state's own schema writes
        // Mood, Mood?, the list and the dictionary keyed by it, and calls the shared class for int.
        var seen = RunProbe("""
            using System.Collections.Generic;
            using System.Collections.Immutable;
            using System.Linq;
            using GraphGen;

            namespace Sample.States;

            public static partial class Outer
            {
                private enum Mood { Calm, Loud }

                [GraphState]
                private partial record Diary
                {
                    public Mood Today { get; init; }

                    public Mood? Maybe { get; init; }

                    public ImmutableList<Mood> Past { get; init; } = [];

                    public Dictionary<Mood, int> Counts { get; init; } = [];
                }

                private static StateSchema<T> SchemaOf<T>() where T : IGraphState<T> => T.Schema;

                public static string Check()
                {
                    var schema = SchemaOf<Diary>();
                    var json = schema.SerializeState(new Diary { Today = Mood.Loud, Past = [Mood.Calm, Mood.Loud], Counts = new() { [Mood.Calm] = 2 } });
                    var back = schema.DeserializeState(json);
                    return $"{System.Text.Encoding.UTF8.GetString(json)}|{back.Today}|{back.Maybe?.ToString() ?? "null"}|{string.Join(",", back.Past)}|{back.Counts[Mood.Calm]}";
                }
            }
            """, """
                    return Outer.Check();
            """);

        Assert.Equal("""{"today":"Loud","maybe":null,"past":["Calm","Loud"],"counts":{"Calm":2}}|Loud|null|Calm,Loud|2""", seen);
    }

    [Fact]
    public void User_reducers_run_the_overload_picked_for_each_property()
    {
        var seen = RunProbe(Custom, """
                    var schema = SchemaOf<Custom>();
                    var state = schema.Apply(schema.CreateInitial(),
                        [new Custom.Update { Labels = "a", Digits = 1 }, new Custom.Update { Labels = "b", Digits = 2 }]);
                    return $"{string.Join(",", state.Labels)}|{state.Digits}|{string.Join(",", schema.Channels.Select(c => c.IsLastValue))}";
            """);

        Assert.Equal("a,b|12|False,False", seen);
    }
}
