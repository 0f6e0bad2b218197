using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using Sigil.Cli.Output;
using Sigil.Language.Emit;
using Sigil.Language.Emit.CSharp;
using Sigil.Language.Emit.Daemon;
using Sigil.Language.Emit.Kubernetes;
using Sigil.Runtime.Hosting;

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
        var format = FormatOption.Create();
        var image = new Option<string>("--image") { Description = "Kubernetes: the daemon image's name.", DefaultValueFactory = _ => KubernetesOptions.DefaultImage };
        var imageDigest = new Option<string?>("--image-digest") { Description = "Kubernetes: the image's digest (sha256:...); the manifests pin it." };
        var imageTag = new Option<string>("--image-tag") { Description = "Kubernetes: the image's tag when no digest is given.", DefaultValueFactory = _ => "latest" };
        var scaleTarget = new Option<string?>("--scale-target") { Description = "Kubernetes: the workload the autoscaler scales, [namespace/]Kind/name (none: no autoscaler)." };
        var serviceMonitor = new Option<bool>("--service-monitor") { Description = "Kubernetes: scrape through a Prometheus Operator ServiceMonitor instead of pod annotations." };
        var command = new Command("emit", "Write every artefact of a fibre into a folder.") { fibre, output, ns, format, image, imageDigest, imageTag, scaleTarget, serviceMonitor };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var path = parse.GetValue(fibre)!;
            var spec = FibreSource.Compile(path, Console.Error, out var fibreFiles);
            KubernetesOptions kubernetes;
            try
            {
                kubernetes = new KubernetesOptions(parse.GetValue(image)!, parse.GetValue(imageDigest), parse.GetValue(imageTag)!, parse.GetValue(scaleTarget), parse.GetValue(serviceMonitor));
                _ = kubernetes.ImageReference;
                _ = kubernetes.ParsedScaleTarget;
            }
            catch (ArgumentException e)
            {
                throw new CliException(CliExitCodes.BadInput, e.Message);
            }

            var emission = ArtefactEmitter.Emit(spec, path, kubernetes, fibreFiles);
            foreach (var diagnostic in emission.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic.ToString());
            }

            if (!emission.Diagnostics.IsEmpty)
            {
                throw new CliException(CliExitCodes.BadInput, $"{path}: the emitters failed; nothing written");
            }

            // The daemon descriptor is one of the artefacts (the build writes the same); why a fibre has none is a note.
            var artefacts = new List<Artefact>(emission.Artefacts);
            var notes = DaemonEmitter.Problems(spec).Select(static p => "daemon descriptor: " + p).ToList();

            // The C# the generator adds at build time, written out for reading.
            var namespaceName = parse.GetValue(ns)!;
            if (!namespaceName.Split('.').All(CodeText.IsIdentifier))
            {
                throw new CliException(CliExitCodes.BadInput, $"--namespace: '{namespaceName}' is not a dotted C# name");
            }

            artefacts.AddRange(CSharpEmitter.Emit(spec, namespaceName).Select(s => new Artefact("csharp", "csharp/" + s.HintName, s.Text)));

            // Tables too large for literals live in a data file the build embeds; it is written
            // beside the C# that reads it, so the emitted folder is what the build compiles.
            var files = artefacts.Select(a => new EmittedFile(a.Target, a.RelativePath, path => File.WriteAllText(path, a.Content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))).ToList();
            if (TableDataFile.Write(spec) is { } tableData)
            {
                files.Add(new EmittedFile("data", TableDataFile.RelativePath(spec.Name), path => File.WriteAllBytes(path, tableData)));
            }

            var root = Path.GetFullPath(parse.GetValue(output)!);
            var sorted = files.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ToList();
            foreach (var file in sorted)
            {
                Write(root, file);
            }

            if (parse.GetValue(format) == OutputFormat.Json)
            {
                JsonOutput.Write(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("fibre", spec.Name);
                    json.WriteString("output", root);
                    json.WriteStartArray("files");
                    foreach (var file in sorted)
                    {
                        json.WriteStartObject();
                        json.WriteString("path", Path.Combine(root, file.RelativePath));
                        json.WriteString("target", file.Target);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteStartArray("notes");
                    notes.ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                    json.WriteEndObject();
                });
                return CliExitCodes.Ok;
            }

            foreach (var file in sorted)
            {
                Console.Out.WriteLine($"wrote {Path.Combine(root, file.RelativePath)}");
            }

            foreach (var note in notes)
            {
                Console.Error.WriteLine("note: " + note);
            }

            return CliExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One file <c>sigil emit</c> writes: an artefact's text or the table data file's bytes.</summary>
    private sealed record EmittedFile(string Target, string RelativePath, Action<string> Save);

    private static void Write(string root, EmittedFile file)
    {
        var relative = file.RelativePath;
        if (relative.Length == 0 || relative.StartsWith('/') || relative.Split('/').Any(p => p is "" or "." or ".."))
        {
            throw new CliException(CliExitCodes.Failed, $"artefact path '{relative}' is not a plain relative path");
        }

        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        file.Save(path);
    }
}
