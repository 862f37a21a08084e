using System.Text.Json;

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
}
