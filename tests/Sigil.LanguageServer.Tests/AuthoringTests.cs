using System;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Authoring;
using Sigil.LanguageServer;
using Sigil.Testing;

namespace Sigil.LanguageServer.Tests;

/// <summary>The compiler's authoring API, in process: any text, completion words, names.</summary>
[Collection(TimedCollection.Name)]
public sealed class AuthoringTests
{
    // The fuzz corpus the compiler's own fuzz test draws from (tests/Shared/FibreMutator.cs), run
    // through everything the server does with a text: compile, names, hover lookups, completion
    // and formatting at many positions. None may throw.
    [Fact]
    public void Document_FuzzCorpus_NeverThrows()
    {
        var seeds = Repository.ShippedFibres().Select(File.ReadAllText).ToList();
        var mutants = new FibreMutator(15).Generate(seeds, 150).ToList();
        mutants.Add(FibreMutator.DeepNesting(500));
        mutants.Add(FibreMutator.DeepUnary(500));
        mutants.Add(new FibreMutator(16).Garbage(5000));
        var random = new Random(15);
        foreach (var text in mutants)
        {
            var document = SigilDocument.Analyze(new SourceFile("/tmp/fuzz.sigil", text), ReadTable);
            for (var i = 0; i < 8; i++)
            {
                var position = random.Next(text.Length + 1);
                if (document.OccurrenceAt(position) is { } occurrence)
                {
                    Assert.NotEmpty(document.OccurrencesOf(occurrence.Symbol));
                }

                _ = document.Complete(position);
                _ = document.GetLinePosition(position);
            }

            var formatted = document.Format();
            Assert.NotNull(formatted);
        }
    }

    [Fact]
    public void Vocabulary_UtilityFunctions_EachCompiles()
    {
        foreach (var function in SigilVocabulary.UtilityFunctions)
        {
            var call = function == "fair" ? "fair($x[t] + 1, 2)" : function + "($x[t] + 1)";
            var text = "fibre f {\n index task by pid;\n $x[task] : s in [0, 10];\n @r[task] : s = 5;\n couple @r[t] >= $x[t];\n utility $x[t] ~ " + call + ";\n solve dual { step = auto; }\n}\n";
            var result = SigilCompiler.Compile(new SourceFile("f.sigil", text));
            Assert.True(result.Spec is not null, function + ": " + string.Join("; ", result.Diagnostics));
        }
    }

    [Fact]
    public void Vocabulary_Lists_AreTheBindersWords()
    {
        Assert.Contains("sense", SigilVocabulary.Keywords);
        Assert.Equal(new[] { "dual", "admm", "penalty" }, SigilVocabulary.SolverMethods);
        Assert.Contains("online", SigilVocabulary.SolverSettingsOf("dual"));
        Assert.DoesNotContain("online", SigilVocabulary.SolverSettingsOf("admm"));
        Assert.Contains("seconds", SigilVocabulary.Units);
        Assert.Contains("syscalls:sys_enter_openat", SigilVocabulary.Tracepoints());
    }

    [Fact]
    public void Document_Completion_FollowsTheStatement()
    {
        var text = File.ReadAllText(Path.Combine(Repository.Fibres, "cache.sigil"));
        var document = SigilDocument.Analyze(new SourceFile(Path.Combine(Repository.Fibres, "cache.sigil"), text), ReadTable);
        string[] Labels(string context) => document.Complete(text.IndexOf(context, StringComparison.Ordinal) + context.Length).Select(static i => i.Label).ToArray();

        Assert.Contains("rho", Labels("solve admm { "));
        Assert.DoesNotContain("step", Labels("solve admm { "));
        Assert.Contains("chordal", Labels("certify "));
        Assert.Contains("affinity", Labels("    act "));
        Assert.Contains("MiB", Labels("param footprint : "));
        Assert.Contains("$x", Labels("couple @llc[d] >= "));
        Assert.Contains("footprint", Labels("couple @llc[d] >= "));
        Assert.Contains("^llc", Labels("couple @llc[d] >= "));
        Assert.Contains("oncpu", Labels("sense $oncpu[t] <- "));
        Assert.Contains("tid", Labels("key ("));
        Assert.Contains("log", Labels("utility $x[t, d] ~ "));
        Assert.Contains("couple", Labels("    act affinity;\n"));
    }

    private static string? ReadTable(string relative)
    {
        var path = Path.Combine(Repository.Fibres, relative);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }
}
