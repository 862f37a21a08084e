using Microsoft.CodeAnalysis.CSharp;

namespace GraphGen.Generators.Helpers;

/// <summary>How user names and text are written into generated C#.</summary>
internal static class CSharpNames
{
    /// <summary>A name as an identifier: <c>@</c>-escaped when it is a keyword (<c>@class</c>).</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    /// <summary>Text as a C# string literal, quotes and control characters escaped.</summary>
    public static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);
}
