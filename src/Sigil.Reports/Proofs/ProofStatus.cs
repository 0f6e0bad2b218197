namespace Sigil.Runtime.Proofs;

/// <summary>What coqc said about a theorem.</summary>
public enum ProofStatus
{
    /// <summary>coqc checked the theorem's proof.</summary>
    Accepted,

    /// <summary>coqc rejected the theorem's proof: the guarantee does not hold with the fibre's numbers, or could not be shown.</summary>
    Rejected,

    /// <summary>coqc did not get to the theorem (coqc is absent, or an earlier part of the file failed).</summary>
    NotChecked,
}
