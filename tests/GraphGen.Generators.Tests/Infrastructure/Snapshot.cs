using System.Runtime.CompilerServices;
using System.Text;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// Hand-rolled snapshot testing (Verify is not on this project's feed), after dotnet/runtime's STJ baselines:
/// each generated file is compared with a committed <c>Snapshots/{testName}/{hint}.verified.cs</c> in the test
/// project's source folder, where <c>{hint}</c> is the hint name without its <c>.cs</c>
/// (<c>Sample.Counter.State.g.cs</c> → <c>Sample.Counter.State.g.verified.cs</c>).
/// Run with <c>UPDATE_SNAPSHOTS=1</c> to accept the current output; CI refuses to run with it set.
/// </summary>
public static class Snapshot
{
    public const string UpdateVariable = "UPDATE_SNAPSHOTS";
    private const string VerifiedSuffix = ".verified.cs";
    private const string ReceivedSuffix = ".received.cs";

    /// <summary>
    /// Fails unless <paramref name="generatedFiles"/> (hint name → text) has exactly the verified files of
    /// <paramref name="testName"/>, with the same text up to line endings. A mismatching or unverified file is
    /// written next to its snapshot as <c>*.received.cs</c> for diffing. In update mode the verified files are
    /// rewritten (stale ones deleted) and the call passes.
    /// </summary>
    /// <param name="snapshotRoot">Folder holding the per-test folders; default <c>Snapshots/</c> of the caller's project.</param>
    /// <param name="update">Accept instead of compare; default: whether <c>UPDATE_SNAPSHOTS=1</c>.</param>
    /// <param name="callerFilePath">Filled by the compiler; locates the test project's source folder.</param>
    public static void Match(
        string testName,
        IReadOnlyDictionary<string, string> generatedFiles,
        string? snapshotRoot = null,
        bool? update = null,
        [CallerFilePath] string callerFilePath = "")
    {
        var directory = Path.Combine(snapshotRoot ?? DefaultRoot(callerFilePath), testName);
        var received = generatedFiles.ToDictionary(file => file.Key, file => Normalize(file.Value), StringComparer.Ordinal);
        var verified = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*" + VerifiedSuffix).ToDictionary(HintNameOf, path => path, StringComparer.Ordinal)
            : [];

        // Old received files would otherwise outlive the problem they showed.
        if (Directory.Exists(directory))
        {
            foreach (var stale in Directory.GetFiles(directory, "*" + ReceivedSuffix))
            {
                File.Delete(stale);
            }
        }

        if (update ?? Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (var gone in verified.Where(file => !received.ContainsKey(file.Key)))
            {
                File.Delete(gone.Value);
            }
            foreach (var (hint, text) in received)
            {
                File.WriteAllText(PathOf(directory, hint, VerifiedSuffix), text);
            }
            return;
        }

        var problems = new List<string>();
        foreach (var hint in verified.Keys.Where(hint => !received.ContainsKey(hint)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{hint}: verified but no longer generated");
        }
        foreach (var (hint, text) in received.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            if (!verified.TryGetValue(hint, out var verifiedPath))
            {
                WriteReceived(directory, hint, text);
                problems.Add($"{hint}: generated but has no verified snapshot");
            }
            else if (Normalize(File.ReadAllText(verifiedPath)) is var expected && expected != text)
            {
                WriteReceived(directory, hint, text);
                problems.Add($"{hint}: differs from its snapshot\n{Diff(expected, text)}");
            }
        }

        if (problems.Count > 0)
        {
            Assert.Fail(
                $"Snapshot '{testName}' does not match ({directory}):\n" + string.Join("\n", problems) +
                $"\nReceived files are written next to the snapshots. If the new output is right, rerun with {UpdateVariable}=1 and commit the verified files.");
        }
    }

    /// <summary>
    /// <c>Snapshots/</c> next to the test project file: the nearest folder above the calling test's source file
    /// that holds a <c>.csproj</c>. Source paths, not the bin folder, so updates land in the repository.
    /// </summary>
    public static string DefaultRoot(string callerFilePath)
    {
        for (var dir = Path.GetDirectoryName(callerFilePath); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.csproj").Any())
            {
                return Path.Combine(dir, "Snapshots");
            }
        }
        // E.g. a build with ContinuousIntegrationBuild=true maps source paths to /_/ and CallerFilePath stops being real.
        throw new InvalidOperationException(
            $"No project folder above '{callerFilePath}'. Build without source path mapping, or pass snapshotRoot.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string PathOf(string directory, string hintName, string suffix) =>
        Path.Combine(directory, (hintName.EndsWith(".cs", StringComparison.Ordinal) ? hintName[..^3] : hintName) + suffix);

    private static string HintNameOf(string verifiedPath) =>
        Path.GetFileName(verifiedPath)[..^VerifiedSuffix.Length] + ".cs";

    private static void WriteReceived(string directory, string hintName, string text)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(PathOf(directory, hintName, ReceivedSuffix), text);
    }

    /// <summary>The first differing line (1-based) with one line of context before and up to three lines after, per side.</summary>
    internal static string Diff(string expected, string actual)
    {
        var before = expected.Split('\n');
        var after = actual.Split('\n');
        var first = 0;
        while (first < before.Length && first < after.Length && before[first] == after[first])
        {
            first++;
        }

        var diff = new StringBuilder($"  @@ line {first + 1} (verified {before.Length} lines, received {after.Length}) @@\n");
        if (first > 0)
        {
            diff.Append($"     {first,4}: {before[first - 1]}\n");
        }
        for (var i = first; i < Math.Min(before.Length, first + 3); i++)
        {
            diff.Append($"   - {i + 1,4}: {before[i]}\n");
        }
        for (var i = first; i < Math.Min(after.Length, first + 3); i++)
        {
            diff.Append($"   + {i + 1,4}: {after[i]}\n");
        }
        return diff.ToString().TrimEnd('\n');
    }
}
