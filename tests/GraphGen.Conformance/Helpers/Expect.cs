using GraphGen.Checkpointing;

namespace GraphGen.Conformance.Helpers;

/// <summary>Assertions that compare what a saver returns with what was put, byte for byte.</summary>
public static class Expect
{
    /// <summary>Asserts the channel values are exactly <paramref name="expected"/>: the same channels, the same bytes.</summary>
    public static void Values(IReadOnlyDictionary<string, byte[]> expected, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> actual, string where = "")
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (channel, bytes) in expected)
        {
            var got = actual[channel].Span;
            if (!got.SequenceEqual(bytes))
            {
                var at = 0;
                while (at < got.Length && at < bytes.Length && got[at] == bytes[at])
                {
                    at++;
                }
                Assert.Fail($"Channel '{channel}'{where}: expected {bytes.Length} bytes, got {got.Length}; first difference at byte {at}.");
            }
        }
    }

    /// <summary>Asserts two byte sequences are equal, without printing megabytes when they are not.</summary>
    public static void SameBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.True(expected.SequenceEqual(actual), $"Expected {expected.Length} bytes, got {actual.Length} that differ.");
    }

    /// <summary>Asserts a tuple is the checkpoint described by <paramref name="expected"/>, field by field.</summary>
    public static void Tuple(Expected expected, CheckpointTuple? actual)
    {
        Assert.NotNull(actual);
        var where = $" of checkpoint {expected.Config.CheckpointId}";
        Assert.Equal(expected.Config, actual.Config);
        Assert.Equal(expected.ParentId is null ? null : expected.Config.WithCheckpoint(expected.ParentId), actual.ParentConfig);
        var put = expected.Checkpoint;
        var got = actual.Checkpoint;
        Assert.Equal(put.Id, got.Id);
        Assert.Equal(put.V, got.V);
        Assert.Equal(put.Ts, got.Ts);
        Assert.Equal(Sorted(put.ChannelVersions), Sorted(got.ChannelVersions));
        Assert.Equal(
            put.VersionsSeen.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => (n.Key, Sorted(n.Value))),
            got.VersionsSeen.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => (n.Key, Sorted(n.Value))));
        Assert.Equal(put.UpdatedChannels, got.UpdatedChannels);
        Assert.Empty(got.Appends);
        Values(expected.Values, got.ChannelValues, where);
        Metadata(expected.Metadata, actual.Metadata);
    }

    /// <summary>Asserts metadata matches: source, step, run id, parents and custom entries (numbers compared by value).</summary>
    public static void Metadata(CheckpointMetadata expected, CheckpointMetadata actual)
    {
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Step, actual.Step);
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(Sorted(expected.Parents), Sorted(actual.Parents));
        Assert.Equal(expected.Custom.Keys.Order(StringComparer.Ordinal), actual.Custom.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected.Custom)
        {
            Assert.True(MetadataValues.AreEqual(actual.Custom[key], value), $"Metadata '{key}': expected {value ?? "null"}, got {actual.Custom[key] ?? "null"}.");
        }
    }

    /// <summary>
    /// Asserts every checkpoint in <paramref name="history"/> reads back exactly, both by id and in its namespace's
    /// listing (newest first, nothing else listed).
    /// </summary>
    public static async Task HistoryAsync(ICheckpointSaver saver, IReadOnlyDictionary<string, Expected> history, string? threadId = null)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var expected in history.Values)
        {
            var config = threadId is null ? expected.Config : expected.Config with { ThreadId = threadId };
            Tuple(Retarget(expected, config), await saver.GetTupleAsync(config, ct));
        }
        foreach (var group in history.Values.GroupBy(e => e.Config.CheckpointNs))
        {
            var first = group.First().Config;
            var listed = await saver.ListAsync(new CheckpointConfig(threadId ?? first.ThreadId, group.Key), ct: ct).ToListAsync(ct);
            var expected = group.OrderByDescending(e => e.Config.CheckpointId, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Select(e => e.Config.CheckpointId), listed.Select(t => t.Config.CheckpointId));
            for (var i = 0; i < expected.Count; i++)
            {
                var config = expected[i].Config with { ThreadId = threadId ?? first.ThreadId };
                Tuple(Retarget(expected[i], config), listed[i]);
            }
        }
    }

    /// <summary>
    /// Pages through <paramref name="config"/>'s listing <paramref name="pageSize"/> at a time (each page before the last
    /// one's oldest) and asserts every listed checkpoint reads back as <paramref name="history"/> says.
    /// </summary>
    public static async Task PagesAsync(ICheckpointSaver saver, CheckpointConfig config, IReadOnlyDictionary<string, Expected> history, int pageSize)
    {
        var ct = TestContext.Current.CancellationToken;
        CheckpointConfig? before = null;
        while (await saver.ListAsync(config, before: before, limit: pageSize, ct: ct).ToListAsync(ct) is { Count: > 0 } page)
        {
            foreach (var tuple in page)
            {
                Tuple(history[tuple.Config.CheckpointId!], tuple);
            }
            before = page[^1].Config;
        }
    }

    /// <summary>The checkpoint ids of a listing, in the order listed.</summary>
    public static async Task<List<string>> IdsAsync(IAsyncEnumerable<CheckpointTuple> tuples) =>
        await tuples.Select(t => t.Config.CheckpointId!).ToListAsync(TestContext.Current.CancellationToken);

    private static Expected Retarget(Expected expected, CheckpointConfig config) =>
        expected.Config == config ? expected : expected with { Config = config };

    private static List<KeyValuePair<string, string>> Sorted(IReadOnlyDictionary<string, string> map) =>
        [.. map.OrderBy(entry => entry.Key, StringComparer.Ordinal)];
}
