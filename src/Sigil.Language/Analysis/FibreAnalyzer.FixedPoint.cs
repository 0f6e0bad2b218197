using System.Linq;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

internal sealed partial class FibreAnalyzer
{
    /// <summary>Binary digits after the point in the kernel's fixed-point numbers.</summary>
    public const int ScaleBits = FixedPointSpec.DefaultScaleBits;

    // The kernel keeps a resource's price when the fibre is solved online by dual decomposition,
    // the price is exported to a map, and a span or count sensor loads the resource's row. The
    // kernel then runs  price <- min(price_max, [price + step (load - budget)]+)  in integers
    // scaled by 2^20, so it needs one constant budget, a single sensed term with coefficient 1,
    // and products that fit 64 bits.
    private FixedPointSpec? PlanFixedPoint(SolverSpec solver)
    {
        if (solver.Method != SolverMethod.Dual || !solver.Online)
        {
            return null;
        }

        var sensed = _spec.Sensors.Where(static s => s.Kind is SensorKind.Span or SensorKind.Count).ToDictionary(static s => s.Variable, StringComparer.Ordinal);
        var exported = _spec.PriceExports.Select(static e => e.Resource).ToList();
        var candidates = _bound.Rows
            .Where(r => r.Value.Resource is { } res && exported.Contains(res) && r.Value.Terms.Any(t => sensed.ContainsKey(t.Variable)))
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        if (candidates.Count > 1)
        {
            _diagnostics.ReportKernelPrices(candidates[1].Span, candidates[0].Value.Resource!, candidates[1].Value.Resource!);
            return null;
        }

        var row = candidates[0].Value;
        var span = candidates[0].Span;
        var resource = row.Resource!;
        var term = row.Terms.First(t => sensed.ContainsKey(t.Variable));
        // A dynamic index set reads no table, so a row of this shape has a constant budget.
        if (row.Terms.Count != 1 || !term.Sums.IsEmpty || !term.Coefficient.IsConstant || term.Coefficient.Constant != 1 || row.Sense != RowSense.LessOrEqual
            || !term.Subscript.SequenceEqual(row.Quantifiers.Select(static q => q.Variable)) || !row.Rhs.IsConstant)
        {
            _diagnostics.ReportKernelRow(span, resource, term.Variable);
            return null;
        }

        var variable = _variables[term.Variable];
        var upper = variable.Upper.IsConstant ? variable.Upper.Constant : double.NaN;
        var thresholds = _spec.Actuators.Where(a => a.Resource == resource).Select(static a => a.Threshold).DefaultIfEmpty(0).Max();
        var priceMax = _bound.Solve!.PriceMax ?? Math.Max(1e6, 4 * thresholds);
        var scale = Math.Pow(2, ScaleBits);
        var solveSpan = _bound.Solve.Span;

        long? Fixed(string what, double value)
        {
            var scaled = Math.Round(value * scale, MidpointRounding.AwayFromZero);
            if (double.IsNaN(scaled) || Math.Abs(scaled) >= 9.2e18)
            {
                _diagnostics.ReportFixedPointOverflow(solveSpan, resource, what + " " + Format(value) + " times 2^" + ScaleBits + " does not fit 64 bits");
                return null;
            }

            return (long)scaled;
        }

        var stepFixed = Fixed("the step", solver.Step);
        var budgetFixed = Fixed("the budget", row.Rhs.Constant);
        var loadMaxFixed = Fixed("the load bound", upper);
        var priceMaxFixed = Fixed("the price bound", priceMax);
        if (stepFixed is null || budgetFixed is null || loadMaxFixed is null || priceMaxFixed is null)
        {
            return null;
        }

        if (stepFixed.Value <= 0)
        {
            _diagnostics.ReportFixedPointOverflow(solveSpan, resource, "the step " + Format(solver.Step) + " rounds to 0 at 2^-" + ScaleBits);
            return null;
        }

        // step * (load - budget) is formed as a 64-bit product before it is scaled back.
        var product = (double)stepFixed.Value * Math.Max(loadMaxFixed.Value, Math.Abs(budgetFixed.Value));
        if (product >= 9.2e18 || priceMaxFixed.Value + (product / scale) >= 9.2e18)
        {
            _diagnostics.ReportFixedPointOverflow(solveSpan, resource, "step * load = " + Format(product) + " in fixed point exceeds 2^63; lower the step or the variable's upper bound");
            return null;
        }

        var sensor = sensed[term.Variable];
        return new FixedPointSpec(resource, ScaleBits, stepFixed.Value, budgetFixed.Value, loadMaxFixed.Value, priceMaxFixed.Value, (long)sensor.NanosecondsPerUnit);
    }
}
