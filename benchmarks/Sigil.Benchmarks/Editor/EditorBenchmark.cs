using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Sigil.Testing;

namespace Sigil.Benchmarks.Editor;

/// <summary>
/// The <c>editor</c> suite: the language server (<c>sigil lsp</c>) as an editor meets it, over
/// stdio: start-up to the answer of <c>initialize</c>; diagnostics after an edit (didChange to
/// publishDiagnostics of that version); hover and completion; on each shipped fibre and on a
/// generated fibre of 5,000 lines; the server's resident memory after 1,000 edits.
/// </summary>
/// <remarks>
/// Hand-timed: each figure is the median of <c>runs</c> round trips through a real server process,
/// client overhead included. Needs the CLI built: <c>dotnet build src/Sigil.Cli -c Release</c>.
/// Usage: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- editor [runs]</c>.
/// </remarks>
internal static class EditorBenchmark
{
    public static int Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var sigil = Path.Combine(BenchmarkRepository.Root, "src", "Sigil.Cli", "bin", "Release", "net10.0", "sigil.dll");
        if (!File.Exists(sigil))
        {
            Console.Error.WriteLine($"{sigil} not found: build it first (dotnet build src/Sigil.Cli -c Release)");
            return 1;
        }

        return MeasureAsync(sigil, runs).GetAwaiter().GetResult();
    }

    private static async Task<int> MeasureAsync(string sigil, int runs)
    {
        var startups = new List<double>();
        for (var i = 0; i < Math.Min(runs, 5); i++)
        {
            var watch = Stopwatch.StartNew();
            using var probe = LspClient.Start(sigil);
            await probe.RequestAsync("initialize", new { processId = Environment.ProcessId, capabilities = new { } });
            startups.Add(watch.Elapsed.TotalMilliseconds);
            await probe.RequestAsync("shutdown", null);
        }

        Console.WriteLine($"server start-up (process start to initialize answered): median {Statistics.Median(startups):F0} ms over {startups.Count}");
        Console.WriteLine();

        using var client = LspClient.Start(sigil);
        await client.RequestAsync("initialize", new { processId = Environment.ProcessId, capabilities = new { } });
        var fibres = Directory.GetFiles(Path.Combine(BenchmarkRepository.Root, "fibres"), "*.sigil").OrderBy(static f => f, StringComparer.Ordinal)
            .Select(static f => (Name: Path.GetFileName(f), Uri: new Uri(f).AbsoluteUri, Text: File.ReadAllText(f)))
            .Append((Name: "large.sigil (5,000 lines)", Uri: "untitled:large.sigil", Text: LargeFibre(1000)))
            .ToList();

        Console.WriteLine($"{"fibre",-28} {"lines",6} {"open->diag",11} {"edit->diag",11} {"hover",8} {"completion",11}   (medians of {runs}, ms)");
        foreach (var (name, uri, text) in fibres)
        {
            var watch = Stopwatch.StartNew();
            await client.NotifyAsync("textDocument/didOpen", new { textDocument = new { uri, languageId = "sigil", version = 1, text } });
            client.WaitForNotification("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri, 120_000);
            var open = watch.Elapsed.TotalMilliseconds;

            var edits = new List<double>();
            for (var v = 2; v < runs + 2; v++)
            {
                var edited = text + "\n// edit " + v.ToString(CultureInfo.InvariantCulture) + "\n";
                watch.Restart();
                await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri, version = v }, contentChanges = new[] { new { text = edited } } });
                client.WaitForNotification("textDocument/publishDiagnostics", p => (string?)p["uri"] == uri && (int?)p["version"] == v, 120_000);
                edits.Add(watch.Elapsed.TotalMilliseconds);
            }

            // Hover on the first '$' name; completion after the last '<-' (tracepoints) or '>=' (names).
            var lines = text.Split('\n');
            var hoverLine = Array.FindIndex(lines, static l => l.Contains('$', StringComparison.Ordinal));
            var hoverAt = new { line = hoverLine, character = lines[hoverLine].IndexOf('$', StringComparison.Ordinal) + 1 };
            var completeLine = Array.FindLastIndex(lines, static l => l.Contains("<- ", StringComparison.Ordinal) || l.Contains(">= ", StringComparison.Ordinal));
            var marker = lines[completeLine].Contains("span(", StringComparison.Ordinal) ? "span(" : lines[completeLine].Contains("<- ", StringComparison.Ordinal) ? "<- " : ">= ";
            var completeAt = new { line = completeLine, character = lines[completeLine].IndexOf(marker, StringComparison.Ordinal) + marker.Length };
            var hovers = new List<double>();
            var completions = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                watch.Restart();
                await client.RequestAsync("textDocument/hover", new { textDocument = new { uri }, position = hoverAt });
                hovers.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                await client.RequestAsync("textDocument/completion", new { textDocument = new { uri }, position = completeAt });
                completions.Add(watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"{name,-28} {lines.Length,6} {open,11:F1} {Statistics.Median(edits),11:F1} {Statistics.Median(hovers),8:F1} {Statistics.Median(completions),11:F1}");
        }

        // Memory: 1,000 edits of dwell, then the server's resident set.
        var dwell = fibres[fibres.FindIndex(static f => f.Name == "dwell.sigil")];
        var before = ResidentMiB(client.Process.Id);
        for (var v = 1000; v < 2000; v++)
        {
            await client.NotifyAsync("textDocument/didChange", new { textDocument = new { uri = dwell.Uri, version = v }, contentChanges = new[] { new { text = dwell.Text.Replace("5.0", "5." + v.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) } } });
        }

        client.WaitForNotification("textDocument/publishDiagnostics", p => (string?)p["uri"] == dwell.Uri && (int?)p["version"] == 1999, 120_000);
        Console.WriteLine();
        Console.WriteLine($"server resident memory: {before:F0} MiB with the fibres open, {ResidentMiB(client.Process.Id):F0} MiB after 1,000 more edits");
        await client.RequestAsync("shutdown", null);
        return 0;
    }

    /// <summary>A fibre of <paramref name="blocks"/> * 5 lines: per block a parameter, a variable, a resource, its row and a utility.</summary>
    internal static string LargeFibre(int blocks)
    {
        var text = new StringBuilder("fibre large {\n    index task by pid max 64;\n    solve dual { step = auto; }\n");
        for (var i = 0; i < blocks; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            text.Append("    param budget").Append(n).Append(" : s = 5;\n");
            text.Append("    $hold").Append(n).Append("[task] : s in [0, 10];\n");
            text.Append("    @dwell").Append(n).Append("[task] : s = budget").Append(n).Append(";\n");
            text.Append("    couple @dwell").Append(n).Append("[t] >= $hold").Append(n).Append("[t];\n");
            text.Append("    utility $hold").Append(n).Append("[t] ~ log(1 + $hold").Append(n).Append("[t]);\n");
        }

        return text.Append("}\n").ToString();
    }

    private static double ResidentMiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return double.NaN;
    }
}
