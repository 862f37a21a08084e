using System.Reflection;
using GraphGen.Generators.Tests.Infrastructure;
using Xunit.Sdk;

namespace GraphGen.Generators.Tests.SelfTests;

public class GeneratorHarnessTests
{
    [Fact]
    public void Run_returns_each_generated_file_by_hint_name_and_a_clean_run_passes()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter, Inputs.Chat);

        Assert.Equal(["Sample.Chat.Hello.g.cs", "Sample.Counter.Hello.g.cs"], run.GeneratedSources.Keys);
        Assert.Contains("partial record Counter", run.GeneratedSources["Sample.Counter.Hello.g.cs"]);
        Assert.Contains("public const string Properties = \"Count\";", run.GeneratedSources["Sample.Counter.Hello.g.cs"]);
        Assert.Contains("partial class Chat", run.GeneratedSources["Sample.Chat.Hello.g.cs"]);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        run.AssertSuccess();
    }

    [Fact]
    public void The_input_compiles_against_the_runtime_and_the_packages_its_api_exposes()
    {
        var compilation = GeneratorHarness.CreateCompilation("""
            using GraphGen;
            using Microsoft.Extensions.AI;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Logging;

            public static class UsesEverything
            {
                public static ChatMessage Message => new(ChatRole.User, "hi");
                public static ILogger? Logger => null;
                public static IServiceCollection? Services => null;
                public static System.Type State => typeof(GraphStateAttribute);
                public static System.Text.Json.JsonSerializerOptions Json => new();
            }
            """);

        Assert.Empty(compilation.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
    }

    [Fact]
    public void Errors_in_the_output_compilation_are_reported_and_fail_AssertSuccess()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter.Replace("Count * 2", "Missing * 2"));

        Assert.Contains(run.CompilationErrors, d => d.Id == "CS0103");
        var failure = Assert.Throws<FailException>(run.AssertSuccess);
        Assert.Contains("CS0103", failure.Message);
    }

    [Fact]
    public void AssertSuccess_fails_on_warnings_in_generated_files_but_not_on_warnings_in_the_input()
    {
        var warns = new InlineGenerator(context =>
            context.RegisterPostInitializationOutput(output => output.AddSource("Warns.g.cs", "#warning from the generator\n")));
        var quiet = new InlineGenerator(_ => { });
        const string inputWithWarning = "#warning from the input\n";

        GeneratorHarness.Run(quiet, inputWithWarning).AssertSuccess();
        var run = GeneratorHarness.Run(warns, inputWithWarning);

        var warning = Assert.Single(run.GeneratedCodeWarnings);
        Assert.Contains("from the generator", warning.GetMessage());
        Assert.Throws<FailException>(run.AssertSuccess);
    }

    [Fact]
    public void A_generator_that_throws_fails_the_run_with_its_exception()
    {
        var throws = new InlineGenerator(context =>
            context.RegisterSourceOutput(context.CompilationProvider, (_, _) => throw new FormatException("boom")));

        var error = Assert.Throws<InvalidOperationException>(() => GeneratorHarness.Run(throws, Inputs.Counter));

        Assert.Contains("boom", error.Message);
        Assert.IsType<FormatException>(error.InnerException);
    }

    [Fact]
    public void CompileAndLoad_runs_generated_code_bound_to_the_same_GraphGen_types_as_the_test()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter);
        run.AssertSuccess();

        using var loaded = GeneratorHarness.CompileAndLoad(run.OutputCompilation);
        var greet = loaded.StaticMethod<Func<string>>("Sample.Counter", "Greet");
        var counter = loaded.GetType("Sample.Counter");

        Assert.Equal("Hello from Counter", greet());
        Assert.Equal("Count", counter.GetField("Properties")!.GetRawConstantValue());
        // Resolved from the default context: the attribute is the test's own GraphStateAttribute type.
        Assert.NotNull(counter.GetCustomAttribute<GraphStateAttribute>());
        Assert.True(loaded.Assembly.IsCollectible);
    }

    [Fact]
    public void CompileAndLoad_fails_listing_the_errors_when_emit_fails()
    {
        var run = GeneratorHarness.Run(new HelloGenerator(), Inputs.Counter.Replace("Count * 2", "Missing * 2"));

        var failure = Assert.Throws<FailException>(() => GeneratorHarness.CompileAndLoad(run.OutputCompilation));

        Assert.Contains("CS0103", failure.Message);
    }
}
