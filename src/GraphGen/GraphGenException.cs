namespace GraphGen;

/// <summary>The base of every error GraphGen raises on purpose. Messages name what was wrong and how to fix it.</summary>
public class GraphGenException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public GraphGenException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public GraphGenException(string message, Exception? inner) : base(message, inner) { }
}
