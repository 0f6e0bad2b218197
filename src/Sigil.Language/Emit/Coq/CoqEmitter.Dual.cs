using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Sigil.Language.Analysis;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>
        /// The projected dual update <c>p' = max(0, p + g (l - c))</c> of each priced resource:
        /// non-negativity and monotonicity, bounded Lyapunov drift (<c>certify lyapunov</c>),
        /// detection, recovery and escalation at the actuators' thresholds (<c>certify detection</c>).
        /// </summary>
        public void AddDualUpdate()
        {
            var lyapunov = Certifies(CertificateKind.Lyapunov);
            var detection = Certifies(CertificateKind.Detection);
            if (!lyapunov && !detection)
            {
                return;
            }

            if (_spec.Solver.Method != SolverMethod.Dual)
            {
                var what = lyapunov && detection ? "lyapunov and detection" : lyapunov ? "lyapunov" : "detection";
                Note($"certify {what}: these certificates are about the dual price update, and this fibre is solved by {Method(_spec.Solver.Method)}; no theorem is stated for them.");
                return;
            }

            Require("PriceUpdate");
            var step = DefineReal(Id("step"), _spec.Solver.Step, _spec.Solver.Statement);
            foreach (var resource in PricedResources())
            {
                var budget = DefineReal(Id("budget", resource.Name), ConstantBudget(resource)!.Value, "the budget of @" + resource.Name + ": " + RowStatement(resource));
                AddPriceBasics(resource, step, budget);
                if (lyapunov)
                {
                    AddDrift(resource, step, budget);
                }

                if (detection)
                {
                    AddDetection(resource, step, budget);
                }
            }

            if (lyapunov)
            {
                AddFeasibility();
            }
        }

        /// <summary>Resources with a constant budget and a <c>&lt;=</c> row: their price follows the projected update.</summary>
        private IEnumerable<ResourceSpec> PricedResources()
        {
            foreach (var resource in _spec.Resources.OrderBy(r => r.Name, System.StringComparer.Ordinal))
            {
                var rows = _spec.Couplings.Where(c => c.Resource == resource.Name && c.Sense == RowSense.LessOrEqual);
                if (!rows.Any())
                {
                    continue;
                }

                if (ConstantBudget(resource) is null)
                {
                    Note($"@{resource.Name}: its budget differs per member; its price update is certified by the library's theorems for each member, and no single number is stated here.");
                    continue;
                }

                yield return resource;
            }
        }

        private void AddPriceBasics(ResourceSpec resource, string step, string budget)
        {
            var r = resource.Name;
            Theorem(
                Id("price_nonneg", r),
                "price",
                $"The price of @{r} is never negative: from any starting price p0 >= 0, every update max(0, p + {D(_spec.Solver.Step)} (l - {Q(ConstantBudget(resource)!.Value, resource)})) stays >= 0.",
                $"forall load p0 n, 0 <= p0 -> 0 <= price {step} {budget} load p0 n",
                "intros load p0 n Hp0. apply price_nonneg. exact Hp0.",
                witness: At("a load at the budget at every update, p0 = 0, n = 0", new[] { Constant("nat", budget), "0", "O" }));
            Theorem(
                Id("price_monotone", r),
                "price",
                $"A larger load never gives a lower price of @{r}: two runs from the same price, one with loads at least the other's at every update, keep their prices in that order (step {D(_spec.Solver.Step)} >= 0).",
                $"forall load1 load2 p0 n, (forall k, load1 k <= load2 k) ->\n  price {step} {budget} load1 p0 n <= price {step} {budget} load2 p0 n",
                $"intros load1 load2 p0 n Hl. apply price_mono_load; [{Numbers}; lra | exact Hl | lra].",
                witness: At("load1 at the budget and load2 one unit above it at every update, p0 = 0, n = 0", new[] { Constant("nat", budget), Constant("nat", budget + " + 1"), "0", "O" }));
        }

        private void AddDrift(ResourceSpec resource, string step, string budget)
        {
            var r = resource.Name;
            var analysis = _spec.Analysis;
            var error = DefineReal(Id("load_error"), analysis.LoadErrorBound, "G: the bound on |A x - c| per row over the variables' bounds (analysis)");
            var c = Q(ConstantBudget(resource)!.Value, resource);
            var drift = D(_spec.Solver.Step * _spec.Solver.Step * analysis.LoadErrorBound * analysis.LoadErrorBound);
            Theorem(
                Id("drift", r),
                "lyapunov",
                $"Bounded drift: for any reference price p* >= 0, one update of the price of @{r} changes V = (p - p*)^2 by at most 2 g (p - p*)(l - c) + g^2 G^2 = 2 g (p - p*)(l - c) + {drift}, whenever the load l is within G = {Q(analysis.LoadErrorBound, resource)} of the budget c = {c} (g = {D(_spec.Solver.Step)}).",
                $"forall l p pstar, 0 <= pstar -> Rabs (l - {budget}) <= {error} ->\n  lyapunov pstar (update {step} {budget} l p) - lyapunov pstar p\n    <= 2 * {step} * (p - pstar) * (l - {budget}) + {step} ^ 2 * {error} ^ 2",
                "intros l p pstar Hs HG. apply drift; assumption.",
                witness: At("l = the budget, p = p* = 0", new[] { budget, "0", "0" }));
            Theorem(
                Id("drift_equilibrium", r),
                "lyapunov",
                $"At an equilibrium price p* of @{r} (p* >= 0, load at p* within the budget {c}, complementary slackness), when the agents answer a price with a load that does not increase with it, one update raises V = (p - p*)^2 by at most g^2 G^2 = {drift}. This is a one-step bound: over n updates it allows V to grow by n g^2 G^2; the band theorem below bounds the price itself.",
                $"forall (load : R -> R) pstar p, 0 <= p -> nonincreasing load ->\n  0 <= pstar -> load pstar <= {budget} -> pstar * (load pstar - {budget}) = 0 ->\n  Rabs (load p - {budget}) <= {error} ->\n  lyapunov pstar (update {step} {budget} (load p) p) - lyapunov pstar p <= {step} ^ 2 * {error} ^ 2",
                $"intros load pstar p Hp Hmono Hs Hf Hc HG. apply drift_at_equilibrium; try assumption. {Numbers}; lra.",
                witness: At("a load at the budget at every price, p* = 0, p = 0", new[] { Constant("R", budget), "0", "0" }));
            var band = D(_spec.Solver.Step * analysis.LoadErrorBound);
            Theorem(
                Id("band", r),
                "lyapunov",
                $"The band: when the agents answer each price p of @{r} with a load that does not increase with p and stays within G = {Q(analysis.LoadErrorBound, resource)} of the budget {c}, and p* is an equilibrium (the update leaves p* where it is), the price from any p0 >= 0 stays within max(|p0 - p*|, g G) = max(|p0 - p*|, {band}) of p* at every update (g = {D(_spec.Solver.Step)}). It bounds the price; it does not say the price converges.",
                $"forall (load : R -> R) pstar p0, 0 <= p0 -> nonincreasing load -> equilibrium {step} {budget} load pstar ->\n  (forall p, 0 <= p -> Rabs (load p - {budget}) <= {error}) ->\n  forall n, Rabs (closed_loop {step} {budget} load p0 n - pstar) <= Rmax (Rabs (p0 - pstar)) ({step} * {error})",
                $"intros load pstar p0 Hp0 Hmono Heq HG n. apply band; try assumption. {Numbers}; lra.",
                witness: At("a load at the budget at every price, p* = 0, p0 = 0", new[] { Constant("R", budget), "0", "0" }));
        }

        /// <summary>Most terms of the instance a fibre's file lists for its feasibility theorem.</summary>
        private const int MaxInstanceTerms = 2000;

        /// <summary>
        /// The fibre's rows are feasible: the point of least load (each variable at the bound that
        /// loads its rows least) lies within the bounds and meets every row of the instance the
        /// compiler expanded from the fibre (<see cref="RowInstance"/>). Shapes:
        /// <code>
        /// Definition s_atp_lower : list (option R) := [Some 0; ...].      (* per column *)
        /// Definition s_atp_rows : list (list (R * R * nat) * R) := [([(1, 1, 0%nat); ...], s_atp_budget_atp)].
        /// Definition s_atp_point : list R := [0; ...].
        /// Theorem s_atp_feasible : feasible_point s_atp_lower s_atp_upper s_atp_rows s_atp_point.
        /// </code>
        /// </summary>
        private void AddFeasibility()
        {
            var instance = RowInstance.Build(_spec, MaxInstanceTerms);
            if (instance is null)
            {
                Note($"Feasibility: the fibre's instance has more than {MaxInstanceTerms} terms (or a value that is not a number); its rows' feasibility is checked by the compiler's analysis and not stated here.");
                return;
            }

            var point = instance.LeastLoadPoint(out var reason);
            if (point is null)
            {
                Note("Feasibility: " + reason + "; the rows' feasibility is checked by the compiler's analysis and not stated here.");
                return;
            }

            var legend = string.Join(", ", instance.Columns.Select((c, j) => j.ToString(System.Globalization.CultureInfo.InvariantCulture) + " = " + c.Name));
            var lower = Define(Id("lower"), "list (option R)", RealList(instance.Columns.Select(static c => Bound(c.Lower))), "the fibre's columns' lower bounds (None: unbounded); columns " + legend, unfold: false);
            var upper = Define(Id("upper"), "list (option R)", RealList(instance.Columns.Select(static c => Bound(c.Upper))), "their upper bounds", unfold: false);
            var rows = Define(Id("rows"), "list (list (R * R * nat) * R)", "[" + string.Join(";\n  ", instance.Rows.Select(RowTerm)) + "]", "the fibre's rows, sum of (count * coefficient * column) <= budget: " + string.Join("; ", instance.Rows.Select(r => r.Name + " from " + r.Statement)), unfold: false);
            var at = Define(Id("point"), "list R", RealList(point.Select(v => CoqText.Real(v))), "the point of least load: each column at the bound that loads its rows least", unfold: false);
            var where = string.Join(", ", instance.Columns.Select((c, j) => c.Name + " = " + D(point[j])));
            var dynamic = _spec.Indices.Where(static i => i.Kind == IndexKind.Dynamic).Select(static i => i.Name).ToList();
            var members = dynamic.Count == 0 ? string.Empty : $" Members of {string.Join(" and ", dynamic)} (known at run time) all look alike: one stands for each, and a sum over them counts its capacity.";
            Theorem(
                Id("feasible"),
                "lyapunov",
                $"The fibre's rows are feasible: the point {where} lies within the variables' bounds and meets every row ({string.Join(", ", instance.Rows.Select(static r => r.Name))}) with the fibre's coefficients and budgets. It is the point where every row has its least load, so this fails exactly when no point within the bounds meets the rows.{members}",
                $"feasible_point {lower} {upper} {rows} {at}",
                $"unfold {lower}, {upper}, {rows}, {at}. feasible_point_holds ltac:({Numbers}).");
        }

        private static string Bound(double value) => double.IsInfinity(value) ? "None" : "Some " + CoqText.Real(value);

        private static string RealList(IEnumerable<string> values) => "[" + string.Join("; ", values) + "]";

        // ([(count, coefficient, column); ...], budget): the budget by its definition when the price theorems define it.
        private string RowTerm(InstanceRow row)
        {
            var terms = row.Terms.Select(t => $"({CoqText.Real(t.Count)}, {CoqText.Real(t.Coefficient)}, {t.Column.ToString(System.Globalization.CultureInfo.InvariantCulture)}%nat)");
            var budget = row.Resource is { } r && Resource(r) is { } resource && ConstantBudget(resource) == row.Rhs && _names.Contains(Id("budget", r))
                ? Id("budget", r)
                : CoqText.Real(row.Rhs);
            return "([" + string.Join("; ", terms) + "], " + budget + ")";
        }

        private void AddDetection(ResourceSpec resource, string step, string budget)
        {
            var r = resource.Name;
            var g = CoqRational.FromDouble(_spec.Solver.Step);
            var c = ConstantBudget(resource)!.Value;
            var margin = 1.0;
            var m = CoqText.Real(margin);
            // The witnesses' loads lie within G of the budget, where the variables' bounds put every load.
            var error = !double.IsNaN(_spec.Analysis.LoadErrorBound) && !double.IsInfinity(_spec.Analysis.LoadErrorBound)
                ? DefineReal(Id("load_error"), _spec.Analysis.LoadErrorBound, "G: the bound on |A x - c| per row over the variables' bounds (analysis)")
                : null;
            var within = error is null ? "G is not finite" : $"within G = {Q(_spec.Analysis.LoadErrorBound, resource)} of the budget, the range the variables' bounds allow";
            var actuators = ThresholdActuators(resource).ToList();
            foreach (var (actuator, kind, threshold) in actuators)
            {
                var t = CoqRational.FromDouble(actuator.Threshold);
                var updates = g.Sign > 0 ? (t / (g * CoqRational.FromDouble(margin))).Ceiling() : BigInteger.Zero;
                var n = CoqText.Z(updates);
                var bound = new CoqUpdateBound("detection", r, actuator.Threshold, margin, ToLong(updates), false);
                Theorem(
                    Id("detects", kind, r),
                    "detection",
                    $"Detection: {Detected(resource, Q(margin, resource), Q(c, resource), actuator.Kind, D(actuator.Threshold), D(updates))}, from any starting price (step {D(_spec.Solver.Step)}).{UpdatesAreSamples(resource.Name)}",
                    $"forall load p0, 0 <= p0 -> (forall k, {budget} + {CoqText.Real(margin)} <= load k) ->\n  forall n, ({n} <= Z.of_nat n)%Z -> {threshold} <= price {step} {budget} load p0 n",
                    $"apply (detection_within {step} {budget} {CoqText.Real(margin)} {threshold} {n}); {Numbers}; lra.",
                    bound,
                    At($"a load of {Q(c + margin, resource)} at every update ({within}), p0 = 0, n = {D(updates)}", new[] { Constant("nat", budget + " + " + m), "0", "Z.to_nat " + n }, Within(error, $"{budget} + {m} - {budget}")));
                if (t.Sign > 0)
                {
                    Theorem(
                        Id("detects", kind, r, "exact"),
                        "detection",
                        $"{D(updates)} updates is exact: under a load of exactly {Q(c + margin, resource)} from price 0, the price of @{r} is still below {D(actuator.Threshold)} after {D(updates - 1)} updates.",
                        $"forall n, (Z.of_nat n < {n})%Z -> price {step} {budget} (fun _ => {budget} + {CoqText.Real(margin)}) 0 n < {threshold}",
                        $"apply (detection_exact {step} {budget} {CoqText.Real(margin)} {threshold} {n}); {Numbers}; lra.",
                        witness: At("n = 0", new[] { "O" }));
                }

                Theorem(
                    Id("detects", kind, r, "any_margin"),
                    "detection",
                    $"For any margin d > 0 of the load on @{r} above its budget, the price reaches {D(actuator.Threshold)} within ceil({D(actuator.Threshold)} / ({D(_spec.Solver.Step)} d)) updates.",
                    $"forall delta load p0, 0 < delta -> 0 <= p0 -> (forall k, {budget} + delta <= load k) ->\n  forall n, (detection_updates {step} delta {threshold} <= n)%nat -> {threshold} <= price {step} {budget} load p0 n",
                    $"intros delta load p0 Hd Hp0 Hl n Hn. apply (detection {step} {budget} delta {threshold} load p0); try assumption. {Numbers}; lra.",
                    witness: At($"d = {Q(margin, resource)}, a load of {Q(c + margin, resource)} at every update, p0 = 0, n = ceil({D(actuator.Threshold)} / ({D(_spec.Solver.Step)} d))", new[] { m, Constant("nat", budget + " + " + m), "0", $"detection_updates {step} {m} {threshold}" }));

                if (actuator.Kind != ActuatorKind.Kill)
                {
                    AddRecovery(resource, step, budget, kind, threshold, actuator.Threshold, error, within);
                }
            }

            AddEscalation(resource, actuators);
        }

        /// <summary>The fact <c>|difference| &lt;= G</c>, or none when G is not finite.</summary>
        private static string[] Within(string? error, string difference)
            => error is null ? System.Array.Empty<string>() : new[] { $"Rabs ({difference}) <= {error}" };

        private void AddRecovery(ResourceSpec resource, string step, string budget, string kind, string threshold, double from, string? error, string within)
        {
            var r = resource.Name;
            var c = ConstantBudget(resource)!.Value;
            if (c <= 0 || from <= 0)
            {
                return;
            }

            var margin = c >= 1 ? 1.0 : c / 2;
            var g = CoqRational.FromDouble(_spec.Solver.Step);
            var updates = g.Sign > 0 ? (CoqRational.FromDouble(from) / (g * CoqRational.FromDouble(margin))).Ceiling() : BigInteger.Zero;
            var n = CoqText.Z(updates);
            Theorem(
                Id("recovers_from", kind, r),
                "detection",
                $"Recovery: {Recovered(resource, Q(margin, resource), Q(c, resource), kind, D(from), D(updates))}.",
                $"forall load, (forall k, load k <= {budget} - {CoqText.Real(margin)}) ->\n  forall n, ({n} <= Z.of_nat n)%Z -> price {step} {budget} load {threshold} n = 0",
                $"apply (recovery_within {step} {budget} {CoqText.Real(margin)} {threshold} {n}); {Numbers}; lra.",
                new CoqUpdateBound("recovery", r, from, margin, ToLong(updates), false),
                At($"a load of {Q(c - margin, resource)} at every update ({within}), n = {D(updates)}", new[] { Constant("nat", budget + " - " + CoqText.Real(margin)), "Z.to_nat " + n }, Within(error, $"{budget} - {CoqText.Real(margin)} - {budget}")));
            Theorem(
                Id("recovers_from", kind, r, "exact"),
                "detection",
                $"{D(updates)} updates is exact: under a load of exactly {Q(c - margin, resource)} the price of @{r} is still positive after {D(updates - 1)} updates from {D(from)}.",
                $"forall n, (Z.of_nat n < {n})%Z -> 0 < price {step} {budget} (fun _ => {budget} - {CoqText.Real(margin)}) {threshold} n",
                $"apply (recovery_exact {step} {budget} {CoqText.Real(margin)} {threshold} {n}); {Numbers}; lra.",
                witness: At("n = 0", new[] { "O" }));
        }

        /// <summary>Throttling escalates to killing: every kill threshold is at or above every throttle threshold.</summary>
        private void AddEscalation(ResourceSpec resource, List<(ActuatorSpec Actuator, string Kind, string Threshold)> actuators)
        {
            var throttles = actuators.Where(a => a.Actuator.Kind == ActuatorKind.Throttle).ToList();
            var kills = actuators.Where(a => a.Actuator.Kind == ActuatorKind.Kill).ToList();
            foreach (var kill in kills)
            {
                foreach (var throttle in throttles)
                {
                    Theorem(
                        Id("escalation", throttle.Kind, kill.Kind, resource.Name),
                        "detection",
                        $"Escalation: the kill price {D(kill.Actuator.Threshold)} of @{resource.Name} is at or above its throttle price {D(throttle.Actuator.Threshold)}, so any agent at the kill price has crossed the throttle price: throttling comes first, or together.",
                        $"forall p, {kill.Threshold} <= p -> {throttle.Threshold} <= p",
                        $"intros p Hp. {Numbers}; lra.",
                        witness: At($"p = {D(kill.Actuator.Threshold)}, the kill price", new[] { kill.Threshold }));
                }
            }
        }

        /// <summary>The actuators on a resource that act above a price, with a name and a definition for each threshold.</summary>
        private IEnumerable<(ActuatorSpec Actuator, string Kind, string Threshold)> ThresholdActuators(ResourceSpec resource)
        {
            var onResource = _spec.Actuators.Where(a => a.Resource == resource.Name && a.Kind != ActuatorKind.Affinity).ToList();
            var counts = new Dictionary<ActuatorKind, int>();
            foreach (var actuator in onResource)
            {
                counts.TryGetValue(actuator.Kind, out var seen);
                counts[actuator.Kind] = seen + 1;
                var duplicates = onResource.Count(a => a.Kind == actuator.Kind) > 1;
                var kind = Kind(actuator.Kind) + (duplicates ? (seen + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);
                var threshold = DefineReal(Id(kind, "threshold", resource.Name), actuator.Threshold, actuator.Statement);
                yield return (actuator, kind, threshold);
            }
        }

        private static string Kind(ActuatorKind kind) => kind switch
        {
            ActuatorKind.Throttle => "throttle",
            ActuatorKind.Kill => "kill",
            ActuatorKind.Freeze => "freeze",
            _ => "affinity",
        };

        private static string Method(SolverMethod method) => method switch
        {
            SolverMethod.Dual => "dual decomposition",
            SolverMethod.Admm => "ADMM",
            _ => "the penalty method",
        };

        /// <summary>A number for people.</summary>
        private static string D(double value) => CoqText.Display(value);

        private static string D(BigInteger value) => CoqText.Display(value);

        /// <summary>A quantity of a resource, with its unit.</summary>
        private static string Q(double value, ResourceSpec resource) => CoqText.Quantity(value, Unit(resource));
    }
}
