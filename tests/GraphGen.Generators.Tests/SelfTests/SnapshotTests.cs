using GraphGen.Generators.Tests.Infrastructure;
using Xunit.Sdk;

namespace GraphGen.Generators.Tests.SelfTests;

/// <summary>
/// Snapshot self-tests write into a fresh temp folder (xunit makes one instance per test), never into the
/// repository; only <see cref="Hello_generator_output_matches_its_committed_snapshot"/> reads the real one.
/// </summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("graphgen-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static Dictionary<string, string> Files(params (string Hint, string Text)[] files) =>
        files.ToDictionary(file => file.Hint, file => file.Text);

    private string Dir(string test) => Path.Combine(_root, test);

    private FailException Mismatch(string test, Dictionary<string, string> files) =>
        Assert.Throws<FailException>(() => Snapshot.Match(test, files, _root, update: false));

    [Fact]
    public void Hello_generator_output_matches_its_committed_snapshot()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter);
        run.AssertSuccess();

        Snapshot.Match("HelloGenerator_Counter", run.GeneratedSources);
    }

    [Fact]
    public void Snapshots_live_in_the_test_project_source_folder_not_in_bin()
    {
        var root = Snapshot.DefaultRoot(ThisFile());

        Assert.Equal("Snapshots", Path.GetFileName(root));
        Assert.True(File.Exists(Path.Combine(root, "..", "GraphGen.Generators.Tests.csproj")), root);
        Assert.True(File.Exists(Path.Combine(root, "HelloGenerator_Counter", "Sample.Counter.Hello.g.verified.cs")));

        static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
    }

    [Fact]
    public void Update_writes_verified_files_named_after_the_hint_and_a_later_match_passes()
    {
        var files = Files(("Sample.A.State.g.cs", "class A {}\n"), ("Sample.B.State.g.cs", "class B {}\n"));

        Snapshot.Match("RoundTrip", files, _root, update: true);
        Snapshot.Match("RoundTrip", files, _root, update: false);

        Assert.Equal(
            ["Sample.A.State.g.verified.cs", "Sample.B.State.g.verified.cs"],
            Directory.GetFiles(Dir("RoundTrip")).Select(Path.GetFileName).Order());
        Assert.Equal("class A {}\n", File.ReadAllText(Path.Combine(Dir("RoundTrip"), "Sample.A.State.g.verified.cs")));
    }

    [Fact]
    public void Without_a_snapshot_the_match_fails_and_writes_the_received_file()
    {
        var failure = Mismatch("New", Files(("Sample.A.State.g.cs", "class A {}\n")));

        Assert.Contains("Sample.A.State.g.cs: generated but has no verified snapshot", failure.Message);
        Assert.Contains(Snapshot.UpdateVariable, failure.Message);
        Assert.Equal("class A {}\n", File.ReadAllText(Path.Combine(Dir("New"), "Sample.A.State.g.received.cs")));
    }

    [Fact]
    public void A_changed_line_fails_with_its_line_number_both_versions_and_a_received_file()
    {
        Snapshot.Match("Changed", Files(("A.g.cs", "line 1\nline 2\nline 3\n")), _root, update: true);

        var failure = Mismatch("Changed", Files(("A.g.cs", "line 1\nline TWO\nline 3\n")));

        Assert.Contains("A.g.cs: differs from its snapshot", failure.Message);
        Assert.Contains("@@ line 2", failure.Message);
        Assert.Contains("-    2: line 2", failure.Message);
        Assert.Contains("+    2: line TWO", failure.Message);
        Assert.Equal("line 1\nline TWO\nline 3\n", File.ReadAllText(Path.Combine(Dir("Changed"), "A.g.received.cs")));
    }

    [Fact]
    public void The_file_name_sets_must_match_exactly_and_the_failure_names_both_sides()
    {
        Snapshot.Match("Names", Files(("Kept.g.cs", "k"), ("Dropped.g.cs", "d")), _root, update: true);

        var failure = Mismatch("Names", Files(("Kept.g.cs", "k"), ("Added.g.cs", "a")));

        Assert.Contains("Dropped.g.cs: verified but no longer generated", failure.Message);
        Assert.Contains("Added.g.cs: generated but has no verified snapshot", failure.Message);
        Assert.DoesNotContain("Kept.g.cs", failure.Message);
    }

    [Fact]
    public void Line_endings_do_not_count()
    {
        Directory.CreateDirectory(Dir("Endings"));
        File.WriteAllText(Path.Combine(Dir("Endings"), "A.g.verified.cs"), "a\r\nb\r\n");

        Snapshot.Match("Endings", Files(("A.g.cs", "a\nb\n")), _root, update: false);
    }

    [Fact]
    public void Update_deletes_stale_verified_files_and_leftover_received_files()
    {
        Snapshot.Match("Stale", Files(("Kept.g.cs", "k"), ("Dropped.g.cs", "d")), _root, update: true);
        Mismatch("Stale", Files(("Kept.g.cs", "changed")));
        Assert.True(File.Exists(Path.Combine(Dir("Stale"), "Kept.g.received.cs")));

        Snapshot.Match("Stale", Files(("Kept.g.cs", "changed")), _root, update: true);

        Assert.Equal(["Kept.g.verified.cs"], Directory.GetFiles(Dir("Stale")).Select(Path.GetFileName));
        Assert.Equal("changed", File.ReadAllText(Path.Combine(Dir("Stale"), "Kept.g.verified.cs")));
    }

    [Fact]
    public void A_passing_match_removes_the_received_file_of_an_earlier_failure()
    {
        Snapshot.Match("Fixed", Files(("A.g.cs", "good")), _root, update: true);
        Mismatch("Fixed", Files(("A.g.cs", "bad")));

        Snapshot.Match("Fixed", Files(("A.g.cs", "good")), _root, update: false);

        Assert.Equal(["A.g.verified.cs"], Directory.GetFiles(Dir("Fixed")).Select(Path.GetFileName));
    }
}
