using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using Sigil.Language.Emit;
using Sigil.Runtime.Hosting;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil emit &lt;fibre.sigil&gt; -o &lt;dir&gt;</c>: every artefact of the fibre (eBPF C, LLVM C++,
/// Coq, Kubernetes YAML: ArtefactEmitter.EmitAll), plus the daemon descriptor
/// (<c>daemon/&lt;fibre&gt;.daemon.json</c>) for an online fibre.
/// </summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file." };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write into.", Required = true };
        var command = new Command("emit", "Write every artefact of a fibre into a folder.") { fibre, output };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = FibreSource.Compile(parse.GetValue(fibre)!, Console.Error);
            var artefacts = new List<Artefact>(ArtefactEmitter.EmitAll(spec));
            var notes = new List<string>();
            if (DaemonFibreMapper.Map(spec, out var problems) is { } daemon)
            {
                artefacts.Add(new Artefact("daemon", $"daemon/{spec.Name}.daemon.json", DaemonFibreJson.Write(daemon)));
            }
            else
            {
                notes.AddRange(problems.Select(p => "daemon descriptor: " + p));
            }

            // Seam: the generated C# (solver, typed APIs) comes from the Roslyn generator at build
            // time; once its emitter is callable outside the build, it is written here too.
            notes.Add("generated C#: not available yet: needs the C# emitter of the generator (Sigil.Generators); it is produced by dotnet build");

            var root = Path.GetFullPath(parse.GetValue(output)!);
            AnsiConsole.Progress().AutoClear(true).Start(context =>
            {
                var task = context.AddTask("writing artefacts", maxValue: Math.Max(1, artefacts.Count));
                foreach (var artefact in artefacts.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
                {
                    Write(root, artefact);
                    task.Increment(1);
                }
            });

            foreach (var artefact in artefacts.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
            {
                Console.Out.WriteLine($"wrote {Path.Combine(root, artefact.RelativePath)}");
            }

            foreach (var note in notes)
            {
                Console.Error.WriteLine("note: " + note);
            }

            return CliExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(string root, Artefact artefact)
    {
        var relative = artefact.RelativePath;
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new CliException(CliExitCodes.Failed, $"artefact path '{relative}' is not a plain relative path");
        }

        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, artefact.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
