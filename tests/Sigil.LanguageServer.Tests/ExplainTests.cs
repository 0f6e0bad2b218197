using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Language.Authoring;
using Sigil.Language.Diagnostics;

namespace Sigil.LanguageServer.Tests;

/// <summary><c>sigil explain</c> prints, offline, exactly each code's section of docs/diagnostics.md.</summary>
public sealed class ExplainTests
{
    [Fact]
    public void Explain_EveryCode_PrintsItsSectionOfTheDocs()
    {
        var doc = File.ReadAllText(Path.Combine(Repository.Docs, "diagnostics.md"));
        var codes = DiagnosticDescriptors.All.Select(static d => d.Id).ToArray();
        var (exit, output, error) = Sigil(new[] { "explain" }.Concat(codes).ToArray());
        Assert.True(exit == 0, error);

        var printed = Regex.Split("\n" + output, "\n(?=## SIG)").Where(static s => s.Length > 0).ToArray();
        Assert.Equal(codes.Length, printed.Length);
        for (var i = 0; i < codes.Length; i++)
        {
            var start = doc.IndexOf("\n## " + codes[i] + "\n", StringComparison.Ordinal) + 1;
            var end = doc.IndexOf("\n## ", start, StringComparison.Ordinal);
            var section = (end < 0 ? doc.Substring(start) : doc.Substring(start, end - start)).TrimEnd() + "\n";
            Assert.Equal(section, printed[i].TrimEnd() + "\n");
        }
    }

    [Fact]
    public void Explain_UnknownCode_FailsWithAMessage()
    {
        var (exit, _, error) = Sigil("explain", "SIG0000");
        Assert.Equal(1, exit);
        Assert.Contains("'SIG0000' is not a sigil diagnostic code", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DiagnosticHelp_Summary_IsTheSectionsFirstParagraph()
    {
        Assert.Equal("**Undefined name.** A name that is not declared (a did-you-mean suggestion follows when a declared name is close).", DiagnosticHelp.Summary("sig1003"));
        Assert.Null(DiagnosticHelp.Get("SIG0000"));
        Assert.Equal(DiagnosticDescriptors.All.Select(static d => d.Id).OrderBy(static c => c, StringComparer.Ordinal), DiagnosticHelp.Codes.OrderBy(static c => c, StringComparer.Ordinal));
    }

    private static (int Exit, string Output, string Error) Sigil(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repository.SigilDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
