using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// The Coq backend: a fibre's <c>coq/&lt;fibre&gt;.v</c>, which requires Sigil's Coq library
/// (proofs/Sigil), defines the fibre's numbers and proves the guarantees its certificates and
/// shape call for, each with a comment saying in plain words what it guarantees. A pure
/// function of the lowered model: same spec, same bytes.
/// </summary>
/// <remarks>
/// <see cref="Build"/> gives the file as a <see cref="CoqDocument"/> (numbers and theorems with
/// their meanings, read by the proof report); <see cref="Render"/> writes it through the
/// template <c>templates/coq/fibre.v.scriban</c>; <see cref="Emit"/> does both.
/// </remarks>
public static partial class CoqEmitter
{
    /// <summary>The artefact target name.</summary>
    public const string Target = "coq";

    /// <summary>The library files, in the order a fibre's file requires them.</summary>
    private static readonly string[] s_libraryOrder = { "PriceUpdate", "FixedPoint", "Kernel", "HoldTimer", "Fibre", "Admm", "Chordal" };

    /// <summary>The fibre's Coq file as an artefact.</summary>
    /// <exception cref="ArgumentException">A name is not an identifier or a number is not finite.</exception>
    public static Artefact Emit(FibreSpec spec)
    {
        var document = Build(spec);
        return new Artefact(Target, document.RelativePath, Render(document));
    }

    /// <summary>The fibre's Coq file before rendering: its numbers and its theorems.</summary>
    /// <exception cref="ArgumentException">A name is not an identifier or a number is not finite.</exception>
    public static CoqDocument Build(FibreSpec spec)
    {
        if (spec is null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var file = new FileBuilder(spec);
        file.AddDualUpdate();
        file.AddKernel();
        file.AddStepBound();
        file.AddAdmm();
        file.AddChordal();
        return file.ToDocument();
    }

    /// <summary>
    /// The text of <paramref name="document"/>, leaving out the theorems named in
    /// <paramref name="omit"/> (the proof report uses this to check the rest of a file once a
    /// theorem was rejected).
    /// </summary>
    public static string Render(CoqDocument document, IEnumerable<string>? omit = null)
    {
        if (document is null)
        {
            throw new ArgumentNullException(nameof(document));
        }

        var omitted = new HashSet<string>(omit ?? Enumerable.Empty<string>(), StringComparer.Ordinal);
        // Later definitions may use earlier ones: unfold them first.
        var unfolded = document.Definitions.Where(static d => d.Unfold).Select(static d => d.Name).Reverse().ToList();
        var numbers = CoqText.Prefix(document.Fibre) + "numbers";
        var model = new Dictionary<string, object>
        {
            ["sourceFile"] = CoqText.Comment(document.SourceFileName),
            ["fibre"] = document.Fibre,
            ["module"] = document.ModuleName,
            ["libraries"] = string.Join(" ", document.Libraries),
            ["numbers"] = numbers,
            ["unfold"] = unfolded.Count == 0 ? "idtac" : "unfold " + string.Join(", ", unfolded) + " in *",
            ["definitions"] = document.Definitions.Select(static d => new Dictionary<string, object>
            {
                ["name"] = d.Name,
                ["type"] = d.Type,
                ["value"] = d.Value,
                ["comment"] = CoqText.Comment(d.Comment),
            }).ToList(),
            ["notes"] = Notes(document).ToList(),
            ["theorems"] = document.Theorems.Where(t => !omitted.Contains(t.Name)).Select(t => new Dictionary<string, object>
            {
                ["name"] = t.Name,
                ["meaning"] = CoqText.Comment(t.Meaning),
                ["statement"] = t.Statement,
                ["proof"] = t.Proof,
                ["witness"] = t.Witness is null ? string.Empty : WitnessProof(t, numbers),
                ["witnessMeaning"] = t.Witness is null ? string.Empty : CoqText.Comment(WitnessMeaning(t)),
            }).ToList(),
        };
        return CoqTemplate.Render(model);
    }

    /// <summary>The name of the example that shows <paramref name="theorem"/>'s hypotheses can hold.</summary>
    public static string WitnessName(CoqTheorem theorem) => (theorem ?? throw new ArgumentNullException(nameof(theorem))).Name + "_satisfiable";

    private static string WitnessMeaning(CoqTheorem theorem)
    {
        var witness = theorem.Witness!;
        var how = witness.Proof is null ? "Fibre.v, [premises]" : "Admm.v, [fibre_admm_witness]";
        return $"Not vacuous: the hypotheses of {theorem.Name} all hold at {witness.Text}. The proof applies the theorem there and proves each hypothesis ({how}); a theorem no such values satisfy fails this file.";
    }

    /// <summary>
    /// <c>pose proof theorem as T.</c>, then for each bound variable the hypotheses before it
    /// proven and the variable fixed to its value, the remaining hypotheses proven, and the
    /// bound facts proven.
    /// </summary>
    private static string WitnessProof(CoqTheorem theorem, string numbers)
    {
        var witness = theorem.Witness!;
        if (witness.Proof is not null)
        {
            return witness.Proof;
        }

        var tactic = "ltac:(" + numbers + (witness.Tactic is null ? string.Empty : "; " + witness.Tactic) + ")";
        var lines = new List<string> { "pose proof " + theorem.Name + " as T." };
        var names = witness.Parts.Count switch
        {
            1 => new[] { "T" },
            2 => new[] { "T", "T'" },
            _ => throw new ArgumentException($"{theorem.Name}: a witness of {witness.Parts.Count} conjuncts (one or two are supported)"),
        };
        if (names.Length == 2)
        {
            lines.Add("destruct T as [T T'].");
        }

        for (var i = 0; i < names.Length; i++)
        {
            foreach (var term in witness.Parts[i].Terms)
            {
                lines.Add($"witness {names[i]} ({term}) {tactic}.");
            }

            lines.Add($"premises {names[i]} {tactic}.");
        }

        foreach (var bound in witness.Bounds)
        {
            lines.Add($"fact ({bound}) {tactic}.");
        }

        lines.Add("exact I.");
        return string.Join("\n  ", lines);
    }

    private static IEnumerable<string> Notes(CoqDocument document)
        => document.Theorems.Count == 0
            ? document.Notes.Select(CoqText.Comment).Concat(new[] { "This fibre asks for no certificate that applies to it: no theorem." })
            : document.Notes.Select(CoqText.Comment);
}
