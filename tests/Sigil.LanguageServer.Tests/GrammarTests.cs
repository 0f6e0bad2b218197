using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sigil.Language.Authoring;

namespace Sigil.LanguageServer.Tests;

/// <summary>
/// The editor grammar (editors/vscode/syntaxes/sigil.tmLanguage.json): its words are the
/// compiler's, and it scopes every token of the shipped fibres and of docs/language.md's examples.
/// </summary>
public sealed class GrammarTests
{
    private static readonly string s_extension = Path.Combine(Repository.Root, "editors", "vscode");

    private static JsonNode Grammar => JsonNode.Parse(File.ReadAllText(Path.Combine(s_extension, "syntaxes", "sigil.tmLanguage.json")))!;

    // A keyword the lexer learns and the grammar lacks (or the reverse) fails here.
    [Fact]
    public void Grammar_Keywords_AreTheLexers()
    {
        Assert.Equal(SigilVocabulary.Keywords, Words(Grammar["repository"]!["keywords"]!));
    }

    [Fact]
    public void Grammar_SupportWords_AreTheBindersVocabulary()
    {
        var support = Grammar["repository"]!["support"]!["patterns"]!.AsArray();
        var functions = SigilVocabulary.UtilityFunctions.Concat(SigilVocabulary.Sensors).Concat(SigilVocabulary.Actuators)
            .Concat(SigilVocabulary.Aggregates).Concat(SigilVocabulary.Instruments).Concat(SigilVocabulary.Responses);
        var constants = SigilVocabulary.SolverMethods.Concat(SigilVocabulary.SolverSettings).Concat(SigilVocabulary.Certificates)
            .Concat(SigilVocabulary.SensorKeys).Concat(SigilVocabulary.KernelKeys).Concat(SigilVocabulary.HookArguments).Append("auto");
        Assert.Equal(Sorted(functions), Sorted(Words(support.Single(p => (string?)p!["name"] == "support.function.sigil")!)));
        Assert.Equal(Sorted(constants), Sorted(Words(support.Single(p => (string?)p!["name"] == "support.constant.sigil")!)));
    }

    [Fact]
    public async System.Threading.Tasks.Task Grammar_TokenisesFibresAndLanguageDocExamples_WithoutUnknownScopes()
    {
        var modules = NodeTools.EnsureTextMate(s_extension);
        // The sigil snippets of language.md; its CSV files (```csv blocks) are not sigil.
        var doc = Regex.Replace(File.ReadAllText(Path.Combine(Repository.Docs, "language.md")), "```csv\n.*?```\n", string.Empty, RegexOptions.Singleline);
        var snippets = Regex.Matches(doc, "```(?:sigil)?\n(.*?)```", RegexOptions.Singleline)
            .Select(static m => m.Groups[1].Value).ToList();
        Assert.Equal(Regex.Matches(doc, "^```", RegexOptions.Multiline).Count / 2, snippets.Count);

        var info = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(s_extension, "test", "tokenise.mjs"));
        foreach (var fibre in Repository.ShippedFibres())
        {
            info.ArgumentList.Add(fibre);
        }

        info.ArgumentList.Add("-");
        info.Environment["NODE_PATH"] = modules;
        using var node = Process.Start(info)!;
        node.StandardInput.Write(string.Join("\0", snippets));
        node.StandardInput.Close();
        var error = node.StandardError.ReadToEndAsync();
        var lines = node.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, await error);
        Assert.Equal(Repository.ShippedFibres().Length + snippets.Count, lines.Length);

        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var result = JsonNode.Parse(line)!;
            Assert.True(result["unscoped"]!.AsArray().Count == 0, line);
            Assert.True(result["invalid"]!.AsArray().Count == 0, line);
            Assert.True((int)result["tokens"]! > 0, line);
            foreach (var scope in result["scopes"]!.AsObject())
            {
                scopes.Add(scope.Key);
            }
        }

        // Each construct gets its own colour somewhere in the examples.
        foreach (var expected in new[]
        {
            "comment.line.double-slash.sigil", "string.quoted.double.sigil", "constant.numeric.sigil", "keyword.other.sigil",
            "entity.name.type.fibre.sigil", "variable.other.constant.declaration.sigil", "entity.name.label.export.sigil", "entity.name.label.row.sigil",
            "variable.other.decision.sigil", "variable.other.resource.sigil", "variable.other.price.sigil", "storage.type.unit.sigil",
            "entity.name.namespace.tracepoint-category.sigil", "entity.name.function.tracepoint-event.sigil", "support.function.sigil",
            "support.constant.sigil", "keyword.operator.utility.sigil", "keyword.operator.sense.sigil", "keyword.operator.export.sigil",
            "keyword.operator.comparison.sigil", "keyword.operator.range.sigil", "keyword.operator.arithmetic.sigil",
        })
        {
            Assert.Contains(expected, scopes);
        }
    }

    private static string[] Words(JsonNode pattern)
    {
        var match = (string?)pattern["match"] ?? (string)pattern["patterns"]![0]!["match"]!;
        var alternation = Regex.Match(match, @"\(\?:([^)]*)\)").Groups[1].Value;
        return alternation.Split('|').OrderBy(static w => w, StringComparer.Ordinal).ToArray();
    }

    private static string[] Sorted(IEnumerable<string> words) =>
        words.Where(static w => !SigilVocabulary.Keywords.Contains(w)).Distinct().OrderBy(static w => w, StringComparer.Ordinal).ToArray();
}
