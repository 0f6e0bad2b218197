using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Sigil.Proofs.Tests;

/// <summary>docs/proofs.md names only theorems that exist in the library and are closed with Qed.</summary>
public sealed class ProofsDocTests
{
    private static readonly Regex s_name = new(@"`([A-Za-z_][A-Za-z0-9_']*)`");

    [Fact]
    public void Docs_EveryTheoremNamedInATheoremTable_ExistsAndIsClosedWithQed()
    {
        var library = Directory.GetFiles(Path.Combine(Coq.Library, "Sigil"), "*.v")
            .ToDictionary(f => Path.GetFileName(f), f => CoqLibraryTests.StripComments(File.ReadAllText(f)), StringComparer.Ordinal);
        var named = TheoremTableNames(File.ReadAllLines(Path.Combine(Coq.Repository, "docs", "proofs.md"))).ToList();
        Assert.True(named.Count > 40, $"only {named.Count} theorem names found in docs/proofs.md's tables");
        foreach (var name in named)
        {
            var closing = library.Select(f => Closing(f.Value, name)).Where(c => c is not null).ToList();
            Assert.True(closing.Count == 1, $"docs/proofs.md names {name}, which is declared {closing.Count} times in proofs/Sigil");
            Assert.True(closing[0] == "Qed.", $"docs/proofs.md names {name}, which ends with {closing[0]}, not Qed.");
        }

        // The library table names every file of the library.
        var text = File.ReadAllText(Path.Combine(Coq.Repository, "docs", "proofs.md"));
        Assert.All(library.Keys, file => Assert.Contains("| `" + file + "` |", text));
    }

    [Fact]
    public void Docs_AMissingOrAdmittedTheorem_IsFound()
    {
        // The check above can fail: an unknown name is declared nowhere, an admitted one ends otherwise.
        Assert.Null(Closing("Theorem a : True.\nProof. exact I. Qed.\n", "b"));
        Assert.Equal("Admitted.", Closing("Theorem a : True.\nProof.\nAdmitted.\nTheorem b : True.\nProof. exact I. Qed.\n", "a"));
        Assert.Equal("Qed.", Closing("Lemma a' : True.\nProof. exact I. Qed.\n", "a'"));
        Assert.Equal(new[] { "x", "y_z" }, TheoremTableNames(new[] { "| theorem | statement |", "| --- | --- |", "| `x`, `y_z` | about `w` |", "", "| file | what |", "| `F.v` | `q` |" }));
    }

    /// <summary>The names in the first column of every table whose first header cell is "theorem".</summary>
    private static IEnumerable<string> TheoremTableNames(IEnumerable<string> lines)
    {
        var inTable = false;
        foreach (var line in lines)
        {
            if (!line.StartsWith('|'))
            {
                inTable = false;
                continue;
            }

            var cells = line.Split('|');
            if (cells.Length < 3)
            {
                continue;
            }

            if (cells[1].Trim() == "theorem")
            {
                inTable = true;
                continue;
            }

            if (inTable)
            {
                foreach (Match m in s_name.Matches(cells[1]))
                {
                    yield return m.Groups[1].Value;
                }
            }
        }
    }

    /// <summary>How the declaration of <paramref name="name"/> ends (Qed., Admitted., Defined., Abort.), or null when it is not declared.</summary>
    private static string? Closing(string code, string name)
    {
        var declaration = Regex.Match(code, @"^(?:Theorem|Lemma|Corollary|Example|Fact|Proposition|Remark)\s+" + Regex.Escape(name) + @"(?![A-Za-z0-9_'])", RegexOptions.Multiline);
        if (!declaration.Success)
        {
            return null;
        }

        var end = Regex.Match(code[declaration.Index..], @"\b(Qed|Admitted|Defined|Abort)\.");
        return end.Success ? end.Value : "(no end)";
    }
}
