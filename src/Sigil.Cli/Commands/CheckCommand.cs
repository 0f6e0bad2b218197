using System;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using Sigil.Cli.Output;
using Sigil.Language;
using Sigil.Language.Diagnostics;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil check &lt;fibre.sigil&gt; [--format text|json]</c>: diagnostics as
/// <c>file(line,col): severity SIGnnnn: message</c>, or one JSON document with every diagnostic
/// (its one-based span, title and help text). Exit 0 when the fibre compiles, 1 when it has errors.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file to check." };
        var format = FormatOption.Create();
        var command = new Command("check", "Report a fibre's diagnostics; exit 1 when there are errors.") { fibre, format };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(fibre)!;
            var result = FibreSource.CompileWithDiagnostics(path);
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                JsonOutput.Write(json => WriteJson(json, path, result));
            }
            else
            {
                WriteText(path, result);
            }

            return result.Spec is null ? CliExitCodes.BadInput : CliExitCodes.Ok;
        }));
        return command;
    }

    private static void WriteText(string path, CompilationResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            (diagnostic.Severity == DiagnosticSeverity.Error ? Console.Error : Console.Out).WriteLine(diagnostic.ToString());
        }

        if (result.Spec is not null)
        {
            var warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            Console.Out.WriteLine($"{path}: fibre '{result.Spec.Name}' compiles ({warnings} warning(s))");
        }
    }

    private static void WriteJson(Utf8JsonWriter json, string path, CompilationResult result)
    {
        json.WriteStartObject();
        json.WriteString("file", path);
        json.WriteBoolean("compiles", result.Spec is not null);
        if (result.Spec is null)
        {
            json.WriteNull("fibre");
        }
        else
        {
            json.WriteString("fibre", result.Spec.Name);
        }

        json.WriteNumber("errors", result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
        json.WriteNumber("warnings", result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
        json.WriteStartArray("diagnostics");
        foreach (var d in result.Diagnostics)
        {
            var rule = DiagnosticDescriptors.Find(d.Id);
            json.WriteStartObject();
            json.WriteString("id", d.Id);
            json.WriteString("severity", d.Severity.ToString().ToLowerInvariant());
            json.WriteString("message", d.Message);
            json.WriteString("file", d.FilePath);
            json.WriteNumber("line", d.LineSpan.Start.Line + 1);
            json.WriteNumber("column", d.LineSpan.Start.Character + 1);
            json.WriteNumber("endLine", d.LineSpan.End.Line + 1);
            json.WriteNumber("endColumn", d.LineSpan.End.Character + 1);
            json.WriteString("title", rule?.Title ?? d.Id);
            json.WriteString("help", rule?.Help ?? string.Empty);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
