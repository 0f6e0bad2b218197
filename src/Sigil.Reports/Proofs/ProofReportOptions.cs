using System;

namespace Sigil.Runtime.Proofs;

/// <summary>Where to find coqc and the Coq library, and how to check.</summary>
public sealed record ProofReportOptions
{
    /// <summary>The coqc executable; null looks for <c>coqc</c> on the PATH.</summary>
    public string? CoqcPath { get; init; }

    /// <summary>
    /// A folder holding the library's <c>_CoqProject</c> and <c>Sigil/*.v</c> (the repository's
    /// <c>proofs/</c>); null uses the copy embedded in Sigil.Reports.
    /// </summary>
    public string? LibraryDirectory { get; init; }

    /// <summary>Where compiled library and fibre files go; null uses a folder under the system's temporary path.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>The longest one coqc run may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// When true (the default), a library an earlier run checked with the same sources and the
    /// same coqc version under <see cref="WorkDirectory"/> is used without checking it again;
    /// false checks it once in this process.
    /// </summary>
    public bool ReuseCheckedLibrary { get; init; } = true;

    /// <summary>When true, the report also lists the axioms the accepted theorems rest on (<c>Print Assumptions</c>).</summary>
    public bool CheckAssumptions { get; init; } = true;
}
