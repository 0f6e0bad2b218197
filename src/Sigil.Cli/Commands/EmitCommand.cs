using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using Sigil.Language.Emit;
using Sigil.Language.Emit.CSharp;
using Sigil.Runtime.Hosting;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil emit &lt;fibre.sigil&gt; -o &lt;dir&gt;</c>: every artefact of the fibre (eBPF C, LLVM C++,
/// Coq, Kubernetes YAML: ArtefactEmitter.EmitAll), the generated C# (<c>csharp/</c>), and the
/// daemon descriptor (<c>daemon/&lt;fibre&gt;.daemon.json</c>) for an online fibre.
/// </summary>
internal static class EmitCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "The .sigil file." };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write into.", Required = true };
        var ns = new Option<string>("--namespace") { Description = "The namespace of the generated C#.", DefaultValueFactory = _ => "Fibres" };
        var command = new Command("emit", "Write every artefact of a fibre into a folder.") { fibre, output, ns };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(fibre)!;
            var spec = FibreSource.Compile(path, Console.Error);
            var emission = ArtefactEmitter.Emit(spec, path);
            foreach (var diagnostic in emission.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic.ToString());
            }

            if (!emission.Diagnostics.IsEmpty)
            {
                throw new CliException(CliExitCodes.BadInput, $"{path}: the emitters failed; nothing written");
            }

            var artefacts = new List<Artefact>(emission.Artefacts);
            var notes = new List<string>();
            if (DaemonFibreMapper.Map(spec, out var problems) is { } daemon)
            {
                artefacts.Add(new Artefact("daemon", $"daemon/{spec.Name}.daemon.json", DaemonFibreJson.Write(daemon)));
            }
            else
            {
                notes.AddRange(problems.Select(p => "daemon descriptor: " + p));
            }

            // The C# the generator adds at build time, written out for reading.
            var namespaceName = parse.GetValue(ns)!;
            if (!namespaceName.Split('.').All(CodeText.IsIdentifier))
            {
                throw new CliException(CliExitCodes.BadInput, $"--namespace: '{namespaceName}' is not a dotted C# name");
            }

            artefacts.AddRange(CSharpEmitter.Emit(spec, namespaceName).Select(s => new Artefact("csharp", "csharp/" + s.HintName, s.Text)));

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
