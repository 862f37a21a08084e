using System.Reflection;
using GraphGen;
using GraphGen.Checkpointing;
using GraphGen.Sqlite;
using Microsoft.Extensions.AI;
using Quickstart;

// GraphGen quick start: state that survives between calls, per conversation thread.
// States.cs and Graphs.cs are plain annotated C#; the source generator writes the rest.
// Checkpoints go to a SQLite file beside this sample: run it twice and the threads continue where they stopped.
var database = Path.Combine(
    typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SampleDirectory").Value!,
    "checkpoints.db");
using var saver = SqliteSaver.Open(database);
Console.WriteLine($"Checkpoints: {database}");
Console.WriteLine();

// 1. A counter. Each call on a thread continues from that thread's last checkpoint.
var counter = CounterGraph.Build().Compile(new CompileOptions { Checkpointer = saver });

Console.WriteLine("== Counter ==");
foreach (var thread in new[] { "1", "1", "2" })
{
    var result = await counter.InvokeAsync(new CounterState.Update(), GraphConfig.ForThread(thread));
    Console.WriteLine($"thread {thread}: count = {result.State.Count}");
}

// 2. A chatbot with memory: each thread is its own conversation.
var chatbot = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = saver });

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
                      $"messages {snapshot.Values.Messages.Count}  next {next,-9}  {snapshot.Config!.CheckpointId}");
}

Console.WriteLine();
Console.WriteLine("== The chat graph ==");
Console.Write(ChatGraph.Mermaid);
Console.WriteLine();
Console.WriteLine("Run it again: every thread continues from the checkpoints in the file.");

async Task Say(string thread, string text)
{
    var result = await chatbot.InvokeAsync(new ChatState.Update { Messages = [new(ChatRole.User, text)] }, GraphConfig.ForThread(thread));
    Console.WriteLine($"[{thread}] user: {text}");
    Console.WriteLine($"[{thread}] assistant: {result.State.Messages[^1].Text}");
}
