using System;
using Sigil.Language.Emit.Coq;

namespace Sigil.Runtime.Proofs;

/// <summary>One theorem of a fibre's proof report.</summary>
/// <param name="Theorem">The Coq name.</param>
/// <param name="Certificate">The certificate it belongs to (<c>detection</c>, <c>lyapunov</c>, ...).</param>
/// <param name="Meaning">What it guarantees, in plain words with the fibre's numbers.</param>
/// <param name="Status">Whether coqc accepted it.</param>
/// <param name="Time">How long coqc took on its statement and proof.</param>
/// <param name="Error">coqc's message when rejected, else null.</param>
/// <param name="Bound">The number of updates it states, for detection and recovery theorems.</param>
public sealed record ProofRow(
    string Theorem,
    string Certificate,
    string Meaning,
    ProofStatus Status,
    TimeSpan Time,
    string? Error,
    CoqUpdateBound? Bound);
