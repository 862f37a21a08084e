using System;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GraphGen.Generators.Helpers;

/// <summary>One containing type of a nested declaration: its keyword(s) and name, outermost first.</summary>
internal sealed record ContainingType(string Keyword, string Name);

/// <summary>Where a type lives: namespace and containing types, so a nested partial can be reopened exactly.</summary>
internal sealed record TypeHierarchy(string? Namespace, EquatableArray<ContainingType> Containers)
{
    public static TypeHierarchy From(INamedTypeSymbol type)
    {
        var containers = new System.Collections.Generic.List<ContainingType>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers.Insert(0, new ContainingType(KeywordOf(outer), outer.Name));
        }
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return new TypeHierarchy(ns, containers.ToEquatableArray());
    }

    /// <summary>Opens the namespace and every containing type; returns how many blocks to close.</summary>
    public int Open(SourceWriter writer)
    {
        if (Namespace is not null)
        {
            writer.WriteLine($"namespace {Namespace};");
            writer.WriteLine();
        }
        foreach (var container in Containers)
        {
            writer.OpenBlock($"partial {container.Keyword} {CSharpNames.Identifier(container.Name)}");
        }
        return Containers.Length;
    }

    public static string KeywordOf(INamedTypeSymbol type) => (type.IsRecord, type.TypeKind) switch
    {
        (true, TypeKind.Struct) => "record struct",
        (true, _) => "record",
        (false, TypeKind.Struct) => "struct",
        (false, TypeKind.Interface) => "interface",
        _ => "class",
    };

    /// <summary>A file-name-safe form of a name: <c>Outer.Inner</c>, with generic arity kept readable.</summary>
    public static string HintName(INamedTypeSymbol type, string feature)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "");
        var safe = new string(name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray());
        return $"{safe}.{feature}.g.cs";
    }
}
