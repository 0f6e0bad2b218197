using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Sigil.Language.Binding;
using Sigil.Language.Model;
using Sigil.Testing;
using static Sigil.Language.Tests.Snippets;

namespace Sigil.Language.Tests;

/// <summary>
/// Names reach C, C++, C#, Coq and YAML. Whatever a fibre writes, every name in a spec is a
/// validated identifier and every string is safe; anything else is a diagnostic.
/// </summary>
public sealed class SecurityTests
{
    [Theory]
    [InlineData("int", "C")]
    [InlineData("volatile", "C")]
    [InlineData("typename", "C++")]
    [InlineData("template", "C++")]
    [InlineData("namespace", "C#")]
    [InlineData("readonly", "C#")]
    [InlineData("Definition", "Coq")]
    [InlineData("Lemma", "Coq")]
    [InlineData("fun", "Coq")]
    [InlineData("match", "Coq")]
    [InlineData("Qed", "Coq")]
    [InlineData("End", "Coq")]
    [InlineData("yes", "YAML")]
    [InlineData("No", "YAML")]
    [InlineData("TRUE", "YAML")]
    [InlineData("off", "YAML")]
    [InlineData("null", "C#")]
    public void Name_KeywordOfATarget_IsRejectedNamingTheTarget(string name, string language)
    {
        foreach (var placement in Placements(name))
        {
            var result = DiagnosticAssert.Reports(placement);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Contains(language, diagnostic.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("__secret")]
    [InlineData("sigil_price")]
    [InlineData("a_name_of_sixty_five_characters_is_one_too_long_for_sigil_targets")]
    public void Name_ReservedOrTooLong_IsRejected(string name)
    {
        Assert.Equal(65, "a_name_of_sixty_five_characters_is_one_too_long_for_sigil_targets".Length);
        foreach (var placement in Placements(name))
        {
            DiagnosticAssert.Reports(placement);
        }
    }

    private static IEnumerable<string> Placements(string name)
    {
        yield return Base("param {|SIG1001:" + name + "|} = 1;");
        yield return Base("$" + "{|SIG1001:" + name + "|}[task] : s in [0, 1];");
        yield return Base("index {|SIG1001:" + name + "|} in 0 .. 1;");
        yield return Base("^r -> map {|SIG1001:" + name + "|};".Replace(name + "|}", name + "|}"));
        yield return Fibre(Task, X, R, "couple @r[{|SIG1001:" + name + "|}] >= $x[" + name + "];", Utility, Solve);
        yield return Base("metric {|SIG1001:" + name + "|} = mean($x);");
        yield return Base("param q : {|SIG1001:" + name + "|} = 1;");
    }

    [Theory]
    [InlineData("param p = 1; param \"q\" = 2;")]
    [InlineData("param p\n= 1; param q*) = 2;")]
    [InlineData("param p = 1; (* Qed. *) param q = 2;")]
    [InlineData("param p = 1; # include <stdio.h>")]
    [InlineData("param p = 1; param q`x = 2;")]
    [InlineData("param p = 1; param q\\ = 2;")]
    public void Name_WithBreakoutCharacters_IsASyntaxError(string members)
    {
        var result = Fibres.CompileText(Base(members));
        Assert.Null(result.Spec);
        Assert.Contains(result.Diagnostics, static d => d.Id.StartsWith("SIG000", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"/etc/passwd\"", "relative")]
    [InlineData("\"../secrets.csv\"", "..")]
    [InlineData("\"a/./b.csv\"", "..")]
    [InlineData("\"a\\\"b.csv\"", "quotes")]
    [InlineData("\"a\\\\b.csv\"", "backslashes")]
    [InlineData("\"a b.csv\"", "letters")]
    [InlineData("\"a$(rm).csv\"", "letters")]
    [InlineData("\"\"", "empty")]
    public void TablePath_Unsafe_IsRejected(string path, string reason)
    {
        var result = DiagnosticAssert.Reports(Base("table tab from {|SIG1018:" + path + "|} { a; }"));
        Assert.Contains(reason, result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"a*/b\"")]
    [InlineData("\"x; system(1)\"")]
    [InlineData("\"a\\\"b\"")]
    [InlineData("\"a.b\"")]
    [InlineData("\"\"")]
    public void InstrumentPattern_Unsafe_IsRejected(string pattern) =>
        DiagnosticAssert.Reports(Base("instrument calls({|SIG1034:" + pattern + "|});"));

    [Fact]
    public void TableRowKey_ThatIsNoName_IsRejected()
    {
        var files = new Dictionary<string, string> { ["t.csv"] = "k,a\nend,1\n" };
        var result = DiagnosticAssert.Reports(Base("table tab from {|SIG1017:\"t.csv\"|} { a; }"), files);
        Assert.Contains("Coq", result.Diagnostics[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IdentifierRules_AcceptTheShippedNames()
    {
        foreach (var name in new[] { "dwell", "hold", "task", "t", "price_dwell", "edit", "j", "maintenance", "MiB", "gDW", "mmol", "node0", "pfkA_overexpression", "x", "d" })
        {
            Assert.Null(IdentifierRules.Check(name));
        }
    }

    [Fact]
    public void Specs_FromTenThousandMutants_HoldOnlyValidatedNames()
    {
        var mutator = new FibreMutator(99);
        var seeds = new[] { Fibres.Text("dwell"), Fibres.Text("atp"), Fibres.Text("cache") };
        var checkedSpecs = 0;
        foreach (var text in mutator.Generate(seeds, 3000))
        {
            var spec = SigilCompiler.Compile(new SourceFile("m.sigil", text), Fibres.ReadTable).Spec;
            if (spec is null)
            {
                continue;
            }

            checkedSpecs++;
            foreach (var (path, value) in Strings(spec, "spec"))
            {
                var leaf = path.Substring(path.LastIndexOf('.') + 1);
                if (leaf is "Statement" or "SourceFileName")
                {
                    Assert.DoesNotContain('\n', value);
                    Assert.DoesNotContain("//", value, StringComparison.Ordinal);
                }
                else if (leaf == "Path")
                {
                    // Empty for a two-dimensional table given inline only (TableSpec.Path).
                    Assert.Matches("^[A-Za-z0-9_.\\-/]*$", value);
                    Assert.DoesNotContain("..", value, StringComparison.Ordinal);
                }
                else if (leaf == "Patterns[]")
                {
                    Assert.Matches("^[A-Za-z0-9_*?]+$", value);
                }
                else if (path.Contains("Members[]", StringComparison.Ordinal) && int.TryParse(value, out _))
                {
                    // Range index members are integers.
                }
                else if (leaf == "Table" && value.Length == 0)
                {
                }
                else if (leaf == "Resource" && value.Length == 0 && path.Contains("Actuators", StringComparison.Ordinal))
                {
                    // An affinity actuator reads no price.
                }
                else
                {
                    Assert.True(IdentifierRules.Check(value) is null, path + " = '" + value + "' reached a spec");
                }
            }
        }

        Assert.True(checkedSpecs > 100);
    }

    // Every string reachable from a spec, with its property path.
    private static IEnumerable<(string Path, string Value)> Strings(object? value, string path)
    {
        switch (value)
        {
            case null:
                yield break;
            case string s:
                yield return (path, s);
                yield break;
            case IEnumerable items:
                foreach (var item in items)
                {
                    foreach (var inner in Strings(item, path + "[]"))
                    {
                        yield return inner;
                    }
                }

                yield break;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || value is decimal)
        {
            yield break;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            foreach (var inner in Strings(property.GetValue(value), path + "." + property.Name))
            {
                yield return inner;
            }
        }
    }
}
