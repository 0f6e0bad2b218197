using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Sigil.Testing;

namespace Sigil.LanguageServer.Tests;

/// <summary>A whole editor session with <c>sigil lsp</c>, spoken over its stdin and stdout.</summary>
[Collection(TimedCollection.Name)]
public sealed class LspSessionTests
{
    [Fact]
    public async Task Server_EditorSession_AnswersOverStdio()
    {
        using var client = LspClient.Start(Repository.SigilDll);
        var initialized = await client.RequestAsync("initialize", new { processId = Environment.ProcessId, rootUri = new Uri(Repository.Root).AbsoluteUri, capabilities = new { } });
        Assert.True((bool)initialized!["capabilities"]!["hoverProvider"]!);
        Assert.Equal(1, (int)initialized["capabilities"]!["textDocumentSync"]!);
        await client.NotifyAsync("initialized", new { });

        // Every shipped fibre opens clean (tables read beside the file).
        foreach (var path in Repository.ShippedFibres())
        {
            var uri = new Uri(path).AbsoluteUri;
            await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "sigil", version = 1, text = File.ReadAllText(path) } });
            var published = client.WaitForNotification("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri);
            Assert.True(published["diagnostics"]!.AsArray().Count == 0, Path.GetFileName(path) + ": " + published.ToJsonString());
        }

        var dwellPath = Path.Combine(Repository.Fibres, "dwell.sigil");
        var dwell = new Uri(dwellPath).AbsoluteUri;
        var dwellText = File.ReadAllText(dwellPath);
        var atpPath = Path.Combine(Repository.Fibres, "atp.sigil");
        var atp = new Uri(atpPath).AbsoluteUri;
        var atpText = File.ReadAllText(atpPath);

        // Hover: a parameter (value, unit), a resource (unit, budget), a price (its resource, budget, map), a table column (its numbers).
        var parameter = await HoverText(client, dwell, At(dwellText, "when ^dwell[t] >= throttle_price", "throttle_price"));
        Assert.Contains("param throttle_price = 5", parameter, StringComparison.Ordinal);
        Assert.Contains("**parameter**", parameter, StringComparison.Ordinal);
        var resource = await HoverText(client, dwell, At(dwellText, "couple @dwell[t]", "dwell"));
        Assert.Contains("@dwell[task] : s = 5", resource, StringComparison.Ordinal);
        Assert.Contains("**resource**", resource, StringComparison.Ordinal);
        var price = await HoverText(client, dwell, At(dwellText, "act kill when ^dwell[t]", "dwell"));
        Assert.Contains("**price**", price, StringComparison.Ordinal);
        Assert.Contains("budget `5`", price, StringComparison.Ordinal);
        Assert.Contains("map `price_dwell`", price, StringComparison.Ordinal);
        var column = await HoverText(client, atp, At(atpText, "weight[e] * $made[e]", "weight"));
        Assert.Contains("`acetate` = 0.05", column, StringComparison.Ordinal);
        Assert.Contains("`formate` = 0.05", column, StringComparison.Ordinal);

        // Definition of a use of `budget`, references of `$hold`.
        var definition = (await client.RequestAsync("textDocument/definition", Position(dwell, At(dwellText, "s = budget;", "budget"))))!.AsArray();
        Assert.Equal(At(dwellText, "param budget", "budget"), Start(Assert.Single(definition)!["range"]!));
        var references = (await client.RequestAsync("textDocument/references", new { textDocument = new { uri = dwell }, position = Pos(At(dwellText, "sense $hold", "hold")), context = new { includeDeclaration = true } }))!.AsArray();
        var expected = Occurrences(dwellText, "$hold").Select(p => (p.Line, p.Character + 1)).ToList();
        Assert.Equal(expected, references.Select(r => Start(r!["range"]!)).OrderBy(p => p).ToList());

        // Completion inside a sense statement: the kernel's tracepoints, then one category's events.
        var tracepoints = await CompletionLabels(client, dwell, After(dwellText, "span("));
        Assert.Contains("syscalls:sys_enter_openat", tracepoints);
        Assert.Contains("sched:sched_switch", tracepoints);
        var events = await CompletionLabels(client, dwell, After(dwellText, "span(syscalls:"));
        Assert.Contains("sys_enter_close", events);
        Assert.DoesNotContain("sched_switch", events);

        // Document symbols: the fibre holds its declarations.
        var symbols = (await client.RequestAsync("textDocument/documentSymbol", new { textDocument = new { uri = atp } }))!.AsArray();
        var children = Assert.Single(symbols)!["children"]!.AsArray().Select(c => (string)c!["name"]!).ToList();
        Assert.Equal(new[] { "reactions", "metabolites", "S", "edits", "secretes", "atpm", "rxn", "met", "edit", "upkeep", "maintenance", "$v", "$made" }, children);

        // Answers within 50 ms once a document is compiled (median of 20 hovers and 20 completions).
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            await client.RequestAsync("textDocument/hover", Position(dwell, At(dwellText, "couple @dwell[t]", "dwell")));
            await client.RequestAsync("textDocument/completion", Position(dwell, After(dwellText, "span(syscalls:")));
            timings.Add(watch.Elapsed.TotalMilliseconds / 2);
        }

        timings.Sort();
        Assert.True(timings[timings.Count / 2] < 50, "median answer " + timings[timings.Count / 2] + " ms");

        // Three mistakes typed in: each reported with its code at its place.
        var broken = dwellText
            .Replace("@dwell[task] : s = budget;", "@dwell[task] : s = budgett;", StringComparison.Ordinal)
            .Replace("step = 2.0; online;", "step = 2.0; stepp = 1; online;", StringComparison.Ordinal)
            .Replace("syscalls:sys_enter_close", "syscalls:sys_enter_clos", StringComparison.Ordinal);
        await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = dwell, version = 2 }, contentChanges = new[] { new { text = broken } } });
        var diagnostics = client.WaitForNotification("textDocument/publishDiagnostics", p => (string?)p["uri"] == dwell && (int?)p["version"] == 2)["diagnostics"]!.AsArray();
        AssertDiagnostic(diagnostics, "SIG1003", At(broken, "budgett", "budgett"));
        AssertDiagnostic(diagnostics, "SIG1010", At(broken, "stepp", "stepp"));
        AssertDiagnostic(diagnostics, "SIG3002", At(broken, "sys_enter_clos)", "sys_enter_clos"));
        Assert.Equal(3, diagnostics.Count);

        // A hover on a mistake carries the code's help text from docs/diagnostics.md.
        var help = await HoverText(client, dwell, At(broken, "budgett", "budgett"));
        Assert.Contains("**SIG1003**", help, StringComparison.Ordinal);
        Assert.Contains("**Undefined name.**", help, StringComparison.Ordinal);

        Assert.Null(await client.RequestAsync("shutdown", null));
        await client.NotifyAsync("exit", null);
        Assert.True(client.Process.WaitForExit(10_000), "the server did not exit");
        Assert.Equal(0, client.Process.ExitCode);
    }

    [Fact]
    public async Task Server_Formatting_ReindentsAndKeepsComments()
    {
        using var client = LspClient.Start(Repository.SigilDll);
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, capabilities = new { } });
        var original = File.ReadAllText(Path.Combine(Repository.Fibres, "dwell.sigil"));
        var messy = string.Join("\n", original.Split('\n').Select((line, i) => (i % 2 == 0 ? "  " : "\t ") + line.Trim() + "   "));
        const string uri = "untitled:messy.sigil";
        await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "sigil", version = 1, text = messy } });
        var edits = (await client.RequestAsync("textDocument/formatting", new { textDocument = new { uri }, options = new { tabSize = 4, insertSpaces = true } }))!.AsArray();
        Assert.Equal(original, (string)Assert.Single(edits)!["newText"]!);
        Assert.Null(await client.RequestAsync("shutdown", null));
    }

    private static void AssertDiagnostic(JsonArray diagnostics, string code, (int Line, int Character) at)
    {
        var found = diagnostics.Where(d => (string?)d!["code"] == code).ToList();
        Assert.True(found.Count == 1, code + " in " + diagnostics.ToJsonString());
        var range = found[0]!["range"]!;
        var start = Start(range);
        var end = ((int)range["end"]!["line"]!, (int)range["end"]!["character"]!);
        Assert.True(start.CompareTo(at) <= 0 && end.CompareTo(at) > 0, $"{code} at {start}-{end}, expected to cover {at}");
    }

    private static async Task<string> HoverText(LspClient client, string uri, (int Line, int Character) at)
    {
        var hover = await client.RequestAsync("textDocument/hover", Position(uri, at));
        Assert.NotNull(hover);
        return (string)hover!["contents"]!["value"]!;
    }

    private static async Task<List<string>> CompletionLabels(LspClient client, string uri, (int Line, int Character) at)
    {
        var list = await client.RequestAsync("textDocument/completion", Position(uri, at));
        return list!["items"]!.AsArray().Select(i => (string)i!["label"]!).ToList();
    }

    private static object Position(string uri, (int Line, int Character) at) => new { textDocument = new { uri }, position = Pos(at) };

    private static object Pos((int Line, int Character) at) => new { line = at.Line, character = at.Character };

    private static (int, int) Start(JsonNode range) => ((int)range["start"]!["line"]!, (int)range["start"]!["character"]!);

    /// <summary>The position of <paramref name="word"/> inside the first occurrence of <paramref name="context"/>.</summary>
    internal static (int Line, int Character) At(string text, string context, string word)
    {
        var offset = text.IndexOf(context, StringComparison.Ordinal);
        Assert.True(offset >= 0, "'" + context + "' not in the text");
        return LineCharacter(text, offset + context.IndexOf(word, StringComparison.Ordinal));
    }

    /// <summary>The position just after the first occurrence of <paramref name="context"/>.</summary>
    internal static (int Line, int Character) After(string text, string context)
    {
        var offset = text.IndexOf(context, StringComparison.Ordinal);
        Assert.True(offset >= 0, "'" + context + "' not in the text");
        return LineCharacter(text, offset + context.Length);
    }

    private static IEnumerable<(int Line, int Character)> Occurrences(string text, string word)
    {
        for (var i = text.IndexOf(word, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
        {
            if (i + word.Length >= text.Length || !char.IsLetterOrDigit(text[i + word.Length]))
            {
                yield return LineCharacter(text, i);
            }
        }
    }

    private static (int Line, int Character) LineCharacter(string text, int offset)
    {
        var line = text.Take(offset).Count(c => c == '\n');
        var start = text.LastIndexOf('\n', Math.Max(0, offset - 1)) + 1;
        return (line, offset - (offset == 0 ? 0 : start));
    }
}
