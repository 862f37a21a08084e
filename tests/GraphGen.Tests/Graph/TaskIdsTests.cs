using System.Security.Cryptography;
using System.Text;

namespace GraphGen.Tests.Graph;

/// <summary>
/// Task ids are what stored pending writes are matched by, so they must never change: each is the first 16 bytes of
/// the SHA-256 of "checkpoint|namespace|step|kind|node|index" (UTF-8), as a GUID string.
/// </summary>
public sealed class TaskIdsTests
{
    private static string Expected(string text) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16)).ToString();

    [Theory]
    [InlineData("1f1f0447-40eb-6458-803a-72ecc9e3bb16", "", 57, "respond", "pull", 0)]
    [InlineData("1f1f0447-40eb-6458-803a-72ecc9e3bb16", "child:1f1f0447", 0, "fan_out", "push", 12)]
    [InlineData("x", "", -1, "ünïcödé nödé", "pull", 0)]
    public void A_task_id_is_the_hash_of_its_text(string checkpoint, string ns, int step, string node, string kind, int index) =>
        Assert.Equal(Expected($"{checkpoint}|{ns}|{step}|{kind}|{node}|{index}"), TaskIds.ForTask(checkpoint, ns, step, node, kind, index));

    [Fact]
    public void A_text_longer_than_the_stack_buffer_hashes_the_same_way()
    {
        var node = new string('n', 400);

        Assert.Equal(Expected($"c||3|pull|{node}|0"), TaskIds.ForTask("c", "", 3, node, "pull", 0));
    }

    [Fact]
    public void An_interrupt_id_is_the_hash_of_its_task_and_index() =>
        Assert.Equal(Expected("task-1|interrupt|2"), TaskIds.InterruptId("task-1", 2));
}
