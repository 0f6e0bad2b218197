using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Sigil.Generators.Models;
using Sigil.Language.Model;

namespace Sigil.Generators.Tests;

/// <summary>
/// The pipeline's models may hold only values: no symbol, compilation, syntax, source text or parse
/// tree can hide in them, or the generator's cache would hold the compilation alive and compare by
/// reference.
/// </summary>
public sealed class ModelContractTests
{
    [Theory]
    [InlineData(typeof(FibreSpec))]
    [InlineData(typeof(FibreCompilation))]
    [InlineData(typeof(FibreInput))]
    [InlineData(typeof(EmissionInput))]
    public void Model_TypeGraph_HoldsNoCompilerObjects(Type root)
    {
        var seen = new HashSet<Type>();
        var offenders = new List<string>();
        Walk(root, root.Name, seen, offenders);

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        Assert.Contains(typeof(ValueSpec), seen.Concat(new[] { typeof(ValueSpec) }));
    }

    [Fact]
    public void Model_SpecRecords_AreSealedRecordsWithValueEquality()
    {
        var specs = typeof(FibreSpec).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(FibreSpec).Namespace && t.IsClass && !t.IsAbstract && t.GetMethod("<Clone>$") is not null)
            .ToList();

        Assert.NotEmpty(specs);
        Assert.All(specs, t => Assert.True(t.IsSealed, t.Name + " must be sealed"));
    }

    private static void Walk(Type type, string path, HashSet<Type> seen, List<string> offenders)
    {
        if (!seen.Add(type) || type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
        {
            return;
        }

        var ns = type.Namespace ?? string.Empty;
        if (typeof(ISymbol).IsAssignableFrom(type) || typeof(Compilation).IsAssignableFrom(type) || typeof(SyntaxNode).IsAssignableFrom(type)
            || typeof(SyntaxTree).IsAssignableFrom(type) || typeof(Microsoft.CodeAnalysis.Text.SourceText).IsAssignableFrom(type)
            || typeof(AdditionalText).IsAssignableFrom(type) || ns.StartsWith("Antlr4", StringComparison.Ordinal) || type == typeof(object)
            || (typeof(Delegate).IsAssignableFrom(type)))
        {
            offenders.Add(path + ": " + type.FullName);
            return;
        }

        if (type.IsGenericType)
        {
            foreach (var argument in type.GetGenericArguments())
            {
                Walk(argument, path + "<" + argument.Name + ">", seen, offenders);
            }

            if (type.GetGenericTypeDefinition() == typeof(EquatableArray<>) || type.GetGenericTypeDefinition() == typeof(Nullable<>))
            {
                return;
            }
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
            {
                Walk(property.PropertyType, path + "." + property.Name, seen, offenders);
            }
        }
    }
}
