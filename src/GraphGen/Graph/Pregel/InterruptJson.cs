using System.Text.Json;
using GraphGen.Checkpointing;

namespace GraphGen;

/// <summary>The stored form of an interrupt write: <c>{"id":..,"node":..,"value":..}</c>.</summary>
internal static class InterruptJson
{
    public static byte[] Serialize(Interrupt interrupt) => Json.Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", interrupt.Id);
        w.WriteString("node", interrupt.Node);
        w.WritePropertyName("value");
        interrupt.Value.WriteTo(w);
        w.WriteEndObject();
    });

    public static Interrupt Deserialize(ReadOnlyMemory<byte> json)
    {
        var root = Json.Parse(json);
        return new Interrupt(
            root.GetProperty("id").GetString() ?? "",
            root.GetProperty("value").Clone(),
            root.GetProperty("node").GetString() ?? "");
    }

    /// <summary>The interrupt a task's writes record, if any.</summary>
    public static Interrupt? PendingOf(IEnumerable<PendingWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Channel == WriteChannels.Interrupt)
            {
                return Deserialize(write.Value);
            }
        }
        return null;
    }
}
