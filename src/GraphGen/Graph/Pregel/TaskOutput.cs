using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>
/// Everything a finished task writes: its state update, the channels of its successors, and its sends. It
/// round-trips through pending writes, so a task that finished before a crash need not run again.
/// </summary>
internal sealed class TaskOutput<TState> where TState : IGraphState<TState>
{
    private static readonly byte[] JsonNull = "null"u8.ToArray();

    public StateUpdate<TState>? Update { get; set; }

    /// <summary><c>branch:to:X</c> channels to trigger.</summary>
    public List<string> Branches { get; } = [];

    /// <summary>Join barriers this task arrives at.</summary>
    public List<string> Joins { get; } = [];

    /// <summary>Serialized sends: <c>{"node":..,"arg":{..}}</c>.</summary>
    public List<ReadOnlyMemory<byte>> Sends { get; } = [];

    public List<ChannelWrite> ToWrites(StateSchema<TState> schema, string node)
    {
        var writes = new List<ChannelWrite>();
        if (Update is not null)
        {
            for (var i = 0; i < schema.Channels.Count; i++)
            {
                if (Update.Writes(i))
                {
                    writes.Add(new ChannelWrite(schema.Channels[i].Name, schema.SerializeUpdateChannel(Update, i)));
                }
            }
        }
        foreach (var branch in Branches)
        {
            writes.Add(new ChannelWrite(branch, JsonNull));
        }
        foreach (var join in Joins)
        {
            writes.Add(new ChannelWrite(join, Json.Write(w => w.WriteStringValue(node))));
        }
        foreach (var send in Sends)
        {
            writes.Add(new ChannelWrite(WriteChannels.Tasks, send));
        }
        if (writes.Count == 0)
        {
            // Marks the task as done, so resuming the step does not run it again.
            writes.Add(new ChannelWrite(WriteChannels.NoWrites, JsonNull));
        }
        return writes;
    }

    /// <summary>Rebuilds a task's output from its saved writes; null when they do not show a finished task.</summary>
    public static TaskOutput<TState>? FromWrites(StateSchema<TState> schema, IEnumerable<PendingWrite> writes)
    {
        var stateWrites = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        var output = new TaskOutput<TState>();
        var finished = false;
        foreach (var write in writes)
        {
            if (WriteChannels.IsSpecial(write.Channel))
            {
                continue;
            }
            finished = true;
            if (write.Channel.StartsWith("branch:to:", StringComparison.Ordinal))
            {
                output.Branches.Add(write.Channel);
            }
            else if (write.Channel.StartsWith("join:", StringComparison.Ordinal))
            {
                output.Joins.Add(write.Channel);
            }
            else if (write.Channel == WriteChannels.Tasks)
            {
                output.Sends.Add(write.Value);
            }
            else if (write.Channel != WriteChannels.NoWrites)
            {
                stateWrites.Add(new(write.Channel, write.Value));
            }
        }
        if (!finished)
        {
            return null;
        }
        if (stateWrites.Count > 0)
        {
            output.Update = schema.DeserializeUpdate(stateWrites);
        }
        return output;
    }

    public static byte[] SerializeSend(StateSchema<TState> schema, Send<TState> send) => Json.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("node", send.Node);
        w.WritePropertyName("arg");
        schema.WriteState(w, send.Arg);
        w.WriteEndObject();
    });

    public static (string Node, TState Arg) DeserializeSend(StateSchema<TState> schema, ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var node = root.GetProperty("node").GetString() ?? throw new JsonException("A send has no node.");
        return (node, schema.DeserializeState(Json.ToUtf8(root.GetProperty("arg"))));
    }
}
