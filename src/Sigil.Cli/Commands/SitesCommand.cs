using System;
using System.CommandLine;
using System.Collections.Generic;
using System.IO;
using Sigil.Cli.Output;
using Sigil.Runtime.Instrumentation;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil sites &lt;program&gt;... [--format text|json]</c>: the one summary line per program of what a
/// fibre's LLVM pass instrumented in it, from the records each compiled file left in the program
/// (<see cref="InstrumentationSummary"/>). Exit 0; 1 when a file was not built with a Sigil pass
/// or is not an ELF file.
/// </summary>
internal static class SitesCommand
{
    public static Command Create()
    {
        var programs = new Argument<string[]>("program") { Description = "Programs, shared libraries or objects built with a fibre's pass plugin.", Arity = ArgumentArity.OneOrMore };
        var format = FormatOption.Create();
        var command = new Command("sites", "Print one line per program: the sites the LLVM pass instrumented in all its files.") { programs, format };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var exit = CliExitCodes.Ok;
            var results = new List<(string Path, IReadOnlyList<InstrumentationSummary> Summaries)>();
            foreach (var path in parse.GetValue(programs)!)
            {
                IReadOnlyList<InstrumentationSummary> summaries;
                try
                {
                    summaries = InstrumentationSummary.Read(path);
                }
                catch (InvalidDataException e)
                {
                    throw new CliException(CliExitCodes.BadInput, e.Message);
                }

                if (summaries.Count == 0)
                {
                    Console.Error.WriteLine($"{path}: no records of a Sigil pass (built without -fpass-plugin, or stripped of the section)");
                    exit = CliExitCodes.BadInput;
                }

                results.Add((path, summaries));
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                JsonOutput.Write(json =>
                {
                    json.WriteStartArray();
                    foreach (var (path, summaries) in results)
                    {
                        foreach (var s in summaries)
                        {
                            json.WriteStartObject();
                            json.WriteString("file", path);
                            json.WriteString("pass", s.Pass);
                            json.WriteNumber("units", s.Units);
                            json.WriteNumber("unitsWithSites", s.UnitsWithSites);
                            json.WriteNumber("sites", s.Sites);
                            json.WriteStartArray("wrapped");
                            foreach (var name in s.Wrapped)
                            {
                                json.WriteStringValue(name);
                            }

                            json.WriteEndArray();
                            json.WriteStartArray("uncovered");
                            foreach (var name in s.Uncovered)
                            {
                                json.WriteStringValue(name);
                            }

                            json.WriteEndArray();
                            json.WriteEndObject();
                        }
                    }

                    json.WriteEndArray();
                });
            }
            else
            {
                foreach (var (path, summaries) in results)
                {
                    foreach (var s in summaries)
                    {
                        Console.Out.WriteLine(s.Line(path));
                    }
                }
            }

            return exit;
        }));
        return command;
    }
}
