using System.Reflection;
using Chatbot;
using GraphGen;
using GraphGen.Checkpointing;
using GraphGen.Postgres;
using GraphGen.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// A chatbot with memory: every turn is checkpointed on its thread in a SQLite file (or a PostgreSQL database), so
// stopping the program and starting it again continues the conversation (summary included). Long threads get summarized.
// Usage: dotnet run --project samples/Chatbot -- [--thread ID] [--db PATH | --postgres CONNECTION] [--history] ["message" ...]
//        no messages: interactive; --history: list the thread's checkpoints, newest first.
var options = ChatbotOptions.Parse(args);
var services = new ServiceCollection()
    .AddSingleton<IChatClient, OfflineChatClient>()   // swap for a real IChatClient here
    .BuildServiceProvider();

// The same graph on either backend: only the saver changes.
await using var postgres = options.Postgres is { } connectionString ? await PostgresSaver.OpenAsync(connectionString) : null;
using var sqlite = postgres is null ? SqliteSaver.Open(options.Database) : null;
ICheckpointSaver saver = (ICheckpointSaver?)postgres ?? sqlite!;
var app = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = saver, Services = services });
var config = GraphConfig.ForThread(options.Thread);

if (options.History)
{
    await PrintHistory();
    return;
}

var state = (await app.GetStateAsync(config)).Values;
Console.WriteLine(state.Messages.Count == 0 && state.Summary is null
    ? $"New thread '{options.Thread}' in {options.Database}."
    : $"Continuing thread '{options.Thread}' from {options.Database}: {state.Messages.Count} messages" +
      (state.Summary is null ? "." : $", summary: {state.Summary}"));

var scripted = options.Messages.Count > 0;
foreach (var input in scripted ? options.Messages : ReadLines())
{
    if (scripted)
    {
        Console.WriteLine($"you> {input}");
    }
    var result = await app.InvokeAsync(new ChatState.Update { Messages = [new(ChatRole.User, input)] }, config);
    Console.WriteLine($"bot> {result.State.Messages[^1].Text}");
    if (result.State.Summary is { } summary)
    {
        Console.WriteLine($"     [summary: {summary} | {result.State.Messages.Count} messages kept]");
    }
}

// One line per checkpoint, like LangGraph's checkpoint listings: id, step, source, what it holds, what runs next.
async Task PrintHistory()
{
    var count = 0;
    Console.WriteLine($"Thread '{options.Thread}' in {options.Database}, newest first:");
    Console.WriteLine($"{"checkpoint",-36}  {"step",4}  {"source",-6}  {"msgs",4}  {"summary",-7}  next");
    await foreach (var snapshot in app.GetStateHistoryAsync(config))
    {
        var metadata = snapshot.Metadata!;
        Console.WriteLine($"{snapshot.Config!.CheckpointId,-36}  {metadata.Step,4}  {CheckpointMetadata.SourceName(metadata.Source),-6}  " +
                          $"{snapshot.Values.Messages.Count,4}  {(snapshot.Values.Summary is null ? "-" : "yes"),-7}  " +
                          $"{(snapshot.Next.Count == 0 ? "-" : string.Join(",", snapshot.Next))}");
        count++;
    }
    Console.WriteLine(count == 0 ? "(no checkpoints)" : $"{count} checkpoints");
}

static IEnumerable<string> ReadLines()
{
    Console.WriteLine("Chat with the offline bot (empty line to quit).");
    while (true)
    {
        Console.Write("you> ");
        var line = Console.ReadLine();
        if (string.IsNullOrWhiteSpace(line))
        {
            yield break;
        }
        yield return line;
    }
}

/// <summary>The command line: <c>--thread</c>, <c>--db</c> or <c>--postgres</c>, <c>--history</c>, then the messages to send.</summary>
internal sealed record ChatbotOptions(string Thread, string Database, string? Postgres, bool History, IReadOnlyList<string> Messages)
{
    public static ChatbotOptions Parse(string[] args)
    {
        var thread = "chat-1";
        var database = Path.Combine(
            typeof(ChatbotOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SampleDirectory").Value!,
            "checkpoints.db");
        string? postgres = null;
        var history = false;
        var messages = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--thread":
                    thread = Value(args, ref i);
                    break;
                case "--db":
                    database = Value(args, ref i);
                    break;
                case "--postgres":
                    postgres = Value(args, ref i);
                    database = "PostgreSQL";
                    break;
                case "--history":
                    history = true;
                    break;
                default:
                    messages.Add(args[i]);
                    break;
            }
        }
        return new ChatbotOptions(thread, database, postgres, history, messages);
    }

    private static string Value(string[] args, ref int i) =>
        ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}

