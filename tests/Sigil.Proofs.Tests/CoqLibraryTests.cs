using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Runtime.Proofs;

namespace Sigil.Proofs.Tests;

/// <summary>The Coq library (proofs/Sigil): it compiles, proves without holes, and rests only on the Reals axioms.</summary>
public sealed class CoqLibraryTests
{
    private static readonly Regex s_declaration = new(@"^(?:Theorem|Lemma|Corollary|Example|Fact|Proposition)\s+([A-Za-z_][A-Za-z0-9_']*)", RegexOptions.Multiline);

    private static IEnumerable<string> LibraryFiles() => Directory.GetFiles(Path.Combine(Coq.Library, "Sigil"), "*.v").OrderBy(f => f, StringComparer.Ordinal);

    [CoqFact]
    public void Library_Compiles_WithCoqc()
    {
        // Checked once per test run: this is the copy every report of the run uses.
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var sources = CoqLibrary.Load(Coq.Library);
        var compiled = CoqLibrary.Compile(coqc, sources, Coq.Options.WorkDirectory!, TimeSpan.FromMinutes(5));
        Assert.True(compiled.Ok, compiled.Error);
        Assert.False(compiled.Reused);
        Assert.Equal(LibraryFiles().Count(), sources.Files.Count);
        foreach (var file in sources.Files)
        {
            Assert.True(File.Exists(Path.Combine(compiled.Root, Path.ChangeExtension(file.Key, ".vo"))), file.Key + " has no .vo");
        }
    }

    [CoqFact]
    public void Library_BrokenFile_IsRejectedWithCoqcsMessage()
    {
        // The check can fail: the library with one proof cut short does not compile.
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var sources = CoqLibrary.Load(Coq.Library);
        var files = sources.Files.Select(f => f.Key == "Sigil/PriceUpdate.v"
            ? new KeyValuePair<string, string>(f.Key, f.Value.Replace("Definition update (g c l p : R)", "Theorem broken : 1 = 2.\nProof. reflexivity. Qed.\n\nDefinition update (g c l p : R)", StringComparison.Ordinal))
            : f).ToList();
        var compiled = CoqLibrary.CompileFresh(coqc, sources with { Files = files }, Path.Combine(Coq.Options.WorkDirectory!, "library-broken"), TimeSpan.FromMinutes(5));
        Assert.False(compiled.Ok);
        Assert.Contains("Sigil/PriceUpdate.v", compiled.Error);
        Assert.Single(compiled.FileTimes);
    }

    [Fact]
    public void Library_Sources_HaveNoAdmittedProofOrAxiom()
    {
        foreach (var file in LibraryFiles())
        {
            var code = StripComments(File.ReadAllText(file));
            foreach (var banned in new[] { "Admitted", "admit", "Axiom", "Axioms", "Parameter", "Parameters", "Conjecture", "Abort" })
            {
                Assert.False(Regex.IsMatch(code, @"\b" + banned + @"\b"), $"{Path.GetFileName(file)} uses {banned}");
            }

            // Section variables and hypotheses are discharged into universal quantifiers when the
            // section closes; outside a section they would be axioms.
            var depth = 0;
            foreach (var line in code.Split('\n'))
            {
                var trimmed = line.Trim();
                depth += trimmed.StartsWith("Section ", StringComparison.Ordinal) ? 1 : 0;
                depth -= trimmed.StartsWith("End ", StringComparison.Ordinal) && depth > 0 ? 1 : 0;
                if (Regex.IsMatch(trimmed, @"^(Variable|Variables|Hypothesis|Hypotheses|Context)\b"))
                {
                    Assert.True(depth > 0, $"{Path.GetFileName(file)}: '{trimmed}' outside a section");
                }
            }
        }
    }

    [Fact]
    public void Library_Names_NeverStartWithTheGeneratedPrefix()
    {
        foreach (var file in LibraryFiles())
        {
            var code = File.ReadAllText(file);
            Assert.DoesNotMatch(new Regex(@"^(?:Definition|Fixpoint|Lemma|Theorem|Corollary|Record|Ltac|Notation)\s+s_", RegexOptions.Multiline), code);
        }
    }

    [CoqFact]
    public void Library_PrintAssumptions_ListsOnlyTheRealsAxioms()
    {
        var theorems = new List<string>();
        foreach (var file in LibraryFiles())
        {
            var module = Path.GetFileNameWithoutExtension(file);
            theorems.AddRange(s_declaration.Matches(StripComments(File.ReadAllText(file))).Select(m => "Sigil." + module + "." + m.Groups[1].Value));
        }

        Assert.True(theorems.Count > 60, $"only {theorems.Count} theorems found");
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var library = CoqLibrary.Compile(coqc, CoqLibrary.Load(Coq.Library), Coq.Options.WorkDirectory!, TimeSpan.FromMinutes(5));
        Assert.True(library.Ok, library.Error);

        // One Print Assumptions over a tuple of every top-level theorem lists the union of their axioms.
        var modules = string.Join(" ", LibraryFiles().Select(f => Path.GetFileNameWithoutExtension(f)));
        var tuple = string.Concat(theorems.Select(t => "(" + t + ", ")) + "tt" + new string(')', theorems.Count);
        var text = $"From Sigil Require {modules}.\nDefinition all_library_theorems := {tuple}.\nPrint Assumptions all_library_theorems.\n";
        var folder = Path.Combine(Coq.Options.WorkDirectory!, "assumptions");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "LibraryAssumptions.v");
        File.WriteAllText(path, text);
        var run = coqc.Run(new[] { "-q" }.Concat(library.LoadPath).Append(path), folder, TimeSpan.FromMinutes(5));
        Assert.True(run.Succeeded, run.Output);
        Assert.Contains("Axioms:", run.Stdout);
        var axioms = CoqcOutput.Axioms(run.Stdout);
        Assert.NotEmpty(axioms);
        Assert.All(axioms, a => Assert.Contains(a, ProofReportResult.RealsAxioms));
    }

    [CoqFact]
    public void Library_AnAdmittedLemma_IsCaughtByPrintAssumptions()
    {
        // The check above must be able to fail: an admitted lemma shows up as an axiom.
        var coqc = Sigil.Runtime.Proofs.Coqc.Find(null)!;
        var folder = Path.Combine(Coq.Options.WorkDirectory!, "admitted");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "Admitted.v");
        File.WriteAllText(path, "Lemma hole : 1 = 2.\nAdmitted.\nPrint Assumptions hole.\n");
        var run = coqc.Run(new[] { "-q", path }, folder, TimeSpan.FromMinutes(1));
        Assert.True(run.Succeeded, run.Output);
        Assert.Equal(new[] { "hole" }, CoqcOutput.Axioms(run.Stdout));
    }

    internal static string StripComments(string text)
    {
        var result = new System.Text.StringBuilder(text.Length);
        var depth = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && text[i] == '(' && text[i + 1] == '*')
            {
                depth++;
                i++;
            }
            else if (i + 1 < text.Length && text[i] == '*' && text[i + 1] == ')' && depth > 0)
            {
                depth--;
                i++;
            }
            else if (depth == 0)
            {
                result.Append(text[i]);
            }
        }

        return result.ToString();
    }
}
