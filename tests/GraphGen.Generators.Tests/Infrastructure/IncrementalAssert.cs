using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// Caching assertions on tracked steps (<c>WithTrackingName</c>), after Mapperly's and NetEscapades' helpers:
/// run twice with one driver, then name the reason each step's outputs should have.
/// </summary>
public static class IncrementalAssert
{
    /// <summary>
    /// Runs <paramref name="generator"/> on <paramref name="compilation"/>, then again with the same driver on
    /// <paramref name="edit"/>(compilation) — by default <c>Clone()</c>, an identical but new compilation.
    /// Expect on a clone: attribute transforms <c>Unchanged</c> (they re-run on the new semantic model and
    /// produce equal models) and everything downstream <c>Cached</c>; on the same instance (<c>c =&gt; c</c>) all <c>Cached</c>.
    /// </summary>
    public static (GeneratorRun First, GeneratorRun Second) RunTwice(
        IIncrementalGenerator generator,
        CSharpCompilation compilation,
        Func<CSharpCompilation, CSharpCompilation>? edit = null)
    {
        var first = GeneratorHarness.Run(generator, compilation);
        var second = GeneratorHarness.Rerun(first, edit is null ? compilation.Clone() : edit(compilation));
        return (first, second);
    }

    /// <summary>
    /// Asserts the reasons of every output of the step named <paramref name="trackingName"/> (a tracked step or an
    /// output step such as <c>SourceOutput</c>), in run order, e.g. one per <c>[GraphState]</c> type for a
    /// transform step. Fails if no step has that name, listing the names that exist.
    /// </summary>
    public static void AssertStepReasons(GeneratorDriverRunResult run, string trackingName, params IncrementalStepRunReason[] expected)
    {
        var actual = OutputsOf(run, trackingName).Select(output => output.Reason).ToArray();
        if (!actual.SequenceEqual(expected))
        {
            Assert.Fail($"Step '{trackingName}': expected [{string.Join(", ", expected)}] but was [{string.Join(", ", actual)}].");
        }
    }

    /// <summary>
    /// Asserts every output of each named step was reused: <c>Cached</c> (input unchanged) or <c>Unchanged</c>
    /// (recomputed, equal to last time). The check for "this edit must not regenerate anything".
    /// </summary>
    public static void AssertCached(GeneratorDriverRunResult run, params string[] trackingNames)
    {
        foreach (var name in trackingNames)
        {
            var reasons = OutputsOf(run, name).Select(output => output.Reason).ToArray();
            if (reasons.Any(reason => reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged)))
            {
                Assert.Fail($"Step '{name}': expected only Cached or Unchanged but was [{string.Join(", ", reasons)}].");
            }
        }
    }

    /// <summary>
    /// Walks every output value of the named steps (fields, including property backing fields, and collection
    /// items, recursively) and fails naming the path to the first Roslyn object found: a model holding one
    /// never compares equal across compilations, so the step re-runs on every keystroke and keeps old
    /// compilations alive.
    /// </summary>
    public static void AssertNoSymbols(GeneratorDriverRunResult run, params string[] trackingNames)
    {
        foreach (var name in trackingNames)
        {
            var index = 0;
            foreach (var (value, _) in OutputsOf(run, name))
            {
                if (FindRoslynObject(value, $"{name}[{index++}]") is { } offender)
                {
                    Assert.Fail($"{offender}. Models must hold only strings, enums, bools and EquatableArray<T>; extract what is needed from the symbol.");
                }
            }
        }
    }

    private static readonly Type[] Forbidden =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Location), typeof(Compilation)];

    /// <summary>"<c>path</c> is a T (ISymbol)" for the first forbidden object reachable from <paramref name="root"/>, or null.</summary>
    internal static string? FindRoslynObject(object? root, string rootPath)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return Walk(root, rootPath);

        string? Walk(object? value, string path)
        {
            if (value is null || IsLeaf(value) || (!value.GetType().IsValueType && !seen.Add(value)))
            {
                return null;
            }
            if (Forbidden.FirstOrDefault(type => type.IsInstanceOfType(value)) is { } forbidden)
            {
                return $"{path} is a {value.GetType().Name} ({forbidden.Name})";
            }

            var type = value.GetType();
            if (value is IEnumerable items)
            {
                if (Items(items) is { } list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (Walk(list[i], $"{path}[{i}]") is { } found)
                        {
                            return found;
                        }
                    }
                }
                // Framework collections are fully described by their items; our own (EquatableArray) may hold more.
                if (type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true)
                {
                    return null;
                }
            }

            // Fields, not properties: auto-properties are backed by fields, and computed properties can throw.
            for (var declaring = type; declaring is not null && declaring != typeof(object); declaring = declaring.BaseType)
            {
                var fields = declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
                foreach (var field in fields)
                {
                    if (Walk(field.GetValue(value), $"{path}.{DisplayName(field)}") is { } found)
                    {
                        return found;
                    }
                }
            }
            return null;
        }
    }

    private static (object Value, IncrementalStepRunReason Reason)[] OutputsOf(GeneratorDriverRunResult run, string trackingName)
    {
        var steps = run.Results
            // Output steps (SourceOutput...) appear in both dictionaries; take each step once.
            .SelectMany(result => Lookup(result.TrackedSteps).Union(Lookup(result.TrackedOutputSteps), ReferenceEqualityComparer.Instance))
            .Cast<IncrementalGeneratorRunStep>()
            .ToArray();
        if (steps.Length == 0)
        {
            var known = run.Results.SelectMany(result => result.TrackedSteps.Keys.Concat(result.TrackedOutputSteps.Keys)).Distinct().Order();
            Assert.Fail($"No step tracked as '{trackingName}' ran. Tracked steps: [{string.Join(", ", known)}].");
        }
        return steps.SelectMany(step => step.Outputs).ToArray();

        IEnumerable<IncrementalGeneratorRunStep> Lookup(IReadOnlyDictionary<string, ImmutableArray<IncrementalGeneratorRunStep>> steps) =>
            steps.TryGetValue(trackingName, out var found) ? found : [];
    }

    private static bool IsLeaf(object value) =>
        value is string or decimal or DateTime or DateTimeOffset or TimeSpan or Guid or MemberInfo or Delegate or Pointer
        || value.GetType().IsPrimitive || value.GetType().IsEnum;

    /// <summary>The items, or null for a collection that cannot be enumerated (a default <c>ImmutableArray</c>).</summary>
    private static List<object?>? Items(IEnumerable items)
    {
        try
        {
            return items.Cast<object?>().ToList();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (NullReferenceException)
        {
            return null;
        }
    }

    /// <summary><c>&lt;Name&gt;k__BackingField</c> reads as <c>Name</c>.</summary>
    private static string DisplayName(FieldInfo field) =>
        field.Name.StartsWith('<') && field.Name.IndexOf('>') is > 1 and var end ? field.Name[1..end] : field.Name;
}
