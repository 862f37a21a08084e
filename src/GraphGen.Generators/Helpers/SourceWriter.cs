using System;
using System.Text;

namespace GraphGen.Generators.Helpers;

/// <summary>An indent-aware text builder for generated source (the shape of System.Text.Json's generator's writer).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void WriteLine(string line = "")
    {
        if (line.Length == 0)
        {
            _text.Append('\n');
            return;
        }
        // Multi-line text (raw string literals) is indented line by line.
        foreach (var part in line.Replace("\r\n", "\n").Split('\n'))
        {
            if (part.Length > 0)
            {
                _text.Append(' ', _indent * 4).Append(part);
            }
            _text.Append('\n');
        }
    }

    public void OpenBlock(string header)
    {
        WriteLine(header);
        WriteLine("{");
        _indent++;
    }

    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    public void Indent() => _indent++;

    public void Unindent() => _indent--;

    public override string ToString() => _text.ToString();
}
