using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Analysis;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>Most column kinds (variable members, a dynamic set's members counted once) the ADMM theorems list.</summary>
        private const int MaxAdmmColumns = 500;

        /// <summary>
        /// <c>certify admm</c>: ADMM's Lyapunov function decreases at every iteration after the
        /// first, for the fibre's own problem (its utilities over its variables' bounds, its rows as
        /// linear rows) and its rho (Boyd et al. 2011, appendix A, consensus form; Admm.v,
        /// <c>fibre_admm_lyapunov</c>). Shapes:
        /// <code>
        /// Definition s_cache_columns : nat -> fibre_column := fun i => match i with
        ///   | 0%nat => FibreColumn (utility_log 1 (...)) (Some 0) (Some 1)   (* $x[thread, node0] *)
        ///   | _ => FibreColumn (utility_linear 0) None None end.
        /// Theorem s_cache_admm_lyapunov : forall n kind m A c equality xs zs us x z u,
        ///   (forall j, (j &lt; n)%nat -> (kind j &lt; s_cache_column_count)%nat) -> ... -> V(k+1) &lt;= V(k) - ...
        /// </code>
        /// A fibre with a utility outside the proved families (alpha-fair) states the library's
        /// theorem for any convex functions with its rho, and a note says so.
        /// </summary>
        public void AddAdmm()
        {
            if (!Certifies(CertificateKind.Admm))
            {
                return;
            }

            if (_spec.Solver.Method != SolverMethod.Admm)
            {
                Note($"certify admm: this fibre is solved by {Method(_spec.Solver.Method)}, not ADMM; no theorem is stated for it.");
                return;
            }

            Require("Admm");
            var rho = DefineReal(Id("rho"), _spec.Solver.Rho, _spec.Solver.Statement);
            var columns = AdmmColumns(out var reason);
            if (columns is null)
            {
                Note("certify admm: " + reason + "; the theorems below are stated for any convex costs with the fibre's rho, not for its utilities.");
                AddGenericAdmm(rho);
                return;
            }

            var count = Define(Id("column_count"), "nat", columns.Count.ToString(CultureInfo.InvariantCulture) + "%nat", "the number of column kinds below", unfold: false);
            var cases = columns.Select((c, i) => $"  | {i.ToString(CultureInfo.InvariantCulture)}%nat => {c.Term} (* {CoqText.Comment(c.Name)}: {CoqText.Comment(c.Utility)} *)");
            var table = Define(
                Id("columns"),
                "nat -> fibre_column",
                "fun i => match i with\n" + string.Join("\n", cases) + "\n  | _ => FibreColumn (utility_linear 0) None None\n  end",
                "the fibre's columns: each variable member's utility and bounds (the members of an index set known at run time share one)",
                unfold: false);
            var rhoText = D(_spec.Solver.Rho);
            var names = string.Join(", ", columns.Select(static c => c.Name + " ~ " + c.Utility).Distinct());
            var okProof = $"intros j Hj. specialize (Hkind j Hj). unfold {count} in Hkind. revert Hkind. generalize (kind j). intros i Hi.\n"
                + $"    do {columns.Count.ToString(CultureInfo.InvariantCulture)} (destruct i as [|i]; [unfold {table}, column_ok; cbv beta iota delta [column_utility column_lower]; first [exact I | split; lra | lra] |]). lia.";
            var hypotheses =
                "forall n kind m A c equality (xs zs us : vec) (x z u : nat -> vec),\n"
                + $"  (forall j, (j < n)%nat -> (kind j < {count})%nat) ->\n"
                + "  (forall i, (i < n)%nat -> xs i = zs i) ->\n"
                + $"  fibre_box {table} kind n xs /\\ fibre_rows n m A c equality zs ->\n"
                + $"  (forall x' z', fibre_box {table} kind n x' -> fibre_rows n m A c equality z' ->\n"
                + $"     fibre_cost {table} kind n xs + fibre_indicator zs <= fibre_cost {table} kind n x' + fibre_indicator z' + {rho} * dot n us (fun i => x' i - z' i)) ->\n"
                + $"  admm_run n (fibre_cost {table} kind n) fibre_indicator (fibre_box {table} kind n) (fibre_rows n m A c equality) {rho} x z u ->\n";
            var scope = $"The problem is the fibre's: n coordinates, each a member of one of its columns ({names}), f the sum of minus their utilities within their bounds, g the indicator of any m linear rows A z <= c (or = c), so of the fibre's rows at any number of members of its run-time index sets; rho = {rhoText}, fixed for the whole solve. The utilities' convexity is proved, not assumed. Assumed: a saddle point (x*, z*, u*) of the Lagrangian, and exact x- and z-updates of the consensus splitting x - z = 0 (the runtime splits per entry of A and computes in floating point; neither is covered).";
            Theorem(
                Id("admm_lyapunov"),
                "admm",
                $"ADMM on this fibre's problem with rho = {rhoText}: every iteration after the first lowers V = rho ||u - u*||^2 + rho ||z - z*||^2 by at least rho ||x - z||^2 + rho ||z - z_prev||^2, so V never increases (the price is rho u). {scope}",
                hypotheses
                + "  forall k, k <> O ->\n"
                + $"    lyapunov_admm n {rho} zs us (u (S k)) (z (S k))\n"
                + $"      <= lyapunov_admm n {rho} zs us (u k) (z k) - {rho} * dist2 n (x (S k)) (z (S k)) - {rho} * dist2 n (z (S k)) (z k)",
                "intros n kind m A c equality xs zs us x z u Hkind Hfeas Hdom Hsaddle Hrun k Hk.\n"
                + $"  apply (fibre_admm_lyapunov {table} kind n m A c equality {rho} xs zs us x z u); try assumption.\n"
                + $"  - {Numbers}; lra.\n"
                + "  - " + okProof,
                witness: FibreWitness(columns, table, count, rho, lyapunov: true));
            Theorem(
                Id("admm_residuals"),
                "admm",
                $"ADMM on this fibre's problem with rho = {rhoText}: under the same assumptions the residuals are square-summable: over any N iterations after the first, the sum of rho ||x - z||^2 + rho ||z - z_prev||^2 is at most V after the first iteration, so both residuals tend to 0.",
                hypotheses
                + $"  forall N, sum_to N (fun k => {rho} * dist2 n (x (S (S k))) (z (S (S k))) + {rho} * dist2 n (z (S (S k))) (z (S k)))\n"
                + $"    <= lyapunov_admm n {rho} zs us (u 1%nat) (z 1%nat) - lyapunov_admm n {rho} zs us (u (S N)) (z (S N))",
                "intros n kind m A c equality xs zs us x z u Hkind Hfeas Hdom Hsaddle Hrun N.\n"
                + $"  apply (fibre_admm_residuals {table} kind n m A c equality {rho} xs zs us x z u); try assumption.\n"
                + $"  - {Numbers}; lra.\n"
                + "  - " + okProof,
                witness: FibreWitness(columns, table, count, rho, lyapunov: false));
        }

        /// <summary>One column kind of the fibre's problem: its name, its utility in words, and its Coq term.</summary>
        private sealed record AdmmColumn(string Name, string Utility, string Term, double Upper, bool Nondecreasing, double Lower);

        /// <summary>
        /// Every member of every variable (a dynamic index set's members as one), with the
        /// variable's utility and bounds evaluated for it; null with <paramref name="reason"/>
        /// when a utility's family has no convexity proof or a number is not finite where needed.
        /// </summary>
        private List<AdmmColumn>? AdmmColumns(out string reason)
        {
            var evaluator = new ValueEvaluator(_spec.Tables);
            var sets = _spec.Indices.ToDictionary(static i => i.Name, System.StringComparer.Ordinal);
            var columns = new List<AdmmColumn>();
            foreach (var variable in _spec.Variables)
            {
                var utility = _spec.Utilities.FirstOrDefault(u => u.Variable == variable.Name);
                if (utility is { Family: UtilityKind.AlphaFair })
                {
                    reason = $"the utility of ${variable.Name} is alpha-fair, whose convexity is not proved in Admm.v";
                    return null;
                }

                foreach (var positions in Members(variable.IndexSets.Select(s => sets[s]).ToList()))
                {
                    if (columns.Count >= MaxAdmmColumns)
                    {
                        reason = $"the fibre has more than {MaxAdmmColumns} variable members";
                        return null;
                    }

                    var bounds = Bind(variable.IndexVariables, positions);
                    var lower = evaluator.Evaluate(variable.Lower, bounds);
                    var upper = evaluator.Evaluate(variable.Upper, bounds);
                    var name = "$" + variable.Name + (positions.Length == 0 ? string.Empty : "[" + string.Join(", ", positions.Select((p, i) => p < 0 ? variable.IndexSets[i] : sets[variable.IndexSets[i]].Members[p])) + "]");
                    string term;
                    string words;
                    bool nondecreasing;
                    if (utility is null)
                    {
                        term = "utility_linear 0";
                        words = "no utility (0)";
                        nondecreasing = true;
                    }
                    else
                    {
                        var members = Bind(utility.IndexVariables, positions);
                        var w = evaluator.Evaluate(utility.Weight, members);
                        switch (utility.Family)
                        {
                            case UtilityKind.Log:
                                var eps = evaluator.Evaluate(utility.Offset, members);
                                term = $"utility_log {Real(w, "utility weight")} {Real(eps, "utility offset")}";
                                words = $"{D(w)} log(x + {D(eps)})";
                                nondecreasing = w >= 0;
                                break;
                            case UtilityKind.Quadratic:
                                var k = evaluator.Evaluate(utility.Curvature, members);
                                term = $"utility_quadratic {Real(w, "utility weight")} {Real(k, "utility curvature")}";
                                words = $"{D(w)} x - {D(k)}/2 x^2";
                                nondecreasing = !double.IsInfinity(upper) && k * upper <= w;
                                break;
                            default:
                                term = $"utility_linear {Real(w, "utility weight")}";
                                words = $"{D(w)} x";
                                nondecreasing = w >= 0;
                                break;
                        }
                    }

                    if (double.IsNaN(lower) || double.IsNaN(upper))
                    {
                        reason = $"a bound of {name} is not a number";
                        return null;
                    }

                    var coqBounds = (double.IsInfinity(lower) ? "None" : "(Some " + CoqText.Real(lower) + ")") + " " + (double.IsInfinity(upper) ? "None" : "(Some " + CoqText.Real(upper) + ")");
                    columns.Add(new AdmmColumn(name, words, $"FibreColumn ({term}) {coqBounds}", upper, nondecreasing, lower));
                }
            }

            reason = string.Empty;
            return columns;
        }

        // Each static member's position, -1 for a dynamic set's representative member.
        private static IEnumerable<int[]> Members(IReadOnlyList<IndexSpec> sets)
        {
            IEnumerable<int[]> all = new[] { System.Array.Empty<int>() };
            foreach (var set in sets)
            {
                var positions = set.Kind == IndexKind.Dynamic ? new[] { -1 } : Enumerable.Range(0, set.Members.Count).ToArray();
                all = all.SelectMany(prefix => positions.Select(p => prefix.Append(p).ToArray())).ToList();
            }

            return all;
        }

        private static Dictionary<string, int> Bind(IReadOnlyList<string> variables, int[] positions)
        {
            var members = new Dictionary<string, int>(System.StringComparer.Ordinal);
            for (var i = 0; i < variables.Count && i < positions.Length; i++)
            {
                members[variables[i]] = positions[i];
            }

            return members;
        }

        /// <summary>
        /// The hypotheses hold with the fibre's own utility and rho (Admm.v, <c>fibre_admm_witness</c>):
        /// one coordinate of the first column whose utility does not fall up to its finite upper
        /// bound, no row, every iterate at that bound with dual 0. Null when no column qualifies.
        /// </summary>
        private CoqWitness? FibreWitness(List<AdmmColumn> columns, string table, string count, string rho, bool lyapunov)
        {
            var index = columns.FindIndex(static c => c.Nondecreasing && !double.IsInfinity(c.Upper) && c.Lower <= c.Upper);
            if (index < 0)
            {
                return null;
            }

            var column = columns[index];
            var i = index.ToString(CultureInfo.InvariantCulture) + "%nat";
            var m = CoqText.Real(column.Upper);
            var unfold = $"unfold {table}, column_ok, column_nondecreasing, at_least; cbv beta iota delta [column_utility column_lower column_upper]";
            var proof = string.Join(
                "\n  ",
                $"pose proof {Id(lyapunov ? "admm_lyapunov" : "admm_residuals")} as T.",
                $"specialize (T 1%nat (fun _ => {i}) 0%nat (fun _ _ => 0) (fun _ => 0) (fun _ => false)",
                $"  (fun _ => {m}) (fun _ => {m}) (fun _ => 0) (fun _ _ => {m}) (fun _ _ => {m}) (fun _ _ => 0)).",
                $"pose proof (fibre_admm_witness {table} {i} {rho} ({m}) (fun _ _ => 0) (fun _ => 0) (fun _ => false)",
                $"  ltac:({Numbers}; lra) ltac:({unfold}; first [exact I | split; lra | lra]) eq_refl ltac:({unfold}; lra) ltac:({unfold}; lra)) as W.",
                "cbv zeta in W. destruct W as [Hdom [Hsaddle Hrun]].",
                $"specialize (T ltac:(intros; cbv beta; unfold {count}; lia) ltac:(intros; reflexivity) Hdom Hsaddle Hrun).",
                "exact I.");
            return new CoqWitness(
                $"one coordinate of the column {column.Name} ({column.Utility}), no row, every x and z at its upper bound {D(column.Upper)} and every u at 0 (its optimum, a saddle point with multiplier 0, where each update is exact), with rho = {D(_spec.Solver.Rho)}",
                EquatableArray<CoqWitnessPart>.Empty,
                EquatableArray<string>.Empty,
                Proof: proof);
        }

        /// <summary>The library's theorems for any convex costs, with the fibre's rho (a fibre whose utilities Admm.v does not cover).</summary>
        private void AddGenericAdmm(string rho)
        {
            var rhoText = D(_spec.Solver.Rho);
            const string Assumptions =
                "forall n (f g : vec -> R) (Df Dg : vec -> Prop) (xs zs us : vec) (x z u : nat -> vec),\n"
                + "  convex_set Df -> convex_set Dg -> convex_on Df f -> convex_on Dg g ->\n"
                + "  (forall i, (i < n)%nat -> xs i = zs i) -> Df xs /\\ Dg zs ->\n";
            Theorem(
                Id("admm_lyapunov"),
                "admm",
                $"ADMM with rho = {rhoText}: for any convex costs on convex bounds and any convex budget set whose Lagrangian has a saddle point (x*, z*, u*), every iteration after the first lowers V = rho ||u - u*||^2 + rho ||z - z*||^2 by at least rho ||x - z||^2 + rho ||z - z_prev||^2; V never increases (the price is rho u). The fibre's utilities do not appear in it.",
                Assumptions
                + $"  (forall x' z', Df x' -> Dg z' -> f xs + g zs <= f x' + g z' + {rho} * dot n us (fun i => x' i - z' i)) ->\n"
                + $"  admm_run n f g Df Dg {rho} x z u ->\n"
                + "  forall k, k <> O ->\n"
                + $"    lyapunov_admm n {rho} zs us (u (S k)) (z (S k))\n"
                + $"      <= lyapunov_admm n {rho} zs us (u k) (z k) - {rho} * dist2 n (x (S k)) (z (S k)) - {rho} * dist2 n (z (S k)) (z k)",
                $"intros n f g Df Dg xs zs us x z u HDf HDg Hf Hg Hfeas Hdom Hsaddle Hrun k Hk.\n  refine (admm_lyapunov n f g Df Dg {rho} _ HDf HDg Hf Hg xs zs us Hfeas Hdom Hsaddle x z u Hrun k Hk). {Numbers}; lra.",
                witness: ZeroDimensional(new[] { "1%nat" }));
        }

        /// <summary>
        /// The zero-dimensional problem with zero costs and no bounds, where every hypothesis holds
        /// with the fibre's rho: it shows them consistent, not that they hold for the fibre's own
        /// utilities and rows (which the generic theorem does not mention).
        /// </summary>
        private static CoqWitness ZeroDimensional(string[] after)
        {
            var terms = new[] { "O", "fun _ : vec => 0", "fun _ : vec => 0", "fun _ : vec => True", "fun _ : vec => True", "fun _ : nat => 0", "fun _ : nat => 0", "fun _ : nat => 0", "fun (_ : nat) (_ : nat) => 0", "fun (_ : nat) (_ : nat) => 0", "fun (_ : nat) (_ : nat) => 0" };
            return new CoqWitness(
                "n = 0 (no coordinates), zero costs, no bounds, every iterate 0" + (after.Length == 0 ? string.Empty : ", k = 1") + "; the fibre's utilities and rows do not appear in these hypotheses",
                EquatableArray.Create(new CoqWitnessPart(terms.Concat(after).ToArray().ToEquatableArray())),
                EquatableArray<string>.Empty,
                "unfold admm_run, x_update, z_update, u_update, convex_set, convex_on, segment, dot, dist2 in *; cbn [sum_to] in *");
        }
    }
}
