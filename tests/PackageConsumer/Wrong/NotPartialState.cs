using GraphGen;

// GG0001: a [GraphState] type must be partial (the generator adds Update and serializers to it).
[GraphState]
public record NotPartialState
{
    public int X { get; init; }
}
