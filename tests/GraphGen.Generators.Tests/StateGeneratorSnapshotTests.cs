using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;

namespace GraphGen.Generators.Tests;

/// <summary>
/// The StateGenerator's output for each state shape, compared with committed snapshots: the state's file and the shared
/// serializer class (<c>GraphGen.Generated.GraphStateJson</c>) its types end up in. Inputs are kept to one or two
/// properties. What each shape must do at run time is checked in <see cref="GeneratedStateTests"/>.
/// </summary>
public class StateGeneratorSnapshotTests
{
    /// <summary>
    /// Runs the StateGenerator alone, asserts a clean run producing exactly <paramref name="hint"/> and the shared
    /// serializer class, and matches the snapshot of both.
    /// </summary>
    internal static GeneratorRun Verify(string testName, string hint, params string[] sources)
    {
        var run = GeneratorHarness.Run(new StateGenerator(), sources);
        run.AssertSuccess();
        Assert.Equal(new[] { hint, SerializerEmitter.SharedHintName }.Order(StringComparer.Ordinal), run.GeneratedSources.Keys);
        Snapshot.Match(testName, run.GeneratedSources);
        return run;
    }

    [Fact]
    public void Minimal_state_in_a_namespace()
    {
        var run = Verify("State_Minimal", "Sample.States.Counter.GraphState.g.cs", Sources.Counter);

        var text = run.GeneratedSources["Sample.States.Counter.GraphState.g.cs"];
        Assert.Contains("namespace Sample.States;", text);
        Assert.Contains("partial record Counter : global::GraphGen.IGraphState<global::Sample.States.Counter>", text);
        // No list channel, no override: the base class's TryWriteAppended returns false.
        Assert.DoesNotContain("TryWriteAppended", text);
    }

    [Fact]
    public void State_in_the_global_namespace()
    {
        var run = Verify("State_GlobalNamespace", "GlobalCounter.GraphState.g.cs", """
            [GraphGen.GraphState]
            public partial record GlobalCounter
            {
                public int Count { get; init; }
            }
            """);

        var text = run.GeneratedSources["GlobalCounter.GraphState.g.cs"];
        Assert.DoesNotContain("namespace", text);
        Assert.Contains("global::GraphGen.IGraphState<global::GlobalCounter>", text);
    }

    [Fact]
    public void State_nested_in_a_class_and_a_record()
    {
        var run = Verify("State_Nested", "Sample.States.Outer.Middle.Inner.GraphState.g.cs", """
            using GraphGen;

            namespace Sample.States;

            public static partial class Outer
            {
                internal partial record Middle
                {
                    [GraphState]
                    public partial record Inner
                    {
                        public int Count { get; init; }
                    }
                }
            }
            """);

        var text = run.GeneratedSources["Sample.States.Outer.Middle.Inner.GraphState.g.cs"];
        Assert.Contains("partial class Outer\n{\n    partial record Middle\n    {\n        partial record Inner : global::GraphGen.IGraphState<global::Sample.States.Outer.Middle.Inner>", text);
    }

    [Fact]
    public void Record_struct_with_Append_and_Sum()
    {
        var run = Verify("State_RecordStruct", "Sample.States.Tally.GraphState.g.cs", GeneratedStateTests.Tally);

        var text = run.GeneratedSources["Sample.States.Tally.GraphState.g.cs"];
        Assert.Contains("partial record struct Tally", text);
        // Append's update is the items to add, not a whole list; Sum's is the amount.
        Assert.Contains("public global::System.Collections.Generic.IEnumerable<string> Items", text);
        Assert.Contains("public long Total", text);
        Assert.Contains("__items = global::GraphGen.Append.Reduce(__items, update.Items);", text);
        Assert.Contains("__total = global::GraphGen.Sum.Reduce(__total, update.Total);", text);
        Assert.Contains("return state with { Items = __items, Total = __total };", text);
        // Append on an immutable list only ever adds items, so a checkpoint does not compare them.
        Assert.Matches(@"0 => WriteAppended_ImmutableList_string_[0-9a-f]{8}\(writer, previous\.Items, current\.Items, onlyGrew: true\),", text);
    }

    [Fact]
    public void Plain_class_with_init_and_set_properties()
    {
        var run = Verify("State_PlainClass", "Sample.States.Profile.GraphState.g.cs", GeneratedStateTests.Profile);

        // No `with` on a class: the new state is built with an object initializer (so init-only properties work).
        var text = run.GeneratedSources["Sample.States.Profile.GraphState.g.cs"];
        Assert.Contains("partial class Profile :", text);
        Assert.DoesNotContain(" with {", text);
        Assert.Contains("return new global::Sample.States.Profile { Name = __name, Age = __age };", text);
    }

    [Fact]
    public void Chat_state_with_AddMessages_Trim_and_a_nullable_string()
    {
        var run = Verify("State_Chat", "Sample.States.Chat.GraphState.g.cs", GeneratedStateTests.Chat);

        var text = run.GeneratedSources["Sample.States.Chat.GraphState.g.cs"];
        Assert.Contains(
            "__messages = global::GraphGen.Trim.KeepLast(global::GraphGen.AddMessages.Reduce(__messages, update.Messages), 10, keepSystem: true);",
            text);
        Assert.Contains("public string? Summary", text);
        Assert.Contains("new(\"summary\", IsLastValue: true),", text);
        // The messages' new items are written by the item writer the whole list's writer uses; the summary has no case.
        // AddMessages may replace messages, so the items are compared.
        var appended = System.Text.RegularExpressions.Regex.Match(text, @"0 => (WriteAppended_ImmutableList_ChatMessage_[0-9a-f]{8})\(writer, previous\.Messages, current\.Messages, onlyGrew: false\),").Groups[1].Value;
        Assert.NotEmpty(appended);
        var shared = run.GeneratedSources["GraphGen.Generated.GraphStateJson.g.cs"];
        var itemWriter = System.Text.RegularExpressions.Regex.Match(shared, appended + @"\(.*\) =>\n\s*global::GraphGen\.ListAppend\.TryWrite\(writer, previous, current, (Write_ChatMessage_[0-9a-f]{8}), onlyGrew\);").Groups[1].Value;
        Assert.NotEmpty(itemWriter);
        Assert.Contains($"foreach (var item in value)\n            {{\n                {itemWriter}(writer, item);", shared);
        Assert.DoesNotContain("1 => WriteAppended_", text);
    }

    [Fact]
    public void User_reducers_generic_and_not_with_the_overload_taking_the_property_type()
    {
        var run = Verify("State_UserReducers", "Sample.States.Custom.GraphState.g.cs", GeneratedStateTests.Custom);

        // Tags.Reduce has three overloads. For ImmutableList<string>, both generic ones fit; the one taking the
        // property type itself wins over the one taking an interface (declared first), so the update is one string.
        // For int, only the non-generic one fits.
        var text = run.GeneratedSources["Sample.States.Custom.GraphState.g.cs"];
        Assert.Contains("public string Labels", text);
        Assert.Contains("public int Digits", text);
        Assert.Contains("__labels = global::Sample.States.Tags.Reduce(__labels, update.Labels);", text);
        Assert.Contains("__digits = global::Sample.States.Tags.Reduce(__digits, update.Digits);", text);
    }
}
