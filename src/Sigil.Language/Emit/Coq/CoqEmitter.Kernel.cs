using System;
using System.Linq;
using System.Numerics;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>
        /// The kernel's fixed-point update, when the fibre keeps a price in the kernel: no
        /// overflow, saturation, the error against the real update, the encoding of the
        /// fibre's numbers, the nanosecond conversion, and (with <c>certify detection</c>)
        /// detection and recovery in fixed point.
        /// </summary>
        public void AddKernel()
        {
            var fixedPoint = _spec.FixedPoint;
            if (fixedPoint is null)
            {
                return;
            }

            Require("PriceUpdate");
            Require("FixedPoint");
            Require("Kernel");
            var resource = Resource(fixedPoint.Resource);
            var r = CoqText.Name(fixedPoint.Resource);
            var scale = BigInteger.Pow(2, fixedPoint.ScaleBits);
            var kernel = Define(
                Id("kernel"),
                "fixed_point",
                "{| fx_bits := " + CoqText.Z(fixedPoint.ScaleBits)
                + "; fx_step := " + CoqText.Z(fixedPoint.StepFixed)
                + "; fx_budget := " + CoqText.Z(fixedPoint.BudgetFixed)
                + ";\n     fx_load_max := " + CoqText.Z(fixedPoint.LoadMaxFixed)
                + "; fx_price_max := " + CoqText.Z(fixedPoint.PriceMaxFixed) + " |}",
                $"the kernel's price of @{r}: integers scaled by 2^{fixedPoint.ScaleBits}",
                unfold: false);
            var unit = resource is null ? "1" : Unit(resource);
            var priceMax = (double)fixedPoint.PriceMaxFixed / (double)scale;
            var loadMax = (double)fixedPoint.LoadMaxFixed / (double)scale;

            Theorem(
                Id("kernel_no_overflow"),
                "kernel",
                $"The kernel's fixed-point update of the price of @{r} (scale 2^{fixedPoint.ScaleBits}) never overflows: for any 64-bit load and any price in [0, {D(priceMax)}], the load clamped to [0, {CoqText.Quantity(loadMax, unit)}], its excess over the budget, the product with the step, the shifted increment, the sum and the result all stay within signed 64-bit integers.",
                $"forall l p, in_int64 l -> (0 <= p <= fx_price_max {kernel})%Z ->\n  in_int64 (clamp_load {kernel} l) /\\ in_int64 (excess {kernel} l) /\\ in_int64 (product {kernel} l)\n  /\\ in_int64 (increment {kernel} l) /\\ in_int64 (raw_sum {kernel} l p) /\\ in_int64 (fx_update {kernel} l p)",
                "apply fx_no_overflow_checked. vm_compute. reflexivity.",
                witness: At("l = 0, p = 0", new[] { "0%Z", "0%Z" }));
            Theorem(
                Id("kernel_saturates"),
                "kernel",
                $"The kernel's price of @{r} stays within [0, {D(priceMax)}] and sits at {D(priceMax)} when an update would pass it.",
                $"(forall l p, (0 <= fx_update {kernel} l p <= fx_price_max {kernel})%Z)\n  /\\ (forall l p, (fx_price_max {kernel} <= raw_sum {kernel} l p)%Z -> fx_update {kernel} l p = fx_price_max {kernel})",
                "split; [apply fx_range_checked | apply fx_saturates_checked]; vm_compute; reflexivity.",
                witness: AtBoth($"l = 0 and p = 0 for the range, and, for the saturation, the largest load the clamp lets through at the price {D(priceMax)}", new[] { "0%Z", "0%Z" }, new[] { $"fx_load_max {kernel}", $"fx_price_max {kernel}" }));
            Theorem(
                Id("kernel_error"),
                "kernel",
                $"After n updates the kernel's price of @{r} is below the real-valued update's price (saturated at {D(priceMax)}) by at most n / 2^{fixedPoint.ScaleBits} = n * {D(1.0 / (double)scale)}: less than one unit of the scale per update, from the floor of the arithmetic shift.",
                $"forall load p0 n,\n  0 <= real_price {kernel} load (to_real {kernel} p0) n - to_real {kernel} (fx_price {kernel} load p0 n)\n    <= INR n / scale {kernel}",
                "apply fx_error_checked. vm_compute. reflexivity.");
            Theorem(
                Id("kernel_tracks_price"),
                "kernel",
                $"While the real-valued price of @{r} (the update over R with the kernel's numbers) stays at or below {D(priceMax)}, the kernel's price after n updates is below it by at most n / 2^{fixedPoint.ScaleBits}.",
                $"forall load p0 n,\n  (forall k, (k <= n)%nat -> real_of {kernel} load p0 k <= to_real {kernel} (fx_price_max {kernel})) ->\n  0 <= real_of {kernel} load p0 n - to_real {kernel} (fx_price {kernel} load p0 n) <= INR n / scale {kernel}",
                "apply fx_tracks_price_checked. vm_compute. reflexivity.",
                witness: At("a load of 0 at every update, p0 = 0, n = 0", new[] { Constant("nat", "0%Z"), "0%Z", "O" }));

            AddKernelEncoding(fixedPoint, resource, kernel, scale);
            AddCCode(fixedPoint, kernel, unit);
            if (Certifies(CertificateKind.Detection) && resource is not null)
            {
                AddKernelDetection(fixedPoint, resource, kernel, scale);
            }
        }

        /// <summary>The kernel's step and budget are the fibre's, to within half a unit of the scale.</summary>
        private void AddKernelEncoding(FixedPointSpec fixedPoint, ResourceSpec? resource, string kernel, BigInteger scale)
        {
            var r = fixedPoint.Resource;
            var half = "1 / " + CoqText.Integer(2 * scale);
            var step = DefineReal(Id("step"), _spec.Solver.Step, _spec.Solver.Statement);
            var statement = $"Rabs (IZR (fx_step {kernel}) / {CoqText.Integer(scale)} - {step}) <= {half}";
            var meaning = $"The kernel's integers are the fibre's numbers at scale 2^{fixedPoint.ScaleBits}: the step {fixedPoint.StepFixed} / 2^{fixedPoint.ScaleBits} is {D(_spec.Solver.Step)}";
            var budgetValue = resource is null ? null : ConstantBudget(resource);
            if (budgetValue is not null)
            {
                var budget = DefineReal(Id("budget", r), budgetValue.Value, "the budget of @" + r + ": " + RowStatement(resource!));
                statement += $"\n  /\\ Rabs (IZR (fx_budget {kernel}) / {CoqText.Integer(scale)} - {budget}) <= {half}";
                meaning += $" and the budget {fixedPoint.BudgetFixed} / 2^{fixedPoint.ScaleBits} is {Q(budgetValue.Value, resource!)}";
            }

            Theorem(
                Id("kernel_encodes", r),
                "kernel",
                meaning + $", each to within half a unit of the scale ({D(0.5 / (double)scale)}).",
                statement,
                $"unfold {kernel}; cbn [fx_step fx_budget]; {Numbers}; repeat split; apply Rabs_le_half; lra.");
        }

        /// <summary>The C code of the kernel computes the exact update; its nanosecond conversion is an exact floor.</summary>
        private void AddCCode(FixedPointSpec fixedPoint, string kernel, string unit)
        {
            var r = fixedPoint.Resource;
            Theorem(
                Id("kernel_c_code"),
                "kernel",
                $"The kernel's C code as Kernel.v models it statement by statement (bpf/sigil_fixed.h: saturating product and sums, clamped inputs; the printed header is checked against this model on vectors at every build, not proved equal to it) computes exactly this exact-integer update of the price of @{r}, one update and along any run from a price in [0, {D((double)fixedPoint.PriceMaxFixed / Math.Pow(2, fixedPoint.ScaleBits))}]: with these numbers its saturation never triggers.",
                $"(forall l p, in_int64 l -> (0 <= p <= fx_price_max {kernel})%Z -> kernel_update {kernel} l p = fx_update {kernel} l p)\n"
                + $"  /\\ (forall load p0, (forall k, in_int64 (load k)) -> (0 <= p0 <= fx_price_max {kernel})%Z ->\n"
                + $"        forall n, kernel_price {kernel} load p0 n = fx_price {kernel} load p0 n)",
                "apply kernel_exact_checked. vm_compute. reflexivity.",
                witness: AtBoth("l = 0 and p = 0 for one update, a load of 0 at every update from p0 = 0 for the run", new[] { "0%Z", "0%Z" }, new[] { Constant("nat", "0%Z"), "0%Z" }));

            if (fixedPoint.NanosecondsPerUnit <= 0)
            {
                return;
            }

            var bits = CoqText.Z(fixedPoint.ScaleBits);
            var npu = CoqText.Z(fixedPoint.NanosecondsPerUnit);
            var max = CoqText.Z(fixedPoint.LoadMaxFixed);
            Theorem(
                Id("kernel_load_of_ns"),
                "kernel",
                $"The kernel's conversion as Kernel.v models it (sigil_fx_from_ns, checked against the printed header on vectors) turns a duration of ns nanoseconds ({D((double)fixedPoint.NanosecondsPerUnit)} per {unit}) into the load floor(ns 2^{fixedPoint.ScaleBits} / {D((double)fixedPoint.NanosecondsPerUnit)}) clamped to {fixedPoint.LoadMaxFixed} (= {CoqText.Quantity((double)fixedPoint.LoadMaxFixed / Math.Pow(2, fixedPoint.ScaleBits), unit)}), exactly, for every 64-bit unsigned ns, with no unsigned wrap in between.",
                $"forall ns, (0 <= ns < 2 ^ 64)%Z ->\n"
                + $"  c_from_ns ns {npu} {bits} {max} = Z.min (ns * 2 ^ {bits} / {npu}) {max}\n"
                + $"  /\\ (0 <= ns / {npu} * {npu} <= ns)%Z\n"
                + $"  /\\ (0 <= Z.shiftl (ns - ns / {npu} * {npu}) {bits} < 2 ^ 64)%Z\n"
                + $"  /\\ ((ns / {npu} <= Z.shiftr {max} {bits})%Z ->\n"
                + $"      (0 <= Z.shiftl (ns / {npu}) {bits} + Z.shiftl (ns - ns / {npu} * {npu}) {bits} / {npu} < 2 ^ 64)%Z)",
                "apply c_from_ns_checked. vm_compute. reflexivity.",
                witness: At("ns = 0", new[] { "0%Z" }));
        }

        /// <summary>Detection and recovery in fixed point, at the thresholds the kernel compares against.</summary>
        private void AddKernelDetection(FixedPointSpec fixedPoint, ResourceSpec resource, string kernel, BigInteger scale)
        {
            var r = resource.Name;
            var margin = scale;
            var gain = new BigInteger(fixedPoint.StepFixed) * margin / scale;
            if (gain.Sign <= 0)
            {
                Note($"kernel detection on @{r}: the fixed-point step {fixedPoint.StepFixed} moves the price by less than one unit per update at a margin of one unit of load; no fixed-point detection bound is stated.");
                return;
            }

            if (new BigInteger(fixedPoint.BudgetFixed) + margin > fixedPoint.LoadMaxFixed)
            {
                Note($"kernel detection on @{r}: the load clamp leaves no room one unit above the budget; no fixed-point detection bound is stated.");
                return;
            }

            foreach (var actuator in _spec.Actuators.Where(a => a.Resource == r && a.Kind != ActuatorKind.Affinity))
            {
                var kind = Kind(actuator.Kind) + (_spec.Actuators.Count(a => a.Resource == r && a.Kind == actuator.Kind) > 1
                    ? (_spec.Actuators.Where(a => a.Resource == r && a.Kind == actuator.Kind).ToList().IndexOf(actuator) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : string.Empty);
                var threshold = (CoqRational.FromDouble(actuator.Threshold) * CoqRational.FromInteger(scale)).Round();
                var updates = CeilDiv(threshold, gain);
                var t = CoqText.Z(threshold);
                Theorem(
                    Id("kernel_detects", kind, r),
                    "detection",
                    $"Detection in the kernel, in fixed point (1 = {margin}): {Detected(resource, Q(1, resource), Q(ConstantBudget(resource) ?? (double)fixedPoint.BudgetFixed / (double)scale, resource), actuator.Kind, D(actuator.Threshold) + " = " + threshold + " / 2^" + fixedPoint.ScaleBits, D(updates))}, from any starting price.{UpdatesAreSamples(r)}",
                    $"forall load p0, (0 <= p0)%Z -> (forall k, (fx_budget {kernel} + {CoqText.Z(margin)} <= load k)%Z) ->\n  forall n, ({CoqText.Z(updates)} <= Z.of_nat n)%Z -> ({t} <= fx_price {kernel} load p0 n)%Z",
                    $"apply (fx_detection_checked {kernel} {CoqText.Z(margin)} {t} {CoqText.Z(updates)}). vm_compute. reflexivity.",
                    new CoqUpdateBound("detection", r, actuator.Threshold, 1, ToLong(updates), true),
                    At($"a load one unit above the budget at every update (one the kernel's clamp to {fixedPoint.LoadMaxFixed} lets through), p0 = 0, n = {D(updates)}", new[] { Constant("nat", $"(fx_budget {kernel} + {CoqText.Z(margin)})%Z"), "0%Z", "Z.to_nat " + CoqText.Z(updates) }, $"(fx_budget {kernel} + {CoqText.Z(margin)} <= fx_load_max {kernel})%Z"));

                AddHoldDetection(fixedPoint, resource, kernel, kind, actuator, threshold);

                if (actuator.Kind != ActuatorKind.Kill && threshold.Sign > 0 && margin <= fixedPoint.BudgetFixed)
                {
                    var back = CeilDiv(threshold, gain);
                    Theorem(
                        Id("kernel_recovers_from", kind, r),
                        "detection",
                        $"Recovery in the kernel, in fixed point: {Recovered(resource, Q(1, resource), Q(ConstantBudget(resource) ?? (double)fixedPoint.BudgetFixed / (double)scale, resource), kind, D(actuator.Threshold), D(back))}.",
                        $"forall load, (forall k, (load k <= fx_budget {kernel} - {CoqText.Z(margin)})%Z) ->\n  forall n, ({CoqText.Z(back)} <= Z.of_nat n)%Z -> fx_price {kernel} load {t} n = 0%Z",
                        $"apply (fx_recovery_checked {kernel} {CoqText.Z(margin)} {t} {CoqText.Z(back)}). vm_compute. reflexivity.",
                        new CoqUpdateBound("recovery", r, actuator.Threshold, 1, ToLong(back), true),
                        At($"a load one unit below the budget at every update (not negative), n = {D(back)}", new[] { Constant("nat", $"(fx_budget {kernel} - {CoqText.Z(margin)})%Z"), "Z.to_nat " + CoqText.Z(back) }, $"(0 <= fx_budget {kernel} - {CoqText.Z(margin)})%Z"));
                }
            }
        }

        /// <summary>
        /// Whether the kernel's price is updated from a span (a hold): the eBPF program then
        /// charges open spans with its hold timer (templates/bpf/sensor_span.scriban).
        /// </summary>
        private bool HasHoldTimer(FixedPointSpec fixedPoint)
        {
            var coupling = _spec.Couplings.FirstOrDefault(c => c.Resource == fixedPoint.Resource);
            return fixedPoint.NanosecondsPerUnit > 0 && coupling is not null
                && coupling.Terms.Any(t => _spec.Sensors.Any(s => s.Variable == t.Variable && s.Kind == SensorKind.Span));
        }

        /// <summary>
        /// Detection in time by the hold timer (HoldTimer.v): a span held open and never closed
        /// takes the price to <paramref name="threshold"/> within TAU nanoseconds of the moment
        /// the hold passes the budget, at the first tick from then on. TAU is the least integer
        /// with TAU (S 2^b tick - (2^b - 1) npu) >= T 2^b npu tick + S (npu - 1) tick + (2^b - 1) npu tick:
        /// the step times the excess, floored once by the ns conversion, less one unit per tick
        /// (at most TAU / tick + 1 ticks), reaches T; lia checks it with the fibre's numbers.
        /// </summary>
        private void AddHoldDetection(FixedPointSpec fixedPoint, ResourceSpec resource, string kernel, string kind, ActuatorSpec actuator, BigInteger threshold)
        {
            if (!HasHoldTimer(fixedPoint))
            {
                return;
            }

            Require("HoldTimer");
            var r = resource.Name;
            var two = BigInteger.Pow(2, fixedPoint.ScaleBits);
            var step = new BigInteger(fixedPoint.StepFixed);
            var budget = new BigInteger(fixedPoint.BudgetFixed);
            var loadMax = new BigInteger(fixedPoint.LoadMaxFixed);
            var npu = new BigInteger(fixedPoint.NanosecondsPerUnit);
            var tick = new BigInteger(FixedPointSpec.HoldTickNanoseconds);
            var rate = (step * two * tick) - ((two - 1) * npu);
            if (rate.Sign <= 0 || threshold.Sign <= 0 || threshold > fixedPoint.PriceMaxFixed)
            {
                Note($"hold timer on @{r} ({Kind(actuator.Kind)}): the fixed-point step gains less than the floor loses per tick, or the threshold is outside (0, PriceMax]; no detection bound in seconds is stated.");
                return;
            }

            var reached = CeilDiv(budget * npu, two);
            var clampHold = loadMax * npu / two;
            var tau = CeilDiv((threshold * two * npu * tick) + (step * (npu - 1) * tick) + ((two - 1) * npu * tick), rate);
            if (reached + tau > clampHold)
            {
                Note($"hold timer on @{r} ({Kind(actuator.Kind)}): the load clamp is reached before the price; no detection bound in seconds is stated.");
                return;
            }

            var ticks = (tau / tick) + 1;
            var seconds = (double)(tau + tick) / 1e9;
            var t = CoqText.Z(threshold);
            static string z(BigInteger value) => CoqText.Z(value);
            var witnessExcess = ((reached + tau) * two / npu) - budget;
            var budgetText = Q(ConstantBudget(resource) ?? (double)fixedPoint.BudgetFixed / (double)two, resource);
            var outcome = actuator.Kind switch
            {
                ActuatorKind.Kill => "is killed in the kernel",
                ActuatorKind.Throttle => "raises its throttle event",
                ActuatorKind.Freeze => "is frozen",
                _ => "has its price reach the threshold",
            };
            Theorem(
                Id("kernel_hold_detects", kind, r),
                "detection",
                $"Detection in time (the kernel's hold timer, period {D((double)tick / 1e9)} s): a {string.Join(" and ", resource.IndexSets)} that holds a span of ${SpanVariable(fixedPoint)} open and never closes it {outcome} (its price reaches {D(actuator.Threshold)} = {threshold} / 2^{fixedPoint.ScaleBits}) "
                + $"at the first timer tick at least {D((double)tau / 1e9)} s after its hold passes the {budgetText} budget, so within {D(seconds)} s of that moment when each tick comes at most {D((double)tick / 1e9)} s after the one before (the timer's period; a late tick adds its lateness), "
                + $"from any starting price, provided nothing else lowers that price meanwhile (another close of a shorter span does) and the hold stays below the load clamp ({D((double)clampHold / 1e9)} s). "
                + $"Each tick charges the hold beyond the budget that no tick has charged yet with the kernel's update (at most one unit of 2^-{fixedPoint.ScaleBits} lost to the floor per tick); ticks are at least {D((double)tick / 1e9)} s apart, so at most {ticks} tick{(ticks == 1 ? "" : "s")} charge in that time.",
                $"forall ex p0 n h, (0 <= p0 <= fx_price_max {kernel})%Z -> ex O = 0%Z ->\n"
                + $"  (forall k, (k < n)%nat -> (ex k <= ex (S k))%Z) ->\n"
                + $"  (forall k, (k <= n)%nat -> (0 <= ex k <= {z(loadMax - budget)})%Z) ->\n"
                + $"  ex n = (Z.min (h * {z(two)} / {z(npu)}) {z(loadMax)} - {z(budget)})%Z ->\n"
                + $"  (Z.of_nat n * {z(tick)} <= h - {z(reached)} + {z(tick)})%Z ->\n"
                + $"  ({z(reached)} + {z(tau)} <= h <= {z(clampHold)})%Z ->\n"
                + $"  ({t} <= timer_price {kernel} ex p0 n)%Z",
                $"intros ex p0 n h Hp0 H0 Hm Hr Hn Ht Hh.\n"
                + $"  apply timer_detection.\n"
                + $"  - unfold fx_wf, {kernel}; cbn [fx_bits fx_step fx_budget fx_load_max fx_price_max]; lia.\n"
                + $"  - exact Hp0.\n"
                + $"  - unfold {kernel}; cbn [fx_price_max]; lia.\n"
                + $"  - exact H0.\n"
                + $"  - exact Hm.\n"
                + $"  - intros k Hk; destruct (Hr k Hk); unfold {kernel}; cbn [fx_budget fx_load_max]; lia.\n"
                + $"  - unfold {kernel}; cbn [fx_bits fx_step]; change (2 ^ {fixedPoint.ScaleBits})%Z with {z(two)}; rewrite Hn.\n"
                + $"    assert (Hq := Z.div_mod (h * {z(two)}) {z(npu)} ltac:(lia)).\n"
                + $"    assert (Hq' := Z.mod_pos_bound (h * {z(two)}) {z(npu)} ltac:(lia)).\n"
                + $"    set (q := (h * {z(two)} / {z(npu)})%Z) in *. set (m := ((h * {z(two)}) mod {z(npu)})%Z) in *.\n"
                + $"    assert (q <= {z(loadMax)})%Z by lia. rewrite Z.min_l by lia. clear Hm Hr Hn H0 Hp0. lia.",
                new CoqUpdateBound("hold", r, actuator.Threshold, 0, ToLong(ticks), true, seconds),
                At($"one tick {D((double)tau / 1e9)} s after the hold passed the budget (h = {reached + tau} ns of hold), the excess it claims, p0 = 0",
                    new[] { $"fun k : nat => Z.min (Z.of_nat k * {z(witnessExcess)}) {z(witnessExcess)}", "0%Z", "1%nat", z(reached + tau) }));
        }

        /// <summary>
        /// For a resource priced from spans: an update is one close, so a bound in updates says
        /// nothing about a span held open (the hold timer's theorems speak of seconds).
        /// </summary>
        private string UpdatesAreSamples(string resource)
        {
            var fixedPoint = _spec.FixedPoint;
            if (fixedPoint is null || fixedPoint.Resource != resource || !HasHoldTimer(fixedPoint))
            {
                return string.Empty;
            }

            var v = SpanVariable(fixedPoint);
            return $" An update here is one sample of ${v}, taken when a span closes: this bound counts closes, each of a span held at least that long; a span held open and never closed is covered, in seconds, by the hold-timer theorem (kernel_hold_detects_...).";
        }

        /// <summary>The sensed variable whose spans the kernel prices.</summary>
        private string SpanVariable(FixedPointSpec fixedPoint)
        {
            var coupling = _spec.Couplings.First(c => c.Resource == fixedPoint.Resource);
            return coupling.Terms.Select(t => t.Variable).First(v => _spec.Sensors.Any(s => s.Variable == v && s.Kind == SensorKind.Span));
        }

        private static BigInteger CeilDiv(BigInteger a, BigInteger b) => CoqRational.Of(a, b).Ceiling();

        private static long ToLong(BigInteger value)
            => value > long.MaxValue ? long.MaxValue : value < long.MinValue ? long.MinValue : (long)value;
    }
}
