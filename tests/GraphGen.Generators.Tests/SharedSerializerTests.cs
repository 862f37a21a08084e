using System.Text.RegularExpressions;
using GraphGen.Generators.Emitting;
using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Generators.Tests;

/// <summary>
/// The serializers states share: one class per compilation holding each stored type once, keyed so that two states
/// agree on a type's methods without seeing each other, and invisible to other projects.
/// </summary>
public class SharedSerializerTests
{
    private const string TwoStates = """
        using System.Collections.Immutable;
        using GraphGen;

        namespace A
        {
            public sealed record Person(string Name, int Age);

            [GraphState]
            public partial record First
            {
                [Reducer(typeof(Append))]
                public ImmutableList<string> Lines { get; init; } = [];

                public Person? Owner { get; init; }
            }
        }

        namespace B
        {
            public sealed record Person(string Nickname);

            [GraphState]
            public partial record Second
            {
                [Reducer(typeof(Append))]
                public ImmutableList<string> Lines { get; init; } = [];

                public Person? Owner { get; init; }
            }
        }
        """;

    [Fact]
    public void A_type_two_states_store_is_serialized_once_and_types_with_one_short_name_are_kept_apart()
    {
        var run = GeneratorHarness.Run(new StateGenerator(), TwoStates);

        run.AssertSuccess();
        var shared = run.GeneratedSources[SerializerEmitter.SharedHintName];
        Assert.Single(Regex.Matches(shared, @"static void Write_ImmutableList_string_[0-9a-f]{8}\("));
        var people = Regex.Matches(shared, @"static void (Write_Person_[0-9a-f]{8})\(").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, people.Distinct().Count());
        // Each state calls the list's one method, and its own Person's.
        var first = run.GeneratedSources["A.First.GraphState.g.cs"];
        var second = run.GeneratedSources["B.Second.GraphState.g.cs"];
        var list = Regex.Match(shared, @"Write_ImmutableList_string_[0-9a-f]{8}").Value;
        Assert.Contains(list + "(", first);
        Assert.Contains(list + "(", second);
        var firstOwner = Regex.Match(first, @"Write_PersonN_[0-9a-f]{8}").Value;
        var secondOwner = Regex.Match(second, @"Write_PersonN_[0-9a-f]{8}").Value;
        Assert.NotEqual(firstOwner, secondOwner);
        Assert.Contains($"static void {firstOwner}(global::System.Text.Json.Utf8JsonWriter writer, global::A.Person? value)", shared);
        Assert.Contains($"static void {secondOwner}(global::System.Text.Json.Utf8JsonWriter writer, global::B.Person? value)", shared);
        Assert.DoesNotContain("static void Write_", first);
    }

    [Fact]
    public void A_project_with_InternalsVisibleTo_and_states_on_both_sides_sees_only_its_own_shared_class()
    {
        // Each project has its own internal GraphGen.Generated.GraphStateJson; [Embedded] hides the library's from the
        // app, which would otherwise get CS0436 (a warning, so an error with warnings as errors) on every use.
        var library = GeneratorHarness.Run(new StateGenerator(), """
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("App")]

            namespace Lib;

            [GraphGen.GraphState]
            public partial record LibState
            {
                public int Count { get; init; }
            }
            """);
        library.AssertSuccess();
        using var image = new MemoryStream();
        Assert.True(library.OutputCompilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken).Success);

        var app = CSharpCompilation.Create(
            "App",
            [GeneratorHarness.Parse("""
                namespace App;

                [GraphGen.GraphState]
                public partial record AppState
                {
                    public int Count { get; init; }

                    public Lib.LibState? Inner { get; init; }
                }
                """)],
            GeneratorHarness.References.Add(MetadataReference.CreateFromImage(image.ToArray())),
            GeneratorHarness.CompilationOptions);
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new StateGenerator().AsSourceGenerator()], parseOptions: GeneratorHarness.ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(app, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);

        Assert.Empty(generatorDiagnostics);
        Assert.Contains(driver.GetRunResult().GeneratedTrees, tree => tree.FilePath.EndsWith("App.AppState.GraphState.g.cs", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }
}
