using System.Text.Json;

namespace GraphGen;

/// <summary>
/// Resumes an interrupted run: the interrupted node runs again from its start and its
/// <see cref="NodeContext.Interrupt(JsonElement)"/> call returns the resume value.
/// </summary>
public readonly record struct Command
{
    /// <summary>The value for the single pending interrupt.</summary>
    public JsonElement? ResumeValue { get; init; }

    /// <summary>Values by interrupt id, when several interrupts are pending.</summary>
    public IReadOnlyDictionary<string, JsonElement>? ResumeValues { get; init; }

    /// <summary>Resumes the only pending interrupt with <paramref name="value"/>.</summary>
    public static Command Resume(JsonElement value) => new() { ResumeValue = value };

    /// <summary>Resumes the only pending interrupt with a string.</summary>
    public static Command Resume(string value) => Resume(Json.Of(value));

    /// <summary>Resumes the only pending interrupt with a boolean.</summary>
    public static Command Resume(bool value) => Resume(Json.Of(value));

    /// <summary>Resumes each named interrupt with its value.</summary>
    public static Command ResumeById(IReadOnlyDictionary<string, JsonElement> values) => new() { ResumeValues = values };
}
