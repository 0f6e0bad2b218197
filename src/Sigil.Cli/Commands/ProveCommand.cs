using System;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Sigil.Cli.Output;
using Sigil.Runtime.Proofs;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil prove &lt;fibre.sigil&gt;</c>: the fibre's proof report. The proof report API emits the
/// fibre's Coq file, checks every theorem with coqc against Sigil's Coq library and lists the
/// axioms they rest on. Exit 0 when every theorem is proved on Coq's standard Reals axioms only,
/// 3 when one is rejected (or rests on more), 2 when coqc is missing.
/// </summary>
internal static class ProveCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file." };
        var format = FormatOption.Create();
        var command = new Command("prove", "Check the fibre's Coq proofs and print the proof report.") { fibre, format };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = FibreSource.Compile(parse.GetValue(fibre)!, Console.Error);
            ProofReportResult? report = null;
            if (parse.GetValue(format) == OutputFormat.Json)
            {
                report = ProofReport.Run(spec);
                JsonOutput.Write(json => WriteJson(json, report));
            }
            else
            {
                Terminal.Out.Status().Start($"checking the proofs of '{spec.Name}' with coqc", _ => report = ProofReport.Run(spec));
                Render(Terminal.Out, report!);
            }

            if (report!.SkipReason is not null)
            {
                throw new CliException(CliExitCodes.Environment, $"proofs of '{spec.Name}' not checked: {report.SkipReason}");
            }

            return report.AllAccepted && report.OnlyRealsAxioms ? CliExitCodes.Ok : CliExitCodes.Failed;
        }));
        return command;
    }

    private static void WriteJson(System.Text.Json.Utf8JsonWriter json, ProofReportResult report)
    {
        json.WriteStartObject();
        json.WriteString("fibre", report.Fibre);
        json.WriteBoolean("allAccepted", report.AllAccepted);
        json.WriteBoolean("onlyRealsAxioms", report.OnlyRealsAxioms);
        WriteNullable(json, "skipReason", report.SkipReason);
        WriteNullable(json, "coqcVersion", report.CoqcVersion);
        WriteNullable(json, "fileError", report.FileError);
        json.WriteStartArray("theorems");
        foreach (var row in report.Rows)
        {
            json.WriteStartObject();
            json.WriteString("theorem", row.Theorem);
            json.WriteString("certificate", row.Certificate);
            json.WriteString("meaning", row.Meaning);
            json.WriteString("status", row.Status.ToString().ToLowerInvariant());
            json.WriteNumber("seconds", row.Time.TotalSeconds);
            WriteNullable(json, "error", row.Error);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("notes");
        foreach (var note in report.Notes)
        {
            json.WriteStringValue(note);
        }

        json.WriteEndArray();
        if (report.Axioms is null)
        {
            json.WriteNull("axioms");
        }
        else
        {
            json.WriteStartArray("axioms");
            foreach (var axiom in report.Axioms.OrderBy(a => a, StringComparer.Ordinal))
            {
                json.WriteStringValue(axiom);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteNullable(System.Text.Json.Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void Render(IAnsiConsole console, ProofReportResult report)
    {
        var table = new Table().Title($"[bold]{Markup.Escape(report.Fibre)}[/]: proof report")
            .AddColumn("status").AddColumn("time", c => c.RightAligned()).AddColumn("certificate").AddColumn("theorem and meaning");
        foreach (var row in report.Rows)
        {
            var status = row.Status switch
            {
                ProofStatus.Accepted => "[green]proved[/]",
                ProofStatus.Rejected => "[red]REJECTED[/]",
                _ => "[yellow]unchecked[/]",
            };
            var text = Markup.Escape(row.Theorem) + "\n[grey]" + Markup.Escape(row.Meaning) + "[/]"
                + (row.Error is null ? string.Empty : "\n[red]coqc: " + Markup.Escape(row.Error.Replace('\n', ' ')) + "[/]");
            table.AddRow(new Markup(status), new Text(row.Time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s"), new Text(row.Certificate), new Markup(text));
        }

        console.Write(table);
        foreach (var note in report.Notes)
        {
            console.MarkupLine("[grey]note: " + Markup.Escape(note) + "[/]");
        }

        if (report.FileError is not null)
        {
            console.MarkupLine("[red]coqc: " + Markup.Escape(report.FileError) + "[/]");
        }

        if (report.Axioms is not null)
        {
            console.MarkupLine("axioms: " + Markup.Escape(report.Axioms.Count == 0 ? "none" : string.Join(", ", report.Axioms))
                + (report.OnlyRealsAxioms ? " [green](Coq's standard Reals library only)[/]" : " [red](beyond the standard Reals library)[/]"));
        }

        if (report.CoqcVersion is not null)
        {
            console.MarkupLine("[grey]" + Markup.Escape(report.CoqcVersion) + "[/]");
        }
    }
}
