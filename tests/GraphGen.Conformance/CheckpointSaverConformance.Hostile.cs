using GraphGen.Checkpointing;
using GraphGen.Conformance.Helpers;

namespace GraphGen.Conformance;

public abstract partial class CheckpointSaverConformance
{
    /// <summary>Names that break savers which build SQL or paths from strings: quotes, LIKE wildcards, escapes, separators, unicode, length.</summary>
    public static TheoryData<string> HostileNames() =>
    [
        "it's",
        "say \"hi\"",
        "100%",
        "a_b",
        "back\\slash\\",
        "emoji 🎉👩‍💻",
        "'; DROP TABLE checkpoints; --",
        "Robert'); DELETE FROM writes; --",
        "$1 ? :name @p0 {0}",
        "tab\tnew\nline\r",
        "中文 Ångström é e\u0301",
        "ns|sub:task|",
        " padded ",
        new string('x', 1000) + "🎉",
    ];

    /// <summary>A hostile thread id works for put, get, list, writes, list threads, copy and delete, and deleting it touches no look-alike thread.</summary>
    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_thread_ids_round_trip(string threadId)
    {
        var lookalikes = new[] { "x", "it", "100", "aXb", "a%b", "%", "_", threadId.Trim(), threadId.ToUpperInvariant() }.Where(id => id != threadId).Distinct().ToList();
        foreach (var id in lookalikes)
        {
            await Writer(id).PutAsync(("a", "\"look-alike\""));
        }
        var thread = Writer(threadId);
        await thread.PutAsync(("a", "\"mine\""));
        await thread.PutAsync(("b", "1"));
        await Saver.PutWritesAsync(thread.Head, Meta.Writes(("w", "1")), threadId, ct: Ct);

        await Expect.HistoryAsync(Saver, thread.History);
        Assert.Equal([(threadId, "w", "1")], Meta.Read((await Saver.GetTupleAsync(thread.Head, Ct))!.PendingWrites));
        Assert.Contains(await Saver.ListThreadsAsync(Ct).ToListAsync(Ct), t => t.ThreadId == threadId && t.CheckpointCount == 2);
        await Saver.CopyThreadAsync(threadId, threadId + "-copy", Ct);
        await Expect.HistoryAsync(Saver, thread.History, threadId + "-copy");

        await Saver.DeleteThreadAsync(threadId, Ct);

        Assert.Null(await Saver.GetTupleAsync(new CheckpointConfig(threadId), Ct));
        foreach (var id in lookalikes)
        {
            Assert.Equal("\"look-alike\"", Bytes.Text((await Saver.GetTupleAsync(new CheckpointConfig(id), Ct))!.Checkpoint.ChannelValues["a"]));
        }
    }

    /// <summary>A hostile namespace works for put, get, list and writes, and stays apart from the root and from look-alike namespaces.</summary>
    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_namespaces_round_trip(string ns)
    {
        var root = Writer("t1");
        await root.PutAsync(("a", "\"root\""));
        // The last character becomes a LIKE wildcard (a whole surrogate pair: a lone half cannot be stored as UTF-8).
        var lookalike = Writer("t1", ns[..^(char.IsLowSurrogate(ns[^1]) ? 2 : 1)] + (ns.EndsWith('%') ? "_" : "%"));
        await lookalike.PutAsync(("a", "\"look-alike\""));
        var thread = Writer("t1", ns);
        await thread.PutAsync(("a", "\"mine\""));
        await thread.PutAsync(("b", "2"));
        await Saver.PutWritesAsync(thread.Head, Meta.Writes(("w", "1")), "task", ct: Ct);

        await Expect.HistoryAsync(Saver, thread.History);
        await Expect.HistoryAsync(Saver, root.History);
        await Expect.HistoryAsync(Saver, lookalike.History);
        Assert.Equal([("task", "w", "1")], Meta.Read((await Saver.GetTupleAsync(new CheckpointConfig("t1", ns), Ct))!.PendingWrites));
    }

    /// <summary>Hostile channel names work as channel values, versions, versions seen and pending write channels.</summary>
    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_channel_names_round_trip(string channel)
    {
        var thread = Writer("t1");
        await thread.PutAsync((channel, "\"first\""), ("plain", "1"));
        await thread.PutAsync((channel, "\"second\""));
        await Saver.PutWritesAsync(thread.Head, Meta.Writes((channel, "\"pending\"")), "task", ct: Ct);

        await Expect.HistoryAsync(Saver, thread.History);
        Assert.Equal([("task", channel, "\"pending\"")], Meta.Read((await Saver.GetTupleAsync(thread.Head, Ct))!.PendingWrites));
    }

    /// <summary>Hostile metadata keys and values round-trip; a filter on such a key finds exactly its checkpoint or throws ArgumentException (keys may be validated).</summary>
    /// <remarks>LangGraph's SQLite saver validates filter keys against ^[a-zA-Z0-9_.-]+$; refusing is allowed, returning other checkpoints or failing another way is not.</remarks>
    [Theory]
    [MemberData(nameof(HostileNames))]
    public async Task Hostile_metadata_keys_and_values_round_trip(string text)
    {
        var thread = Writer("t1");
        var metadata = Meta.Loop(0, (text, text), ("plain", text));
        var wanted = await thread.PutAsync(metadata, ("a", "1"));
        await thread.PutAsync(Meta.Loop(1, ("plain", text + "!")), ("a", "2"));

        Expect.Metadata(metadata, (await Saver.GetTupleAsync(wanted, Ct))!.Metadata);
        Assert.Equal([wanted.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter(("plain", text)), ct: Ct)));
        try
        {
            Assert.Equal([wanted.CheckpointId!], await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig("t1"), Meta.Filter((text, text)), ct: Ct)));
        }
        catch (ArgumentException)
        {
            // A saver that validates filter keys may refuse this one.
        }
    }

    /// <summary>Thread ids compare exactly: case, leading or trailing spaces and unicode normalization (é vs e + U+0301) make different threads.</summary>
    /// <remarks>SQL Server ignores trailing spaces in comparisons and some collations ignore case.</remarks>
    [Fact]
    public async Task Thread_ids_compare_exactly()
    {
        var ids = new[] { "thread", "Thread", "THREAD", "thread ", " thread", "caf\u00e9", "cafe\u0301" };
        foreach (var id in ids)
        {
            await Writer(id).PutAsync(("a", $"\"{id}\""));
        }

        foreach (var id in ids)
        {
            var tuple = await Saver.GetTupleAsync(new CheckpointConfig(id), Ct);
            Assert.Equal($"\"{id}\"", Bytes.Text(tuple!.Checkpoint.ChannelValues["a"]));
            Assert.Single(await Expect.IdsAsync(Saver.ListAsync(new CheckpointConfig(id), ct: Ct)));
        }
        Assert.Equal(ids.Order(StringComparer.Ordinal), await Saver.ListThreadsAsync(Ct).Select(t => t.ThreadId).ToListAsync(Ct));
    }

    /// <summary>Hostile task ids and task paths are stored and read back with their writes.</summary>
    [Fact]
    public async Task Hostile_task_ids_round_trip()
    {
        var config = await Writer("t1").PutAsync(("a", "1"));
        var names = HostileNames().Select(row => row.Data).ToList();

        foreach (var name in names)
        {
            await Saver.PutWritesAsync(config, Meta.Writes(("w", "1")), name, name, Ct);
        }

        var writes = Meta.Read((await Saver.GetTupleAsync(config, Ct))!.PendingWrites);
        Assert.Equal(names.Order(StringComparer.Ordinal).Select(name => (name, "w", "1")), writes);
    }
}
