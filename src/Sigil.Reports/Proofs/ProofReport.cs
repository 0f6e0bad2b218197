using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Sigil.Language.Emit.Coq;
using Sigil.Language.Model;

namespace Sigil.Runtime.Proofs;

/// <summary>
/// A fibre's proof report: emits its Coq file from the model (the numbers the runtime and the
/// kernel use), checks it with coqc against Sigil's Coq library, and says for each theorem what
/// it guarantees, whether coqc accepted it and how long it took.
/// </summary>
/// <remarks>
/// coqc stops at the first failure, so a rejected theorem is left out and the rest of the file
/// checked again, until the file passes; each theorem is thus accepted or rejected on its own.
/// Per-theorem times come from <c>coqc -time</c>. With <see cref="ProofReportOptions.CheckAssumptions"/>
/// the last run also prints the axioms all accepted theorems rest on.
/// </remarks>
public static class ProofReport
{
    private static int s_runs;

    /// <summary>Checks <paramref name="spec"/>'s Coq file and reports on every theorem. Never throws for a bad fibre or a missing coqc.</summary>
    public static ProofReportResult Run(FibreSpec spec, ProofReportOptions? options = null)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        options ??= new ProofReportOptions();
        CoqDocument document;
        try
        {
            document = CoqEmitter.Build(spec);
        }
        catch (ArgumentException e)
        {
            return Skipped(spec.Name, null, "the fibre's model cannot be stated in Coq: " + e.Message, null);
        }

        var coqc = Coqc.Find(options.CoqcPath);
        if (coqc is null)
        {
            return Skipped(spec.Name, null, "coqc was not found (install Debian's coq package, or set the coqc path)", document);
        }

        var workRoot = options.WorkDirectory ?? Path.Combine(Path.GetTempPath(), "sigil-proofs");
        CompiledCoqLibrary library;
        try
        {
            library = CoqLibrary.Compile(coqc, CoqLibrary.Load(options.LibraryDirectory), workRoot, options.Timeout, options.ReuseCheckedLibrary);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return Skipped(spec.Name, coqc.Version, "the Coq library could not be read: " + e.Message, document);
        }

        if (!library.Ok)
        {
            return Skipped(spec.Name, coqc.Version, "the Coq library failed: " + library.Error, document);
        }

        var folder = Path.Combine(workRoot, "fibres", CoqText(spec.Name) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
            + "-" + Interlocked.Increment(ref s_runs).ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, Path.GetFileName(document.RelativePath));
        return Check(coqc, library, document, file, options);
    }

    private static ProofReportResult Check(Coqc coqc, CompiledCoqLibrary library, CoqDocument document, string file, ProofReportOptions options)
    {
        var rows = document.Theorems.ToDictionary(
            static t => t.Name,
            static t => new ProofRow(t.Name, t.Certificate, t.Meaning, ProofStatus.NotChecked, TimeSpan.Zero, null, t.Bound),
            StringComparer.Ordinal);
        var omitted = new List<string>();
        var fileTime = TimeSpan.Zero;
        IReadOnlyList<string>? axioms = null;
        string? fileError = null;

        for (var round = 0; round <= document.Theorems.Count; round++)
        {
            var checking = document.Theorems.Where(t => !omitted.Contains(t.Name)).ToList();
            var text = CoqEmitter.Render(document, omitted);
            var suffixStart = text.Length;
            if (options.CheckAssumptions && checking.Count > 0)
            {
                text += AssumptionsSuffix(document, checking);
            }

            File.WriteAllText(file, text);
            var arguments = new List<string> { "-q", "-time" };
            arguments.AddRange(library.LoadPath);
            arguments.Add(file);
            var run = coqc.Run(arguments, Path.GetDirectoryName(file)!, options.Timeout);
            var spans = Spans(text, checking);
            var sentences = CoqcOutput.Sentences(run.Stdout);
            var suffixByte = Encoding.UTF8.GetByteCount(text.AsSpan(0, suffixStart));
            fileTime = TimeSpan.FromTicks(sentences.Where(s => s.Start < suffixByte).Sum(static s => s.Time.Ticks));
            foreach (var span in spans)
            {
                var time = TimeSpan.FromTicks(sentences.Where(s => s.Start >= span.StartByte && s.Start < span.EndByte).Sum(static s => s.Time.Ticks));
                rows[span.Name] = rows[span.Name] with { Time = time };
            }

            if (run.Succeeded)
            {
                foreach (var theorem in checking)
                {
                    rows[theorem.Name] = rows[theorem.Name] with { Status = ProofStatus.Accepted };
                }

                axioms = options.CheckAssumptions ? CoqcOutput.Axioms(run.Stdout) : null;
                break;
            }

            var error = CoqcOutput.Error(run.Output);
            var failed = error is null ? null : spans.FirstOrDefault(s => error.Line >= s.FirstLine && error.Line <= s.LastLine);
            if (run.TimedOut)
            {
                fileError = $"coqc timed out after {options.Timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
                break;
            }

            if (failed is null)
            {
                fileError = error?.Message ?? run.Output.Trim();
                break;
            }

            rows[failed.Name] = rows[failed.Name] with { Status = ProofStatus.Rejected, Error = error!.Message };
            omitted.Add(failed.Name);
        }

        return new ProofReportResult(
            document.Fibre,
            coqc.Version,
            null,
            file,
            library.Time,
            library.Reused,
            fileTime,
            document.Theorems.Select(t => rows[t.Name]).ToList(),
            document.Notes.ToList(),
            axioms,
            fileError);
    }

    /// <summary>
    /// One <c>Print Assumptions</c> over a tuple of every theorem checked: the axioms it lists
    /// are those of all of them (one call costs what one theorem's would).
    /// </summary>
    private static string AssumptionsSuffix(CoqDocument document, IReadOnlyList<CoqTheorem> theorems)
    {
        var tuple = new StringBuilder();
        foreach (var theorem in theorems)
        {
            tuple.Append('(').Append(document.ModuleName).Append('.').Append(theorem.Name).Append(", ");
        }

        tuple.Append("tt").Append(')', theorems.Count);
        return "\nDefinition sigil_checked_theorems := " + tuple + ".\nPrint Assumptions sigil_checked_theorems.\n";
    }

    private sealed record TheoremSpan(string Name, int FirstLine, int LastLine, int StartByte, int EndByte);

    /// <summary>
    /// Each theorem's lines and byte range in <paramref name="text"/>, from <c>Theorem name :</c> to
    /// its <c>Qed.</c>, or to the <c>Qed.</c> of the example after it that shows its hypotheses can
    /// hold (a theorem whose hypotheses fail there is rejected).
    /// </summary>
    private static List<TheoremSpan> Spans(string text, IReadOnlyList<CoqTheorem> theorems)
    {
        var spans = new List<TheoremSpan>();
        var from = 0;
        foreach (var theorem in theorems)
        {
            var start = text.IndexOf("Theorem " + theorem.Name + " :", from, StringComparison.Ordinal);
            if (start < 0)
            {
                continue;
            }

            var qed = text.IndexOf("\nQed.", start, StringComparison.Ordinal);
            var end = qed < 0 ? text.Length : qed + "\nQed.".Length;
            if (theorem.Witness is not null && qed >= 0)
            {
                var example = text.IndexOf("Example " + CoqEmitter.WitnessName(theorem) + " :", end, StringComparison.Ordinal);
                var exampleQed = example < 0 ? -1 : text.IndexOf("\nQed.", example, StringComparison.Ordinal);
                end = exampleQed < 0 ? end : exampleQed + "\nQed.".Length;
            }

            spans.Add(new TheoremSpan(
                theorem.Name,
                LineOf(text, start),
                LineOf(text, end - 1),
                Encoding.UTF8.GetByteCount(text.AsSpan(0, start)),
                Encoding.UTF8.GetByteCount(text.AsSpan(0, end))));
            from = end;
        }

        return spans;
    }

    private static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private static string CoqText(string name)
    {
        var safe = new StringBuilder();
        foreach (var c in name)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        return safe.Length == 0 ? "fibre" : safe.ToString();
    }

    private static ProofReportResult Skipped(string fibre, string? version, string reason, CoqDocument? document) => new(
        fibre,
        version,
        reason,
        null,
        TimeSpan.Zero,
        false,
        TimeSpan.Zero,
        document?.Theorems.Select(static t => new ProofRow(t.Name, t.Certificate, t.Meaning, ProofStatus.NotChecked, TimeSpan.Zero, null, t.Bound)).ToList()
            ?? new List<ProofRow>(),
        document?.Notes.ToList() ?? new List<string>(),
        null,
        null);
}
