using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Sigil.Runtime.Proofs;

/// <summary>A fibre's proof report: each theorem, what it means, whether coqc accepted it and how long it took.</summary>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="CoqcVersion">coqc's version line, or null when coqc was not found.</param>
/// <param name="SkipReason">Why nothing was checked (coqc absent, the library failed), else null.</param>
/// <param name="FilePath">Where the checked Coq file was written, or null.</param>
/// <param name="LibraryTime">How long checking the library took (zero when it had been checked before).</param>
/// <param name="LibraryReused">True when a copy of the library an earlier run checked (same sources, same coqc) was used.</param>
/// <param name="FileTime">How long coqc took on the fibre's file (its last, complete run).</param>
/// <param name="Rows">One row per theorem, in file order.</param>
/// <param name="Notes">Certificates that do not apply to the fibre's shape, in plain words.</param>
/// <param name="Axioms">The axioms the accepted theorems rest on (<c>Print Assumptions</c>), or null when not asked.</param>
/// <param name="FileError">coqc's message when the file failed outside any theorem, else null.</param>
public sealed record ProofReportResult(
    string Fibre,
    string? CoqcVersion,
    string? SkipReason,
    string? FilePath,
    TimeSpan LibraryTime,
    bool LibraryReused,
    TimeSpan FileTime,
    IReadOnlyList<ProofRow> Rows,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string>? Axioms,
    string? FileError)
{
    /// <summary>
    /// The axioms of Coq's standard Reals library: the only ones a Sigil proof may rest on. The
    /// first three are those of the reals themselves; excluded middle is the one the library's
    /// logarithm rests on (<c>Rpower.ln</c>, through <c>ln_exists</c>), which a fibre's ADMM
    /// theorem uses to state a log utility.
    /// </summary>
    public static IReadOnlyList<string> RealsAxioms { get; } = new[]
    {
        "ClassicalDedekindReals.sig_forall_dec",
        "ClassicalDedekindReals.sig_not_dec",
        "FunctionalExtensionality.functional_extensionality_dep",
        "Classical_Prop.classic",
    };

    /// <summary>True when coqc ran and accepted every theorem.</summary>
    public bool AllAccepted => SkipReason is null && FileError is null && Rows.All(static r => r.Status == ProofStatus.Accepted);

    /// <summary>True when every axiom listed is one of <see cref="RealsAxioms"/>.</summary>
    public bool OnlyRealsAxioms => Axioms is not null && Axioms.All(RealsAxioms.Contains);

    /// <summary>The report as text for a terminal: a heading, then per theorem its status, time, name and meaning.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append("fibre ").Append(Fibre).Append(": ");
        if (SkipReason is not null)
        {
            text.Append("not checked: ").Append(SkipReason).Append('\n');
        }
        else
        {
            text.Append(CoqcVersion).Append("; library ").Append(LibraryReused ? "checked by an earlier run" : Seconds(LibraryTime))
                .Append(", fibre file ").Append(Seconds(FileTime)).Append('\n');
        }

        foreach (var row in Rows)
        {
            var status = row.Status switch
            {
                ProofStatus.Accepted => "proved  ",
                ProofStatus.Rejected => "REJECTED",
                _ => "unchecked",
            };
            text.Append("  ").Append(status).Append(' ').Append(Seconds(row.Time).PadLeft(8)).Append("  ")
                .Append(row.Certificate).Append(": ").Append(row.Theorem).Append('\n');
            text.Append("      ").Append(row.Meaning).Append('\n');
            if (row.Error is not null)
            {
                text.Append("      coqc: ").Append(row.Error.Replace("\n", " ")).Append('\n');
            }
        }

        foreach (var note in Notes)
        {
            text.Append("  note: ").Append(note).Append('\n');
        }

        if (FileError is not null)
        {
            text.Append("  coqc: ").Append(FileError.Replace("\n", " ")).Append('\n');
        }

        if (Axioms is not null)
        {
            text.Append("  axioms: ").Append(Axioms.Count == 0 ? "none" : string.Join(", ", Axioms))
                .Append(OnlyRealsAxioms ? " (Coq's standard Reals library only)" : " (BEYOND the standard Reals library)").Append('\n');
        }

        var accepted = Rows.Count(static r => r.Status == ProofStatus.Accepted);
        text.Append("  ").Append(accepted.ToString(CultureInfo.InvariantCulture)).Append(" of ")
            .Append(Rows.Count.ToString(CultureInfo.InvariantCulture)).Append(" theorems proved\n");
        return text.ToString();
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";
}
