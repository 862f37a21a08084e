using GraphGen.Checkpointing;
using GraphGen.Tests.Checkpointing;
using GraphGen.Tests.Serialization;
using GraphGen.Tests.States;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Graph;

/// <summary>
/// Delta storage through a compiled graph: a turn that appends to a chat thread passes <see cref="Checkpoint.Appends"/>
/// for the messages, and what is stored and read back is what a full write would have stored.
/// </summary>
public sealed class AppendedCheckpointTests
{
    private const string Messages = "messages";

    private static ChatState.Update User(string text) => new() { Messages = [new(ChatRole.User, text)] };

    private static CompiledGraph<ChatState> Echo(ICheckpointSaver saver) => new StateGraph<ChatState>()
        .AddNode("respond", s => new ChatState.Update { Messages = [new(ChatRole.Assistant, "echo: " + s.Messages[^1].Text)] })
        .AddEdge(GraphGen.Graph.Start, "respond")
        .AddEdge("respond", GraphGen.Graph.End)
        .Compile(new CompileOptions { Checkpointer = saver });

    [Fact]
    public async Task A_turn_on_a_ten_message_thread_passes_appends_on_the_stored_messages_and_stores_the_same_bytes()
    {
        var saver = new RecordingSaver(new InMemorySaver());
        var app = Echo(saver);
        var config = GraphConfig.ForThread("chat");
        for (var turn = 0; turn < 5; turn++)
        {
            await app.InvokeAsync(User($"question {turn} ✓ \"quoted\""), config);
        }
        var head = (await saver.GetTupleAsync(new CheckpointConfig("chat"), TestContext.Current.CancellationToken))!.Checkpoint;
        Assert.Equal(10, RoundTrip.Schema<ChatState>().ReadState(head.ChannelValues).Messages.Count);
        saver.Clear();

        var result = await app.InvokeAsync(User("question 5"), config);

        // The input step appends the user's message and the respond step the answer: each put extends the one before.
        var baseVersion = head.ChannelVersions[Messages];
        var baseBytes = head.ChannelValues[Messages];
        var puts = saver.Puts.Where(p => p.NewVersions.ContainsKey(Messages)).ToList();
        Assert.Equal(2, puts.Count);
        foreach (var put in puts)
        {
            Assert.True(put.Checkpoint.Appends.TryGetValue(Messages, out var append), "A put that appends a message passes no append for it.");
            Assert.Equal(baseVersion, append.BaseVersion);
            Assert.Equal(baseBytes.Length - 1, append.SharedPrefix);
            var bytes = put.Checkpoint.ChannelValues[Messages];
            Assert.True(bytes.Span[..append.SharedPrefix].SequenceEqual(baseBytes.Span[..append.SharedPrefix]));
            baseVersion = put.NewVersions[Messages];
            baseBytes = bytes;
        }

        // What was stored is what writing the whole list gives, and reads back as the same messages.
        var schema = RoundTrip.Schema<ChatState>();
        var whole = schema.SerializeChannel(result.State, schema.IndexOf(Messages));
        Assert.Equal(Text(whole), Text(baseBytes));
        var stored = (await saver.GetTupleAsync(new CheckpointConfig("chat"), TestContext.Current.CancellationToken))!.Checkpoint;
        Assert.Equal(Text(whole), Text(stored.ChannelValues[Messages]));
        var readBack = (await Echo(saver).GetStateAsync(config)).Values;
        Assert.Equal(result.State.Messages.Select(m => (m.Role, m.Text, m.MessageId)), readBack.Messages.Select(m => (m.Role, m.Text, m.MessageId)));
        Assert.Equal(12, readBack.Messages.Count);
        Assert.Equal(Text(whole), Text(schema.SerializeChannel(readBack, schema.IndexOf(Messages))));
    }

    [Fact]
    public async Task A_turn_hands_the_messages_over_as_extensions_of_the_stored_value_without_joining_them()
    {
        var saver = new RecordingSaver(new InMemorySaver());
        var app = Echo(saver);
        var config = GraphConfig.ForThread("chat");
        for (var turn = 0; turn < 5; turn++)
        {
            await app.InvokeAsync(User($"question {turn}"), config);
        }
        var stored = (await saver.GetTupleAsync(new CheckpointConfig("chat"), TestContext.Current.CancellationToken))!.Checkpoint.GetChannelBytes(Messages);
        saver.Clear();

        await app.InvokeAsync(User("question 5"), config);

        // The input step extends the value the saver read back; the respond step extends the input step's.
        var handedOver = saver.Puts.Where(p => p.NewVersions.ContainsKey(Messages)).Select(p => p.Checkpoint.GetChannelBytes(Messages)!).ToList();
        Assert.Equal(2, handedOver.Count);
        Assert.Same(stored, handedOver[0].Base);
        Assert.Same(handedOver[0], handedOver[1].Base);
        Assert.All(handedOver, value => Assert.True(value.Suffix.Length < value.Length / 4, $"A suffix of {value.Suffix.Length} bytes for a list of {value.Length}: more than the new message."));
    }

    [Fact]
    public async Task Extensions_of_an_empty_list_by_none_one_and_several_items_join_to_the_whole_list()
    {
        var saver = new RecordingSaver(new InMemorySaver());
        var app = new StateGraph<FanOutState>()
            .AddNode("add", s => new FanOutState.Update { Total = 1 })
            .AddEdge(GraphGen.Graph.Start, "add")
            .AddEdge("add", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver });
        var config = GraphConfig.ForThread("items");
        var expected = new List<string>();

        // "[]" extended by nothing, by one item (no comma after "["), by two (the tail's "[" becomes the comma), by
        // nothing again, then in a second run from the value the saver read back.
        foreach (var items in new[] { Array.Empty<string>(), ["1"], ["2", "3"], [], ["4 \"quoted\" é"] })
        {
            saver.Clear();
            var result = await app.InvokeAsync(new FanOutState.Update { Items = [.. items] }, config);
            expected.AddRange(items);

            Assert.Equal(expected, result.State.Items);
            var schema = RoundTrip.Schema<FanOutState>();
            var wholeJson = Text(schema.SerializeChannel(result.State, schema.IndexOf("items")));
            foreach (var put in saver.Puts.Where(p => p.NewVersions.ContainsKey("items")))
            {
                Assert.Equal(wholeJson, Text(put.Checkpoint.ChannelValues["items"]));
            }
        }
        var stored = (await saver.GetTupleAsync(new CheckpointConfig("items"), TestContext.Current.CancellationToken))!.Checkpoint;
        Assert.NotNull(stored.GetChannelBytes("items")!.Base);
        Assert.Equal(["1", "2", "3", "4 \"quoted\" é"], (await app.GetStateAsync(config)).Values.Items);
    }

    [Fact]
    public async Task A_chat_trimmed_at_its_limit_is_stored_whole()
    {
        var saver = new RecordingSaver(new InMemorySaver());
        var app = new StateGraph<TrimmedChatState>()
            .AddNode("respond", s => new TrimmedChatState.Update { Messages = [new(ChatRole.Assistant, "echo: " + s.Messages[^1].Text)] })
            .AddEdge(GraphGen.Graph.Start, "respond")
            .AddEdge("respond", GraphGen.Graph.End)
            .Compile(new CompileOptions { Checkpointer = saver });
        var config = GraphConfig.ForThread("trimmed");
        for (var turn = 0; turn < 5; turn++)
        {
            await app.InvokeAsync(new TrimmedChatState.Update { Messages = [new(ChatRole.User, $"q{turn}")] }, config);
        }
        saver.Clear();

        var result = await app.InvokeAsync(new TrimmedChatState.Update { Messages = [new(ChatRole.User, "q5")] }, config);

        // Each write drops the oldest message: the list did not only grow, so nothing is appended.
        var puts = saver.Puts.Where(p => p.NewVersions.ContainsKey(Messages)).ToList();
        Assert.Equal(2, puts.Count);
        Assert.All(puts, p => Assert.False(p.Checkpoint.Appends.ContainsKey(Messages)));
        Assert.Equal(TrimmedChatState.KeepLast, result.State.Messages.Count);
        Assert.Equal("q1", result.State.Messages[0].Text);
        var schema = RoundTrip.Schema<TrimmedChatState>();
        Assert.Equal(Text(schema.SerializeChannel(result.State, 0)), Text(puts[^1].Checkpoint.ChannelValues[Messages]));
    }

    private static string Text(ReadOnlyMemory<byte> json) => System.Text.Encoding.UTF8.GetString(json.Span);
}
