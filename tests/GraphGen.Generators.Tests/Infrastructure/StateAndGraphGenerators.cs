using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// <see cref="StateGenerator"/> and <see cref="GraphGenerator"/> as one generator, the way a project that references
/// GraphGen runs them: a graph's nodes return <c>TState.Update</c>, which only the state generator emits, so a graph
/// compiles only next to it. Neither pipeline sees the other's output either way (generators never do); both
/// register on the same context, so their tracked steps and <c>SourceOutput</c>s appear in one run result, states first.
/// </summary>
public sealed class StateAndGraphGenerators : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        new StateGenerator().Initialize(context);
        new GraphGenerator().Initialize(context);
    }
}
