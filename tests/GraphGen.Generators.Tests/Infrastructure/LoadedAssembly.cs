using System.Reflection;
using System.Runtime.Loader;

namespace GraphGen.Generators.Tests.Infrastructure;

/// <summary>
/// A compiled test input loaded into its own collectible <see cref="AssemblyLoadContext"/>
/// (from <see cref="GeneratorHarness.CompileAndLoad"/>). Dispose to unload.
/// </summary>
public sealed class LoadedAssembly(AssemblyLoadContext context, Assembly assembly) : IDisposable
{
    public Assembly Assembly { get; } = assembly;

    /// <summary>The type named <paramref name="fullName"/> (e.g. <c>Sample.Counter</c>, nested as <c>Outer+Inner</c>); fails if absent.</summary>
    public Type GetType(string fullName) =>
        Assembly.GetType(fullName) ?? throw new InvalidOperationException(
            $"No type '{fullName}' in the compiled input. Types: {string.Join(", ", Assembly.GetTypes().Select(t => t.FullName))}");

    /// <summary>
    /// A static method as a typed delegate, so a test calls generated code directly instead of through
    /// <see cref="MethodBase.Invoke(object?, object?[])"/> (whose exceptions arrive wrapped).
    /// </summary>
    public TDelegate StaticMethod<TDelegate>(string typeName, string methodName)
        where TDelegate : Delegate
    {
        var method = GetType(typeName).GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException($"No static method '{methodName}' on '{typeName}'.");
        return method.CreateDelegate<TDelegate>();
    }

    public void Dispose() => context.Unload();
}
