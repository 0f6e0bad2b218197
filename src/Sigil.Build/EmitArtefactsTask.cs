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
        var produced = new List<ITaskItem>();
        foreach (var fibre in Fibres.OrderBy(f => f.ItemSpec, StringComparer.Ordinal))
        {
            var path = Path.GetFullPath(fibre.ItemSpec);
            try
            {
                produced.AddRange(EmitFibre(path));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var internalError = DiagnosticDescriptors.InternalError;
                Log.LogError(null, internalError.Id, null, internalError.HelpLink, path, 1, 1, 1, 1, internalError.MessageFormat, $"writing the artefacts of {fibre.ItemSpec} failed: {e.GetType().Name}: {e.Message}");
            }
        }

        Artefacts = produced.ToArray();
        return !Log.HasLoggedErrors;
    }

    private List<ITaskItem> EmitFibre(string path)
    {
        var produced = new List<ITaskItem>();
        var text = FibreFiles.ReadFibre(path, out var problem);
        if (text is null)
        {
            var unreadable = DiagnosticDescriptors.FileUnreadable;
            Log.LogError(null, unreadable.Id, null, unreadable.HelpLink, path, 1, 1, 1, 1, unreadable.MessageFormat, path, problem);
            return produced;
        }

        var folder = Path.GetDirectoryName(path) ?? ".";
        var result = SigilCompiler.Compile(new SourceFile(path, text), relative => FibreFiles.ReadTable(folder, relative));
        if (result.Spec is null)
        {
            LogErrors(result.Diagnostics);
            return produced;
        }

        var emission = ArtefactEmitter.Emit(result.Spec, path);
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

        return produced;
    }

    // One MSBuild error per SIG error, at its file, line and column (one-based, as csc reports the generator's).
    private void LogErrors(IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var d in diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error))
        {
            var rule = DiagnosticDescriptors.Find(d.Id);
            Log.LogError(
                subcategory: null,
                errorCode: d.Id,
                helpKeyword: null,
                helpLink: rule?.HelpLink,
                file: d.FilePath,
                lineNumber: d.LineSpan.Start.Line + 1,
                columnNumber: d.LineSpan.Start.Character + 1,
                endLineNumber: d.LineSpan.End.Line + 1,
                endColumnNumber: d.LineSpan.End.Character + 1,
                message: "{0}",
                d.Message);
        }
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
