using System.Text.Json;

namespace GraphGen;

/// <summary>A pending dynamic interrupt raised by <see cref="NodeContext.Interrupt(JsonElement)"/>.</summary>
/// <param name="Id">Deterministic id; resume this interrupt alone with <see cref="Command.ResumeById"/>.</param>
/// <param name="Value">The payload the node passed, for the human or caller to act on.</param>
/// <param name="Node">The node that raised it.</param>
public sealed record Interrupt(string Id, JsonElement Value, string Node);
