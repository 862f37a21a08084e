using Chatbot;
using GraphGen;
using GraphGen.Checkpointing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

// A chatbot with memory: every turn is checkpointed on its thread; long threads get summarized.
// Usage: dotnet run --project samples/Chatbot [-- "message" "message" ...]   (no messages: interactive)
var services = new ServiceCollection()
    .AddSingleton<IChatClient, OfflineChatClient>()   // swap for a real IChatClient here
    .BuildServiceProvider();

var app = ChatGraph.Build().Compile(new CompileOptions { Checkpointer = new InMemorySaver(), Services = services });
var config = GraphConfig.ForThread("chat-1");

var scripted = args.Length > 0;
IEnumerable<string> inputs = scripted ? args : ReadLines();
foreach (var input in inputs)
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
