using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sigil.Language;
using Sigil.Language.Emit;
using Sigil.Language.Emit.Kubernetes;

namespace Sigil.Build;

/// <summary>
/// Compiles each fibre and writes every non-C# artefact under
/// <c>OutputDirectory/&lt;fibre&gt;/&lt;relative path&gt;</c>. A file is rewritten only when its
/// content changed, so downstream targets (clang, coqc) stay incremental. Fibres with errors
/// are skipped: the generator reports their diagnostics, once.
/// </summary>
public sealed class EmitArtefactsTask : Task
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The <c>.sigil</c> files.</summary>
    [Required]
    public ITaskItem[] Fibres { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The folder that receives one sub-folder per fibre.</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>The daemon image's name (<c>SigilImage</c>); empty: <see cref="KubernetesOptions.DefaultImage"/>.</summary>
    public string Image { get; set; } = string.Empty;

    /// <summary>The daemon image's digest (<c>SigilImageDigest</c>, <c>sha256:...</c>); empty: by tag (<c>SigilImageTag</c>).</summary>
    public string ImageDigest { get; set; } = string.Empty;

    /// <summary>The daemon image's tag when no digest is given (<c>SigilImageTag</c>); empty: <c>latest</c>.</summary>
    public string ImageTag { get; set; } = string.Empty;

    /// <summary>What the autoscaler scales (<c>SigilScaleTarget</c>, <c>[namespace/]Kind/name</c>); empty: no autoscaler.</summary>
    public string ScaleTarget { get; set; } = string.Empty;

    /// <summary>True: a ServiceMonitor scrapes the daemons (<c>SigilServiceMonitor</c>).</summary>
    public bool ServiceMonitor { get; set; }

    /// <summary>
    /// Every artefact of every fibre that compiled, with metadata <c>Fibre</c>, <c>Backend</c> (the artefact's target: "Target" is a reserved MSBuild name)
    /// and <c>RelativePath</c>.
    /// </summary>
    [Output]
    public ITaskItem[] Artefacts { get; set; } = Array.Empty<ITaskItem>();

    /// <inheritdoc/>
    public override bool Execute()
    {
        KubernetesOptions kubernetes;
        try
        {
            kubernetes = new KubernetesOptions(
                Image: Image.Length == 0 ? KubernetesOptions.DefaultImage : Image,
                ImageDigest: ImageDigest.Length == 0 ? null : ImageDigest,
                ImageTag: ImageTag.Length == 0 ? "latest" : ImageTag,
                ScaleTarget: ScaleTarget.Length == 0 ? null : ScaleTarget,
                ServiceMonitor: ServiceMonitor);
            _ = kubernetes.ImageReference;
            _ = kubernetes.ParsedScaleTarget;
        }
        catch (ArgumentException e)
        {
            Log.LogError("sigil: Kubernetes settings (SigilImage, SigilImageDigest, SigilImageTag, SigilScaleTarget): {0}", e.Message);
            return false;
        }

        var produced = new List<ITaskItem>();
        foreach (var fibre in Fibres.OrderBy(f => f.ItemSpec, StringComparer.Ordinal))
        {
            var path = Path.GetFullPath(fibre.ItemSpec);
            var folder = Path.GetDirectoryName(path) ?? ".";
            var source = File.ReadAllText(path);
            var files = new Dictionary<string, string>(StringComparer.Ordinal) { [Path.GetFileName(path)] = source };
            var result = SigilCompiler.Compile(
                new SourceFile(path, source),
                relative =>
                {
                    var table = ReadTable(folder, relative);
                    if (table is not null)
                    {
                        files[relative] = table;
                    }

                    return table;
                });
            if (result.Spec is null)
            {
                Log.LogMessage(MessageImportance.Normal, "sigil: {0} has errors; no artefacts written (the compiler reports them).", fibre.ItemSpec);
                continue;
            }

            var root = Path.Combine(OutputDirectory, result.Spec.Name);
            foreach (var artefact in ArtefactEmitter.EmitAll(result.Spec, kubernetes, files.ToList()))
            {
                var file = Path.GetFullPath(Path.Combine(root, artefact.RelativePath));
                WriteIfChanged(file, artefact.Content);
                var item = new TaskItem(file);
                item.SetMetadata("Fibre", result.Spec.Name);
                item.SetMetadata("Backend", artefact.Target);
                item.SetMetadata("RelativePath", artefact.RelativePath);
                produced.Add(item);
            }
        }

        Artefacts = produced.ToArray();
        return !Log.HasLoggedErrors;
    }

    private static string? ReadTable(string folder, string relative)
    {
        var file = Path.Combine(folder, relative);
        return File.Exists(file) ? File.ReadAllText(file) : null;
    }

    private static void WriteIfChanged(string file, string content)
    {
        if (File.Exists(file) && File.ReadAllText(file) == content)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        File.WriteAllText(temp, content, s_utf8);
        if (File.Exists(file))
        {
            File.Delete(file);
        }

        File.Move(temp, file);
    }
}
