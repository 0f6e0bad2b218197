using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// A fibre's Coq file before rendering: its numbers and its theorems, each with the plain-words
/// guarantee it gives. The proof report reads the theorems to say what was proven; the emitter
/// renders the file from it. Value-equatable.
/// </summary>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="SourceFileName">The fibre's file name, for the header.</param>
/// <param name="RelativePath">The artefact's path, <c>coq/&lt;fibre&gt;.v</c>.</param>
/// <param name="ModuleName">The Coq module the file's content lives in.</param>
/// <param name="Libraries">The library files it requires (<c>PriceUpdate</c>, <c>Chordal</c>, ...), in order.</param>
/// <param name="Definitions">The fibre's numbers.</param>
/// <param name="Theorems">The theorems, in file order.</param>
/// <param name="Notes">Certificates the fibre asks for that do not apply to its shape, in plain words.</param>
public sealed record CoqDocument(
    string Fibre,
    string SourceFileName,
    string RelativePath,
    string ModuleName,
    EquatableArray<string> Libraries,
    EquatableArray<CoqDefinition> Definitions,
    EquatableArray<CoqTheorem> Theorems,
    EquatableArray<string> Notes);

/// <summary>One number of the fibre, as a Coq definition.</summary>
/// <param name="Name">The Coq identifier.</param>
/// <param name="Type">The Coq type: <c>R</c>, <c>Z</c> or <c>fixed_point</c>.</param>
/// <param name="Value">The Coq term.</param>
/// <param name="Comment">Where the number comes from, in plain words or the fibre's statement.</param>
/// <param name="Unfold">True when fibre proofs unfold it to let <c>lra</c> see the number.</param>
public sealed record CoqDefinition(string Name, string Type, string Value, string Comment, bool Unfold);

/// <summary>A guarantee proven for a fibre.</summary>
/// <param name="Name">The Coq identifier.</param>
/// <param name="Certificate">The certificate it belongs to: <c>price</c>, <c>lyapunov</c>, <c>detection</c>, <c>kernel</c>, <c>step</c>, <c>admm</c> or <c>chordal</c>.</param>
/// <param name="Meaning">What it guarantees, in plain words with the fibre's numbers.</param>
/// <param name="Statement">The Coq statement (after <c>Theorem name :</c>).</param>
/// <param name="Proof">The Coq proof script (between <c>Proof.</c> and <c>Qed.</c>).</param>
/// <param name="Bound">The number of updates it states, for detection and recovery theorems; else null.</param>
/// <param name="Witness">
/// Where its hypotheses hold, for a theorem that has any: the file follows the theorem with an
/// <c>Example &lt;name&gt;_satisfiable</c> that applies it there, so a vacuous theorem fails the file.
/// </param>
public sealed record CoqTheorem(
    string Name,
    string Certificate,
    string Meaning,
    string Statement,
    string Proof,
    CoqUpdateBound? Bound,
    CoqWitness? Witness = null);

/// <summary>
/// Values of a theorem's universally bound variables at which every one of its hypotheses holds.
/// </summary>
/// <param name="Text">The values in plain words (<c>load = 6 s at every update, p0 = 0, n = 8</c>).</param>
/// <param name="Parts">
/// The Coq terms, in the order the statement binds the variables; one list per conjunct for a
/// statement <c>A /\ B</c> of two universally quantified parts, else one list.
/// </param>
/// <param name="Bounds">
/// Facts about the values that say they are the fibre's own (a load within the range the
/// variables' bounds allow, one the kernel's clamp lets through), proven beside the hypotheses.
/// </param>
/// <param name="Tactic">A tactic run before proving each hypothesis, after the fibre's numbers are unfolded (library definitions to unfold), or null.</param>
/// <param name="Proof">
/// The example's whole proof, when the hypotheses need a library lemma rather than the generic
/// tactics (the ADMM theorems: the utilities' optimum), or null. It too applies the theorem at the
/// witnesses and proves every hypothesis there.
/// </param>
public sealed record CoqWitness(string Text, EquatableArray<CoqWitnessPart> Parts, EquatableArray<string> Bounds, string? Tactic = null, string? Proof = null);

/// <summary>The values of one conjunct's bound variables, as Coq terms.</summary>
/// <param name="Terms">The terms, in binding order.</param>
public sealed record CoqWitnessPart(EquatableArray<string> Terms);

/// <summary>What a detection or recovery theorem states, as numbers a simulation can check.</summary>
/// <param name="Kind"><c>detection</c> (reach <see cref="Price"/> from any start) or <c>recovery</c> (fall from <see cref="Price"/> to 0).</param>
/// <param name="Resource">The resource whose price it is about.</param>
/// <param name="Price">The threshold reached, or the price recovered from.</param>
/// <param name="Margin">How far the load stays above (detection) or below (recovery) the budget.</param>
/// <param name="Updates">The number of updates stated; exact for the real-valued update.</param>
/// <param name="Kernel">True for the kernel's fixed-point update (numbers in real units).</param>
/// <param name="Seconds">
/// For <c>hold</c> (the kernel's hold timer on a span that stays open): the seconds from the
/// moment the hold exceeds the budget within which the price reaches <see cref="Price"/>, given
/// that the timer fires on time (<see cref="Updates"/> is then the most timer ticks in that
/// time); null for the other kinds, which count updates.
/// </param>
public sealed record CoqUpdateBound(string Kind, string Resource, double Price, double Margin, long Updates, bool Kernel, double? Seconds = null);
