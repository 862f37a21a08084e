namespace GraphGen.Tests.Serialization;

/// <summary>Round trips through every serialization entry point of a generated schema.</summary>
internal static class RoundTrip
{
    /// <summary>The generated schema (an explicit interface implementation, so reached through the constraint).</summary>
    public static StateSchema<T> Schema<T>() where T : IGraphState<T> => T.Schema;

    /// <summary>
    /// Whole state (SerializeState/DeserializeState), then channel by channel (SerializeChannel/ReadState), then as an
    /// update writing every channel (SerializeUpdateChannel/DeserializeUpdate). Each result must equal the original
    /// structurally, and writing it again must give the same bytes.
    /// </summary>
    public static T State<T>(T value) where T : IGraphState<T>
    {
        var schema = Schema<T>();
        var json = schema.SerializeState(value);
        var back = schema.DeserializeState(json);
        Deep.Equal(value, back);
        Assert.Equal(Json.Parse((ReadOnlyMemory<byte>)json).GetRawText(), Json.Parse((ReadOnlyMemory<byte>)schema.SerializeState(back)).GetRawText());

        var channels = new Dictionary<string, ReadOnlyMemory<byte>>();
        for (var i = 0; i < schema.Channels.Count; i++)
        {
            channels[schema.Channels[i].Name] = schema.SerializeChannel(value, i);
        }
        Deep.Equal(value, schema.ReadState(channels));

        Update(UpdateWritingAll(value));
        return back;
    }

    /// <summary>An update that writes every channel with the state's value (reducer update types accept it).</summary>
    public static StateUpdate<T> UpdateWritingAll<T>(T state) where T : IGraphState<T>
    {
        var update = Schema<T>().CreateUpdate();
        foreach (var channel in typeof(T).GetProperties().Where(p => p.SetMethod is not null && p.Name != "EqualityContract"))
        {
            update.GetType().GetProperty(channel.Name)!.SetValue(update, channel.GetValue(state));
        }
        return update;
    }

    /// <summary>Pending-write style: each written channel on its own, read back into a new update.</summary>
    public static StateUpdate<T> Update<T>(StateUpdate<T> update) where T : IGraphState<T>
    {
        var schema = Schema<T>();
        var writes = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        for (var i = 0; i < schema.Channels.Count; i++)
        {
            if (update.Writes(i))
            {
                writes.Add(new(schema.Channels[i].Name, schema.SerializeUpdateChannel(update, i)));
            }
        }
        var back = schema.DeserializeUpdate(writes);
        Assert.Equal(update.WrittenChannels, back.WrittenChannels);
        Deep.Equal(update, back);
        return back;
    }

    /// <summary>One channel's JSON, parsed.</summary>
    public static System.Text.Json.JsonElement Channel<T>(T state, string name) where T : IGraphState<T>
    {
        var schema = Schema<T>();
        return Json.Parse((ReadOnlyMemory<byte>)schema.SerializeChannel(state, schema.IndexOf(name)));
    }
}
