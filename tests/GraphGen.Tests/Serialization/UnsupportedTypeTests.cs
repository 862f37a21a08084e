using System.Collections.Immutable;

namespace GraphGen.Tests.Serialization;

// States the generator must skip (it emits nothing; the analyzers report them, as GG0002, silenced here on purpose):
// each has one channel whose type has no JSON form the generated code could write and read back.
#pragma warning disable GG0002, GG0003

[GraphState]
public partial record ObjectChannelState
{
    public object? Value { get; init; }
}

[GraphState]
public partial record DelegateState
{
    public Func<int>? Callback { get; init; }
}

[GraphState]
public partial record TaskState
{
    public Task<int>? Pending { get; init; }
}

[GraphState]
public partial record InterfaceState
{
    public IShape? Shape { get; init; }
}

[GraphState]
public partial record StreamState
{
    public Stream? Data { get; init; }
}

public abstract class AbstractThing
{
    public int Value { get; set; }
}

[GraphState]
public partial record AbstractState
{
    public AbstractThing? Thing { get; init; }
}

[GraphState]
public partial record UnknownCollectionState
{
    public Queue<int> Queue { get; init; } = new();
}

[GraphState]
public partial record MultiDimensionalArrayState
{
    public int[,] Grid { get; init; } = new int[0, 0];
}

public sealed class HasCallback
{
    public string Name { get; set; } = "";
    public Action? Callback { get; set; }
}

[GraphState]
public partial record DeepUnsupportedState
{
    public ImmutableList<HasCallback> Items { get; init; } = [];
}

public sealed class NoUsableConstructor
{
    public NoUsableConstructor(int a) => A = a;

    public NoUsableConstructor(string b) => B = b;

    public int A { get; }

    public string B { get; } = "";
}

[GraphState]
public partial record NoConstructorState
{
    public NoUsableConstructor? Thing { get; init; }
}

[GraphState]
public partial record ObjectKeyState
{
    public Dictionary<Address, int> ByAddress { get; init; } = [];
}

public sealed class RecursiveWithDelegate
{
    public List<RecursiveWithDelegate> Children { get; set; } = [];
    public Func<int>? Callback { get; set; }
}

[GraphState]
public partial record RecursiveUnsupportedState
{
    public RecursiveWithDelegate? Root { get; init; }
}

public class UnsupportedTypeTests
{
    [Theory]
    [InlineData(typeof(ObjectChannelState))]
    [InlineData(typeof(DelegateState))]
    [InlineData(typeof(TaskState))]
    [InlineData(typeof(InterfaceState))]
    [InlineData(typeof(StreamState))]
    [InlineData(typeof(AbstractState))]
    [InlineData(typeof(UnknownCollectionState))]
    [InlineData(typeof(MultiDimensionalArrayState))]
    [InlineData(typeof(DeepUnsupportedState))]
    [InlineData(typeof(NoConstructorState))]
    [InlineData(typeof(ObjectKeyState))]
    [InlineData(typeof(RecursiveUnsupportedState))]
    public void A_state_with_a_type_that_cannot_be_serialized_is_not_generated(Type state)
    {
        Assert.False(IsGenerated(state));
    }

    [Theory]
    [InlineData(typeof(ScalarState))]
    [InlineData(typeof(NullableScalarState))]
    [InlineData(typeof(CollectionState))]
    [InlineData(typeof(ObjectState))]
    [InlineData(typeof(ReducerState))]
    [InlineData(typeof(KeywordState))]
    [InlineData(typeof(EscapeHatchState))]
    [InlineData(typeof(ProfileState))]
    [InlineData(typeof(InterfaceCollectionState))]
    public void A_state_of_serializable_types_is_generated(Type state)
    {
        Assert.True(IsGenerated(state));
    }

    private static bool IsGenerated(Type state) =>
        state.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IGraphState<>));
}
