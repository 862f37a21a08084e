using GraphGen.Generators.Helpers;
using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;
using static GraphGen.Generators.Tests.Infrastructure.IncrementalAssert;

namespace GraphGen.Generators.Tests.SelfTests;

public class IncrementalAssertTests
{
    private const string Model = HelloGenerator.ModelStep;

    [Fact]
    public void First_run_is_New_and_a_rerun_on_the_same_compilation_is_Cached()
    {
        var (first, second) = RunTwice(
            new HelloGenerator(),
            GeneratorHarness.CreateCompilation(Inputs.Counter, Inputs.Chat),
            compilation => compilation);

        AssertStepReasons(first.RunResult, Model, IncrementalStepRunReason.New, IncrementalStepRunReason.New);
        AssertStepReasons(second.RunResult, Model, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
        AssertStepReasons(second.RunResult, "SourceOutput", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void A_rerun_on_an_identical_clone_recomputes_equal_models_and_reuses_every_output()
    {
        // A new compilation gives a new semantic model, so the attribute transform runs again; equal models stop
        // the change there. This is what each keystroke elsewhere in a project looks like to the generator.
        var (_, second) = RunTwice(new HelloGenerator(), GeneratorHarness.CreateCompilation(Inputs.Counter, Inputs.Chat));

        AssertStepReasons(second.RunResult, Model, IncrementalStepRunReason.Unchanged, IncrementalStepRunReason.Unchanged);
        AssertStepReasons(second.RunResult, "SourceOutput", IncrementalStepRunReason.Cached, IncrementalStepRunReason.Cached);
        AssertCached(second.RunResult, Model, "SourceOutput");
    }

    [Fact]
    public void Adding_an_unrelated_file_regenerates_nothing()
    {
        var (_, second) = RunTwice(
            new HelloGenerator(),
            GeneratorHarness.CreateCompilation(Inputs.Counter),
            compilation => compilation.WithSourceAdded(Inputs.Unrelated));

        AssertCached(second.RunResult, Model, "SourceOutput");
    }

    [Fact]
    public void An_edit_that_keeps_the_model_equal_is_Unchanged()
    {
        var (_, second) = RunTwice(
            new HelloGenerator(),
            GeneratorHarness.CreateCompilation(Inputs.Counter),
            compilation => compilation.WithSourceReplaced(0, Inputs.CounterWithNewBody));

        AssertStepReasons(second.RunResult, Model, IncrementalStepRunReason.Unchanged);
        AssertCached(second.RunResult, "SourceOutput");
    }

    [Fact]
    public void Editing_the_attributed_type_is_Modified_and_leaves_the_other_type_Unchanged()
    {
        var (_, second) = RunTwice(
            new HelloGenerator(),
            GeneratorHarness.CreateCompilation(Inputs.Counter, Inputs.Chat),
            compilation => compilation.WithSourceReplaced(0, Inputs.CounterWithLabel));

        AssertStepReasons(second.RunResult, Model, IncrementalStepRunReason.Modified, IncrementalStepRunReason.Unchanged);
        AssertStepReasons(second.RunResult, "SourceOutput", IncrementalStepRunReason.Modified, IncrementalStepRunReason.Cached);
        Assert.Contains("\"Count,Label\"", second.GeneratedSources["Sample.Counter.Hello.g.cs"]);
    }

    [Fact]
    public void AssertStepReasons_fails_when_the_reasons_differ()
    {
        var (_, second) = RunTwice(new HelloGenerator(), GeneratorHarness.CreateCompilation(Inputs.Counter));

        var failure = Assert.Throws<FailException>(() => AssertStepReasons(second.RunResult, Model, IncrementalStepRunReason.Modified));

        Assert.Contains("expected [Modified] but was [Unchanged]", failure.Message);
    }

    [Fact]
    public void AssertCached_fails_when_an_output_was_recomputed()
    {
        var (_, second) = RunTwice(
            new HelloGenerator(),
            GeneratorHarness.CreateCompilation(Inputs.Counter),
            compilation => compilation.WithSourceReplaced(0, Inputs.CounterWithLabel));

        var failure = Assert.Throws<FailException>(() => AssertCached(second.RunResult, Model));

        Assert.Contains("Modified", failure.Message);
    }

    [Fact]
    public void An_unknown_tracking_name_fails_and_lists_the_tracked_steps()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter);

        var failure = Assert.Throws<FailException>(() => AssertStepReasons(run.RunResult, "Modle", IncrementalStepRunReason.New));

        Assert.Contains("'Modle'", failure.Message);
        Assert.Contains("Model", failure.Message.Replace("'Modle'", ""));
    }

    [Fact]
    public void AssertNoSymbols_passes_for_a_model_of_strings()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter);

        AssertNoSymbols(run.RunResult, Model);
    }

    [Fact]
    public void AssertNoSymbols_names_the_path_to_a_symbol_in_a_model()
    {
        var run = GeneratorHarness.Run(new SymbolLeakingGenerator(), Inputs.Counter);

        var failure = Assert.Throws<FailException>(() => AssertNoSymbols(run.RunResult, Model));

        Assert.Contains("Model[0].Types[0] is a", failure.Message);
        Assert.Contains("(ISymbol)", failure.Message);
    }

    [Fact]
    public void The_walk_finds_Roslyn_objects_in_tuples_nested_records_and_collections()
    {
        var tree = GeneratorHarness.Parse("class A {}");
        var location = Location.Create(tree, default);

        Assert.Null(IncrementalAssert.FindRoslynObject(new Wrapper("a", [new Inner("b", null)], default), "m"));
        Assert.Equal(
            "m.Item2.Items[1].Extra is a SourceLocation (Location)",
            IncrementalAssert.FindRoslynObject(("x", new Wrapper("a", [new Inner("b", null), new Inner("c", location)], default)), "m"));
        Assert.Equal("m.Tree is a ParsedSyntaxTree (SyntaxTree)", IncrementalAssert.FindRoslynObject(new Wrapper("a", [], tree), "m"));
        Assert.Equal("m[0] is a CompilationUnitSyntax (SyntaxNode)", IncrementalAssert.FindRoslynObject(new object[] { tree.GetRoot(TestContext.Current.CancellationToken) }, "m"));
    }

    [Fact]
    public void The_walk_sees_through_the_generators_EquatableArray_including_a_default_one()
    {
        var location = Location.Create(GeneratorHarness.Parse("class A {}"), default);

        Assert.Null(IncrementalAssert.FindRoslynObject(new Holder(default(EquatableArray<Holder>)), "m"));
        Assert.Equal(
            "m[1].Value is a SourceLocation (Location)",
            IncrementalAssert.FindRoslynObject(new[] { new Holder("a"), new Holder(location) }.ToEquatableArray(), "m"));
    }

    private sealed record Holder(object? Value);

    private sealed record Inner(string Name, object? Extra);

    private sealed record Wrapper(string Name, IReadOnlyList<Inner> Items, object? Tree);
}
