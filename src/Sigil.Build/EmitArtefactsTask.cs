using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sigil.Language;
using Sigil.Language.Diagnostics;
using Sigil.Language.Emit;
using Sigil.Language.Emit.Kubernetes;

namespace Sigil.Build;

/// <summary>
/// Compiles each fibre and writes every non-C# artefact under
/// <c>OutputDirectory/&lt;fibre&gt;/&lt;relative path&gt;</c>. A file is rewritten only when its
/// content changed, so downstream targets (clang, coqc) stay incremental. A fibre with errors
/// writes nothing and fails the task with each SIG error at its file, line and column.
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
    /// <remarks>
    /// Per fibre: read it (a regular file, size-capped), compile it, emit every artefact. Errors are
    /// logged with the fibre's file, line, column and SIG code; the task then fails, so the build
    /// stops before csc runs the generator and reports them a second time. Warnings are left to the
    /// generator. No exception leaves the task (an emitter failure is SIG9999, never MSB4018).
    /// </remarks>
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
            try
            {
                produced.AddRange(EmitFibre(path, kubernetes));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var internalError = DiagnosticDescriptors.InternalError;
                Log.LogError(null, internalError.Id, null, null, path, 1, 1, 1, 1, internalError.MessageFormat, $"writing the artefacts of {fibre.ItemSpec} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        Artefacts = produced.ToArray();
        return !Log.HasLoggedErrors;
    }

    private List<ITaskItem> EmitFibre(string path, KubernetesOptions kubernetes)
    {
        var produced = new List<ITaskItem>();
        var text = FibreFiles.ReadFibre(path, out var problem);
        if (text is null)
        {
            var unreadable = DiagnosticDescriptors.FileUnreadable;
            Log.LogError(null, unreadable.Id, null, null, path, 1, 1, 1, 1, unreadable.MessageFormat, path, problem);
            return produced;
        }

        var folder = Path.GetDirectoryName(path) ?? ".";
        // Every file the fibre reads (its source and its tables, by path relative to its folder)
        // travels with its manifests.
        var files = new Dictionary<string, string>(StringComparer.Ordinal) { [Path.GetFileName(path)] = text };
        var result = SigilCompiler.Compile(new SourceFile(path, text), relative =>
        {
            var table = FibreFiles.ReadTable(folder, relative);
            if (table is not null)
            {
                files[relative] = table;
            }

            return table;
        });
        if (result.Spec is null)
        {
            LogErrors(result.Diagnostics);
            return produced;
        }

        var emission = ArtefactEmitter.Emit(result.Spec, path, kubernetes, files.ToList());
        LogErrors(emission.Diagnostics);
        var root = Path.Combine(OutputDirectory, result.Spec.Name);
        foreach (var artefact in emission.Artefacts)
        {
            var file = Path.GetFullPath(Path.Combine(root, artefact.RelativePath));
            WriteIfChanged(file, artefact.Content);
            var item = new TaskItem(file);
            item.SetMetadata("Fibre", result.Spec.Name);
            item.SetMetadata("Backend", artefact.Target);
            item.SetMetadata("RelativePath", artefact.RelativePath);
            produced.Add(item);
        }

        // Tables too large for C# literals: one data file, which the targets embed in the
        // assembly (LogicalName) for the generated code to read back.
        if (emission.Artefacts.Count > 0 && TableDataFile.Write(result.Spec) is { } data)
        {
            var file = Path.GetFullPath(Path.Combine(root, TableDataFile.RelativePath(result.Spec.Name)));
            WriteIfChanged(file, data);
            var item = new TaskItem(file);
            item.SetMetadata("Fibre", result.Spec.Name);
            item.SetMetadata("Backend", "data");
            item.SetMetadata("RelativePath", TableDataFile.RelativePath(result.Spec.Name));
            item.SetMetadata("LogicalName", TableDataFile.ResourceName(result.Spec.Name));
            produced.Add(item);
        }

        return produced;
    }

    // One MSBuild error per SIG error, at its file, line and column (one-based, as csc reports the generator's).
    private void LogErrors(IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error))
        {
            Log.LogError(
                subcategory: null,
                errorCode: d.Id,
                helpKeyword: null,
                helpLink: null,
                file: d.FilePath,
                lineNumber: d.LineSpan.Start.Line + 1,
                columnNumber: d.LineSpan.Start.Character + 1,
                endLineNumber: d.LineSpan.End.Line + 1,
                endColumnNumber: d.LineSpan.End.Character + 1,
                message: "{0}",
                d.Message);
        }
    }

    private static void WriteIfChanged(string file, byte[] content)
    {
        if (File.Exists(file) && new FileInfo(file).Length == content.Length && File.ReadAllBytes(file).SequenceEqual(content))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var temp = file + ".tmp";
        File.WriteAllBytes(temp, content);
        if (File.Exists(file))
        {
            File.Delete(file);
        }

        File.Move(temp, file);
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
