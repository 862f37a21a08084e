using System.Text.Json;
using Microsoft.Extensions.AI;

namespace GraphGen.Tests.Serialization;

/// <summary>[JsonSerializeWith] contexts, [JsonConverter] converters and Microsoft.Extensions.AI types.</summary>
public class EscapeHatchTests
{
    private static EscapeHatchState Sample() => new()
    {
        Shape = new Circle(1.5),
        Shapes = [new Circle(1), new Square(2)],
        Thing = new ExternalThing { Name = "thing", Values = [1, 2] },
        Temperature = new Temperature(21.5),
        MaybeTemperature = new Temperature(-3),
        Shout = "ALREADY LOUD",
        NumericColor = Color.Blue,
        NamedColor = Color.Green,
        Holder = new ShapeHolder { Shape = new Square(3), Label = "held" },
        Message = new ChatMessage(ChatRole.User, "hi") { MessageId = "m1" },
    };

    [Fact]
    public void Escape_hatch_state_round_trips()
    {
        var back = RoundTrip.State(Sample());

        Assert.Equal(new Circle(1.5), back.Shape);
        Assert.Equal([new Circle(1), new Square(2)], back.Shapes);
        Assert.Equal("hi", back.Message!.Text);
        RoundTrip.State(new EscapeHatchState());
        RoundTrip.State(Sample() with { Shape = null, MaybeTemperature = null, Message = null, Holder = new ShapeHolder() });
    }

    [Fact]
    public void A_context_on_a_property_or_a_type_writes_what_the_context_writes()
    {
        var state = Sample();

        // EscapeJson has no naming policy: PascalCase names show the value went through it.
        Assert.Equal("{\"$type\":\"circle\",\"Radius\":1.5}", RoundTrip.Channel(state, "shape").GetRawText());
        Assert.Equal("[{\"$type\":\"circle\",\"Radius\":1},{\"$type\":\"square\",\"Side\":2}]", RoundTrip.Channel(state, "shapes").GetRawText());
        Assert.Equal("{\"Name\":\"thing\",\"Values\":[1,2]}", RoundTrip.Channel(state, "thing").GetRawText());
        Assert.Equal("{\"shape\":{\"$type\":\"square\",\"Side\":3},\"label\":\"held\"}", RoundTrip.Channel(state, "holder").GetRawText());
    }

    [Fact]
    public void A_context_on_a_reducer_property_also_serializes_its_update_type()
    {
        var update = new EscapeHatchState.Update { Shapes = [new Square(4), new Circle(5)] };

        var back = (EscapeHatchState.Update)RoundTrip.Update<EscapeHatchState>(update);

        Assert.Equal([new Square(4), new Circle(5)], back.Shapes);
    }

    [Fact]
    public void A_converter_on_a_type_or_a_property_writes_what_the_converter_writes()
    {
        var state = Sample() with { Shout = "quiet" };

        Assert.Equal("\"21.5C\"", RoundTrip.Channel(state, "temperature").GetRawText());
        Assert.Equal("\"-3C\"", RoundTrip.Channel(state, "maybeTemperature").GetRawText());
        Assert.Equal("null", RoundTrip.Channel(state with { MaybeTemperature = null }, "maybeTemperature").GetRawText());
        Assert.Equal("\"QUIET\"", RoundTrip.Channel(state, "shout").GetRawText());
        Assert.Equal("5", RoundTrip.Channel(state, "numericColor").GetRawText());
    }

    [Fact]
    public void JsonStringEnumConverter_on_an_enum_leaves_the_generated_name_writer_in_place()
    {
        Assert.Equal("\"Green\"", RoundTrip.Channel(Sample(), "namedColor").GetRawText());
    }

    [Fact]
    public void Microsoft_Extensions_AI_types_use_AIJsonUtilities()
    {
        var message = RoundTrip.Channel(Sample(), "message");

        var expected = JsonSerializer.SerializeToElement(Sample().Message, AIJsonUtilities.DefaultOptions);
        Assert.True(JsonElement.DeepEquals(expected, message), message.GetRawText());
    }
}
