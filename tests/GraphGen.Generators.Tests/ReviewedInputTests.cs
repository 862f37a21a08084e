using GraphGen.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Tests;

/// <summary>
/// Inputs found in review that made the generators throw (losing every other type's output) or emit code that did
/// not compile. Each must now leave generated files error-free and the valid companion state generated; the input's
/// own mistakes (an attribute still being typed) may still fail, but only in the user's file.
/// </summary>
public class ReviewedInputTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.Collections.Immutable; using System.Text.Json.Serialization; using GraphGen;\n";

    private const string Valid = """
        namespace Companion;

        [GraphGen.GraphState]
        public partial record Valid
        {
            public int Count { get; init; }
        }
        """;

    public static TheoryData<string, string> Inputs => new()
    {
        { "trim-without-arguments", "namespace N; [GraphState] public partial record S { [Reducer(typeof(Append)), Trim] public ImmutableList<string> Items { get; init; } = []; }" },
        { "duplicate-node-names", "namespace N; [GraphState] public partial record S { public int X { get; init; } } [Graph<S>] public static partial class G { [Node(\"a\"), Entry] static S.Update A(S s) => new(); [Node(\"a\")] static S.Update B(S s) => new(); }" },
        { "route-with-null-destination", "namespace N; [GraphState] public partial record S { public int X { get; init; } } [Graph<S>] public static partial class G { [Node, Entry] static S.Update A(S s) => new(); [Route(From = \"A\", To = new string[] { null! })] static string R(S s) => \"A\"; }" },
        { "positional-record", "namespace N; [GraphState] public partial record S(int X);" },
        { "class-without-parameterless-constructor", "namespace N; [GraphState] public partial class S { public S(int x) { X = x; } public int X { get; init; } }" },
        { "class-with-ignored-state", "namespace N; [GraphState] public partial class S { [JsonIgnore] public string Tag { get; set; } = \"custom\"; public int X { get; set; } }" },
        { "duplicate-json-names", "namespace N; [GraphState] public partial record S { [JsonPropertyName(\"x\")] public int A { get; init; } public int X { get; init; } }" },
        { "names-differing-in-case", "namespace N; [GraphState] public partial record S { public int Foo { get; init; } public int foo { get; init; } }" },
        { "framework-channel-name", "namespace N; [GraphState] public partial record S { [JsonPropertyName(\"__pregel_tasks\")] public int X { get; init; } }" },
        { "keyword-property", "namespace N; [GraphState] public partial record S { public int @class { get; init; } }" },
        { "quote-in-json-name", "namespace N; [GraphState] public partial record S { [JsonPropertyName(\"a\\\"b\")] public int X { get; init; } }" },
        { "keyword-state-name", "namespace N; [GraphState] public partial record @event { public int X { get; init; } }" },
        { "keyword-container", "namespace N; public partial class @class { [GraphState] public partial record S { public int X { get; init; } } }" },
        { "keyword-node-method", "namespace N; [GraphState] public partial record S { public int X { get; init; } } [Graph<S>] public static partial class G { [Node, Entry] static S.Update @default(S s) => new(); }" },
        { "field-named-like-generated-schema", "namespace N; [GraphState] public partial record S { public int GraphStateSchema; public int X { get; init; } }" },
        { "method-named-update", "namespace N; [GraphState] public partial record S { public void Update() { } public int X { get; init; } }" },
        { "state-named-graphstateschema", "namespace N; [GraphState] public partial record GraphStateSchema { public int X { get; init; } }" },
        { "node-method-named-nodes", "namespace N; [GraphState] public partial record S { public int X { get; init; } } [Graph<S>] public static partial class G { [Node, Entry] static S.Update Nodes(S s) => new(); }" },
        { "reducer-with-ref-parameter", "namespace N; public static class R { public static int Reduce(int a, ref int b) => a + b; } [GraphState] public partial record S { [Reducer(typeof(R))] public int X { get; init; } }" },
        { "ref-struct-state", "namespace N; [GraphState] public ref partial struct S { public int X { get; init; } }" },
        { "file-local-state", "namespace N; [GraphState] file partial record S { public int X { get; init; } }" },
        { "state-deriving-from-state", "namespace N; [GraphState] public partial record B { public int A { get; init; } } [GraphState] public partial record S : B { public int X { get; init; } }" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Input_never_breaks_generated_code_or_other_types(string name, string source)
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Usings + source, Valid);

        Assert.True(run.GeneratorDiagnostics.IsEmpty, $"{name}: {string.Join("; ", run.GeneratorDiagnostics)}");
        Assert.Contains("Companion.Valid.GraphState.g.cs", run.GeneratedSources.Keys);
        var generatedErrors = run.CompilationErrors.Where(e => e.Location.SourceTree is { } tree && run.GeneratedSources.Keys.Any(k => tree.FilePath.EndsWith(k, StringComparison.Ordinal))).ToList();
        Assert.True(generatedErrors.Count == 0, $"{name}: {string.Join("; ", generatedErrors)}");
        Assert.Empty(run.GeneratedCodeWarnings);
    }

    [Fact]
    public void Inherited_properties_are_channels()
    {
        var run = GeneratorHarness.Run(new StateAndGraphGenerators(), Usings + "namespace N; public record B { public int A { get; init; } } [GraphState] public partial record S : B { public int X { get; init; } }");

        run.AssertSuccess();
        var source = run.GeneratedSources["N.S.GraphState.g.cs"];
        Assert.Contains("new(\"a\", IsLastValue: true)", source);
        Assert.Contains("new(\"x\", IsLastValue: true)", source);
    }

    [Fact]
    public void Keyword_and_quoted_names_generate_compiling_code()
    {
        var run = GeneratorHarness.Run(
            new StateAndGraphGenerators(),
            Usings + "namespace N; [GraphState] public partial record @event { public int @class { get; init; } [JsonPropertyName(\"a\\\"b\")] public int Y { get; init; } }");

        run.AssertSuccess();
        Assert.Contains("new(\"a\\\"b\", IsLastValue: true)", run.GeneratedSources["N._event.GraphState.g.cs"]);
    }

    [Fact]
    public void A_conditional_JsonIgnore_keeps_the_channel()
    {
        var run = GeneratorHarness.Run(
            new StateAndGraphGenerators(),
            Usings + "namespace N; [GraphState] public partial record S { [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Summary { get; init; } public int X { get; init; } } public static class Use { public static S.Update U() => new() { Summary = \"x\" }; }");

        run.AssertSuccess();
    }
}
