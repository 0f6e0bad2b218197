using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Generators.Models;

/// <summary>
/// A compiled fibre: the spec (null on errors), its diagnostics, and the namespace to emit into.
/// Value-equatable. Diagnostics carry spans, so a comment edit changes this record; the spec
/// projected from it stays equal, and emission is skipped.
/// </summary>
/// <param name="Spec">The lowered fibre, or null.</param>
/// <param name="Diagnostics">Every diagnostic.</param>
/// <param name="Namespace">The namespace of the generated types.</param>
internal sealed record FibreCompilation(FibreSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, string Namespace);

/// <summary>The input of emission: a spec and the namespace. Value-equatable.</summary>
/// <param name="Spec">The lowered fibre.</param>
/// <param name="Namespace">The namespace of the generated types.</param>
internal sealed record EmissionInput(FibreSpec Spec, string Namespace);
