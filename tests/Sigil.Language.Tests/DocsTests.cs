using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Language.Diagnostics;

namespace Sigil.Language.Tests;

/// <summary>The documentation's examples compile as documented.</summary>
public sealed class DocsTests
{
    private static string Doc(string name) => File.ReadAllText(Path.Combine(Fibres.Directory, "..", "docs", name));

    [Fact]
    public void Diagnostics_EveryCode_HasASection()
    {
        var doc = Doc("diagnostics.md");
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.Contains("\n## " + descriptor.Id + "\n", doc, StringComparison.Ordinal);
            Assert.Contains("[" + descriptor.Id + "](#" + descriptor.Id.ToLowerInvariant() + ")", doc, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Diagnostics_EveryBadExample_ReportsItsCode()
    {
        var sections = Regex.Split(Doc("diagnostics.md"), "\n## ").Skip(1);
        var compiled = 0;
        foreach (var section in sections)
        {
            var code = section.Substring(0, 7);
            var files = new Dictionary<string, string>();
            foreach (Match m in Regex.Matches(section, "With `([^`]+)`:\n\n```csv\n(.*?)\n```", RegexOptions.Singleline))
            {
                files[m.Groups[1].Value] = m.Groups[2].Value + "\n";
            }

            var bad = Regex.Match(section, "Bad:\n\n```sigil\n(.*?)\n```", RegexOptions.Singleline);
            if (!bad.Success)
            {
                continue;
            }

            var result = SigilCompiler.Compile(new SourceFile("bad.sigil", bad.Groups[1].Value), path => files.TryGetValue(path, out var t) ? t : null);
            Assert.True(result.Diagnostics.Any(d => d.Id == code), code + ": " + string.Join("; ", result.Diagnostics));
            compiled++;
        }

        Assert.True(compiled >= 60);
    }

    [Fact]
    public void ReleaseTracking_ListsEveryRuleWithItsCategoryAndSeverity()
    {
        var text = File.ReadAllText(Path.Combine(Fibres.Directory, "..", "src", "Sigil.Language", "Diagnostics", "AnalyzerReleases.Unshipped.md"));
        foreach (var d in DiagnosticDescriptors.All)
        {
            Assert.Contains(d.Id + " | " + d.Category + " | " + d.Severity + " | " + d.Title + "\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Language_EveryFibreExample_CompilesClean()
    {
        var doc = Doc("language.md");
        var examples = Regex.Matches(doc, "```sigil\n((?://[^\n]*\n)*fibre .*?)\n```", RegexOptions.Singleline);
        Assert.NotEmpty(examples);

        // The table files the examples read: each `name.csv`: block of the document.
        var files = Regex.Matches(doc, "`([^`]+\\.csv)`:\n\n```csv\n(.*?)\n```", RegexOptions.Singleline)
            .ToDictionary(static m => m.Groups[1].Value, static m => m.Groups[2].Value + "\n", StringComparer.Ordinal);
        Assert.Contains("network.csv", files.Keys);
        foreach (Match example in examples)
        {
            var result = SigilCompiler.Compile(new SourceFile("example.sigil", example.Groups[1].Value), path => files.TryGetValue(path, out var t) ? t : null);
            Assert.True(result.Diagnostics.IsEmpty, string.Join("; ", result.Diagnostics));
        }
    }
}
