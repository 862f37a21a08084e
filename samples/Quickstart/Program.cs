using GraphGen;
using GraphGen.Checkpointing;
using Microsoft.Extensions.AI;
using Quickstart;

// GraphGen quick start: state that survives between calls, per conversation thread.
ICheckpointSaver saver = new InMemorySaver();

// 1. A counter. Each call on a thread continues from that thread's last checkpoint.
var counter = new StateGraph<CounterState>()
    .AddNode("increment", s => new CounterState.Update { Count = s.Count + 1 })
    .AddEdge(Graph.Start, "increment")
    .AddEdge("increment", Graph.End)
    .Compile(new CompileOptions { Checkpointer = saver });

Console.WriteLine("== Counter ==");
foreach (var thread in new[] { "1", "1", "2" })
{
    var result = await counter.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread(thread));
    Console.WriteLine($"thread {thread}: count = {result.State.Count}");
}

// 2. A chatbot with memory. The "model" is offline and deterministic: it remembers a name only if the
//    thread's own history contains it, which shows that threads never see each other's messages.
var chatbot = new StateGraph<ChatState>()
    .AddNode("chat", s => new ChatState.Update { Messages = [new(ChatRole.Assistant, Reply(s))] })
    .AddEdge(Graph.Start, "chat")
    .AddEdge("chat", Graph.End)
    .Compile(new CompileOptions { Checkpointer = saver });

Console.WriteLine();
Console.WriteLine("== Chat ==");
await Say("alice-001", "Hi! I'm Alice.");
await Say("alice-001", "What's my name?");
await Say("bob-002", "What's my name?");

Console.WriteLine();
Console.WriteLine("== History of thread alice-001 (newest first) ==");
await foreach (var snapshot in chatbot.GetStateHistoryAsync(GraphConfig.ForThread("alice-001")))
{
    var next = snapshot.Next.Count == 0 ? "-" : string.Join(",", snapshot.Next);
    Console.WriteLine($"step {snapshot.Metadata!.Step,2}  {CheckpointMetadata.SourceName(snapshot.Metadata.Source),-5}  " +
                      $"messages {snapshot.Values.Messages.Count}  next {next,-8}  {snapshot.Config!.CheckpointId}");
}

async Task Say(string thread, string text)
{
    var result = await chatbot.InvokeAsync(new ChatState.Update { Messages = [new(ChatRole.User, text)] }, GraphConfig.ForThread(thread));
    Console.WriteLine($"[{thread}] user: {text}");
    Console.WriteLine($"[{thread}] assistant: {result.State.Messages[^1].Text}");
}

static string Reply(ChatState state)
{
    var last = state.Messages[^1].Text;
    var name = state.Messages
        .Where(m => m.Role == ChatRole.User)
        .Select(m => m.Text)
        .Select(t => t.IndexOf("I'm ", StringComparison.Ordinal) is var i and >= 0 ? t[(i + 4)..].TrimEnd('.', '!') : null)
        .LastOrDefault(n => n is not null);
    if (last.Contains("my name", StringComparison.OrdinalIgnoreCase))
    {
        return name is null ? "I don't know your name yet." : $"Your name is {name}.";
    }
    return name is null ? "Hello!" : $"Nice to meet you, {name}!";
}
