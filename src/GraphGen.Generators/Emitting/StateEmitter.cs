using System.Collections.Generic;
using System.Linq;
using GraphGen.Generators.Helpers;
using GraphGen.Generators.Models;

namespace GraphGen.Generators.Emitting;

/// <summary>Writes the generated half of a <c>[GraphState]</c> type: its <c>Update</c> type and its schema.</summary>
internal static class StateEmitter
{
    public static string Emit(StateSpec state)
    {
        var w = SourceWriter.ForGeneratedFile();
        if (state.Types.Any(t => !t.Local))
        {
            // The serializers every state shares, called by their keys.
            w.WriteLine($"using static {SerializerEmitter.SharedClass};");
            w.WriteLine();
        }
        var containers = state.Hierarchy.Open(w);
        var self = state.FullName;

        w.OpenBlock($"partial {state.Keyword} {CSharpNames.Identifier(state.Name)} : global::GraphGen.IGraphState<{self}>");
        w.WriteLine($"static global::GraphGen.StateSchema<{self}> global::GraphGen.IGraphState<{self}>.Schema => GraphStateSchema.Instance;");
        w.WriteLine();
        EmitUpdate(w, state);
        w.WriteLine();
        EmitSchema(w, state);
        w.CloseBlock();

        for (var i = 0; i < containers; i++)
        {
            w.CloseBlock();
        }
        return w.ToString();
    }

    private static void EmitUpdate(SourceWriter w, StateSpec state)
    {
        w.WriteLine($"/// <summary>A write to <see cref=\"{CSharpNames.Identifier(state.Name)}\"/>: set only the members that change; each goes through its channel's reducer.</summary>");
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.OpenBlock($"public sealed partial class Update : global::GraphGen.StateUpdate<{state.FullName}>");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            var how = c.Reduce is null ? "replaces the value" : $"is combined with <c>{c.Reduce.Replace("global::", "")}</c>";
            if (i > 0)
            {
                w.WriteLine();
            }
            w.WriteLine($"/// <summary>Written to <see cref=\"{CSharpNames.Identifier(state.Name)}.{CSharpNames.Identifier(c.Property)}\"/>; {how}.</summary>");
            w.WriteLine($"public {c.UpdateType} {CSharpNames.Identifier(c.Property)} {{ get => Get<{c.UpdateType}>({i}); init => Set({i}, value); }}");
        }
        w.CloseBlock();
    }

    private static void EmitSchema(SourceWriter w, StateSpec state)
    {
        var self = state.FullName;
        var channels = state.Channels;
        var fingerprint = CSharpNames.Literal(string.Join(",", channels.Select(c => $"{c.Name}:{c.Type.Replace("global::", "")}")));
        w.WriteLine(SourceWriter.GeneratedCodeAttribute);
        w.WriteLine($"private sealed class GraphStateSchema() : global::GraphGen.StateSchema<{self}>(");
        w.WriteLine("    [");
        foreach (var c in channels)
        {
            w.WriteLine($"        new({CSharpNames.Literal(c.Name)}, IsLastValue: {(c.Reduce is null ? "true" : "false")}),");
        }
        w.WriteLine("    ],");
        w.OpenBlock($"    {fingerprint})");
        w.WriteLine("public static readonly GraphStateSchema Instance = new();");
        w.WriteLine();
        // Required members get their defaults here; ReadState and Apply overwrite every channel afterwards.
        var required = state.RequiredMembers.Length == 0 ? "" : " { " + string.Join(", ", state.RequiredMembers.Select(m => $"{m} = default!")) + " }";
        w.WriteLine($"public override {self} CreateInitial() => new {self}(){required};");
        w.WriteLine();
        w.WriteLine($"public override global::GraphGen.StateUpdate<{self}> CreateUpdate() => new Update();");
        w.WriteLine();
        EmitApply(w, state);
        w.WriteLine();
        EmitWriteChannel(w, state);
        w.WriteLine();
        EmitTryWriteAppended(w, state);
        EmitReadState(w, state);
        EmitTryDropLast(w, state);
        w.WriteLine();
        EmitWriteUpdateChannel(w, state);
        w.WriteLine();
        EmitReadUpdateValue(w, state);
        SerializerEmitter.EmitLocal(w, state.Types);
        w.CloseBlock();
    }

    private static void EmitApply(SourceWriter w, StateSpec state)
    {
        var self = state.FullName;
        w.OpenBlock($"public override {self} Apply({self} state, global::System.ReadOnlySpan<global::GraphGen.StateUpdate<{self}>> updates)");
        foreach (var c in state.Channels)
        {
            w.WriteLine($"var {Local(c)} = state.{CSharpNames.Identifier(c.Property)};");
        }
        w.OpenBlock("foreach (var written in updates)");
        w.WriteLine("var update = (Update)written;");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            var value = c.Reduce is null ? $"update.{CSharpNames.Identifier(c.Property)}" : $"{c.Reduce}({Local(c)}, update.{CSharpNames.Identifier(c.Property)})";
            if (c.Trim is { } trim)
            {
                value = trim.IsChat
                    ? $"global::GraphGen.Trim.KeepLast({value}, {trim.KeepLast}, keepSystem: {(trim.KeepSystem ? "true" : "false")})"
                    : $"global::GraphGen.Trim.KeepLast({value}, {trim.KeepLast})";
            }
            w.OpenBlock($"if (update.Writes({i}))");
            w.WriteLine($"{Local(c)} = {value};");
            w.CloseBlock();
        }
        w.CloseBlock();
        w.WriteLine($"return {Rebuild(state, "state")};");
        w.CloseBlock();
    }

    private static void EmitWriteChannel(SourceWriter w, StateSpec state)
    {
        w.OpenBlock($"public override void WriteChannel(global::System.Text.Json.Utf8JsonWriter writer, {state.FullName} state, int channel)");
        w.OpenBlock("switch (channel)");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            w.WriteLine($"case {i}: Write_{c.ValueKey}(writer, state.{CSharpNames.Identifier(c.Property)}); break;");
        }
        w.WriteLine("default: throw new global::System.ArgumentOutOfRangeException(nameof(channel));");
        w.CloseBlock();
        w.CloseBlock();
    }

    /// <summary>
    /// For list channels only (none: no override): the new items of a list that grew, written by the list's
    /// <c>WriteAppended_</c> serializer (see <see cref="SerializerEmitter"/>). An immutable list reduced by
    /// <c>Append</c> only grows (current came from previous through <c>Apply</c>), so its items are not compared.
    /// </summary>
    private static void EmitTryWriteAppended(SourceWriter w, StateSpec state)
    {
        var lists = new List<(int Channel, ChannelSpec Spec, SequenceSpec List)>();
        for (var i = 0; i < state.Channels.Length; i++)
        {
            if (List(state, state.Channels[i].ValueKey) is { } list)
            {
                lists.Add((i, state.Channels[i], list));
            }
        }
        if (lists.Count == 0)
        {
            return;
        }
        w.OpenBlock($"public override bool TryWriteAppended(global::System.Text.Json.Utf8JsonWriter writer, {state.FullName} previous, {state.FullName} current, int channel) => channel switch");
        foreach (var (channel, spec, list) in lists)
        {
            var property = CSharpNames.Identifier(spec.Property);
            var onlyGrew = spec.OnlyAppends && list is { IsInterface: false, Collection: CollectionKind.ImmutableList or CollectionKind.ImmutableArray };
            w.WriteLine($"{channel} => WriteAppended_{list.Key}(writer, previous.{property}, current.{property}, onlyGrew: {(onlyGrew ? "true" : "false")}),");
        }
        w.WriteLine("_ => false,");
        w.CloseBlock(";");
        w.WriteLine();
    }

    /// <summary>
    /// The list written by generated code that a channel holds, seen through a nullable annotation; null for anything
    /// else, including a list an escape hatch writes as a whole (its items may be written differently).
    /// </summary>
    private static SequenceSpec? List(StateSpec state, string valueKey)
    {
        var type = state.Types.FirstOrDefault(t => t.Key == valueKey);
        if (type is NullableSpec { IsValueType: false } nullable)
        {
            type = state.Types.FirstOrDefault(t => t.Key == nullable.ElementKey);
        }
        return type is SequenceSpec { IsList: true } list ? list : null;
    }

    private static void EmitReadState(SourceWriter w, StateSpec state)
    {
        w.OpenBlock($"public override {state.FullName} ReadState(global::System.Collections.Generic.IReadOnlyDictionary<string, global::System.ReadOnlyMemory<byte>> values, {state.FullName} basis)");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            w.WriteLine($"var {Local(c)} = TryGetReader(values, {CSharpNames.Literal(c.Name)}, out var json{i}) ? Read_{c.ValueKey}(ref json{i}) : basis.{CSharpNames.Identifier(c.Property)};");
        }
        w.WriteLine($"return {Rebuild(state, "basis")};");
        w.CloseBlock();
    }

    /// <summary>
    /// For channels declared as <c>ImmutableList&lt;T&gt;</c> or <c>ImmutableArray&lt;T&gt;</c> (none: no override): the
    /// state with the list's last items removed, for history listings (see <c>StateSchema.TryDropLast</c>).
    /// </summary>
    private static void EmitTryDropLast(SourceWriter w, StateSpec state)
    {
        var cases = new List<string>();
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            var list = $"state.{CSharpNames.Identifier(c.Property)}";
            var count = List(state, c.ValueKey) is { IsInterface: false } sequence
                ? sequence.Collection switch
                {
                    CollectionKind.ImmutableList => "Count",
                    CollectionKind.ImmutableArray => "Length",
                    _ => null,
                }
                : null;
            if (count is not null)
            {
                cases.Add($"case {i}: state = {With(state, "state", c, $"{list}.RemoveRange({list}.{count} - count, count)")}; return true;");
            }
        }
        if (cases.Count == 0)
        {
            return;
        }
        w.WriteLine();
        w.OpenBlock($"public override bool TryDropLast(ref {state.FullName} state, int channel, int count)");
        w.OpenBlock("switch (channel)");
        foreach (var line in cases)
        {
            w.WriteLine(line);
        }
        w.WriteLine("default: return false;");
        w.CloseBlock();
        w.CloseBlock();
    }

    private static void EmitWriteUpdateChannel(SourceWriter w, StateSpec state)
    {
        w.OpenBlock($"public override void WriteUpdateChannel(global::System.Text.Json.Utf8JsonWriter writer, global::GraphGen.StateUpdate<{state.FullName}> update, int channel)");
        w.OpenBlock("switch (channel)");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            var c = state.Channels[i];
            w.WriteLine($"case {i}: Write_{c.UpdateKey}(writer, ((Update)update).{CSharpNames.Identifier(c.Property)}); break;");
        }
        w.WriteLine("default: throw new global::System.ArgumentOutOfRangeException(nameof(channel));");
        w.CloseBlock();
        w.CloseBlock();
    }

    private static void EmitReadUpdateValue(SourceWriter w, StateSpec state)
    {
        w.OpenBlock("public override object? ReadUpdateValue(ref global::System.Text.Json.Utf8JsonReader reader, int channel) => channel switch");
        for (var i = 0; i < state.Channels.Length; i++)
        {
            w.WriteLine($"{i} => Read_{state.Channels[i].UpdateKey}(ref reader),");
        }
        w.WriteLine("_ => throw new global::System.ArgumentOutOfRangeException(nameof(channel)),");
        w.CloseBlock(";");
    }

    /// <summary>The new state from the channel locals: <c>with</c> for records and structs, an initializer for classes.</summary>
    private static string Rebuild(StateSpec state, string source)
    {
        var assignments = string.Join(", ", state.Channels.Select(c => $"{CSharpNames.Identifier(c.Property)} = {Local(c)}"));
        return state.UsesWith ? $"{source} with {{ {assignments} }}" : $"new {state.FullName} {{ {assignments} }}";
    }

    /// <summary><paramref name="source"/> with one channel set to <paramref name="value"/>, the others kept.</summary>
    private static string With(StateSpec state, string source, ChannelSpec channel, string value)
    {
        if (state.UsesWith)
        {
            return $"{source} with {{ {CSharpNames.Identifier(channel.Property)} = {value} }}";
        }
        var assignments = state.Channels.Select(c =>
            $"{CSharpNames.Identifier(c.Property)} = {(c == channel ? value : $"{source}.{CSharpNames.Identifier(c.Property)}")}");
        return $"new {state.FullName} {{ {string.Join(", ", assignments)} }}";
    }

    private static string Local(ChannelSpec channel) => "__" + StateName(channel.Property);

    private static string StateName(string property) => char.ToLowerInvariant(property[0]) + property.Substring(1);
}
