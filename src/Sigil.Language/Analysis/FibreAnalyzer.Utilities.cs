using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

internal sealed partial class FibreAnalyzer
{
    // The concavity check. Per member of the variable (static sets by row, dynamic sets by one
    // representative), evaluate the family's parameters and the variable's bounds:
    //   log:        w > 0, x + eps > 0;        -U'' = w / (x + eps)^2
    //   alpha-fair: w > 0, a > 0, x + eps > 0; -U'' = a w (x + eps)^(-a-1)
    //   quadratic:  k > 0;                     -U'' = k
    //   linear:     any w;                     -U'' = 0
    // -U'' is monotone in x for every family, so its extremes over [m, M] sit at the bounds.
    private List<UtilityAnalysisSpec> AnalyzeUtilities()
    {
        var results = new List<UtilityAnalysisSpec>();
        foreach (var bound in _bound.Utilities)
        {
            var utility = bound.Value;
            var variable = _variables[utility.Variable];
            var bindings = variable.IndexSets.Select((s, i) => new IndexBinding(variable.IndexVariables[i], s)).ToList();
            var members = new Dictionary<string, int>(StringComparer.Ordinal);
            double min = double.PositiveInfinity, max = 0;
            string? problem = null;
            string? domain = null;
            ForEachMember(bindings, members, () =>
            {
                if (problem is not null || domain is not null)
                {
                    return;
                }

                // The utility names its index variables; bind them to the same members.
                for (var i = 0; i < utility.IndexVariables.Count && i < variable.IndexVariables.Count; i++)
                {
                    members[utility.IndexVariables[i]] = members[variable.IndexVariables[i]];
                }

                var where = MemberText(bindings, members);
                var w = _evaluator.Evaluate(utility.Weight, members);
                var eps = _evaluator.Evaluate(utility.Offset, members);
                var a = _evaluator.Evaluate(utility.Alpha, members);
                var k = _evaluator.Evaluate(utility.Curvature, members);
                var lower = _evaluator.Evaluate(variable.Lower, members);
                var upper = _evaluator.Evaluate(variable.Upper, members);
                double low, high;
                switch (utility.Family)
                {
                    case UtilityKind.Log:
                        if (!(w > 0))
                        {
                            problem = "log is weighted by " + Format(w) + where + "; a concave increasing log utility has a weight above 0 (-log is convex)";
                            return;
                        }

                        if (!(lower + eps > 0))
                        {
                            domain = Format(lower + eps) + where;
                            return;
                        }

                        low = w / Math.Pow(upper + eps, 2);
                        high = w / Math.Pow(lower + eps, 2);
                        break;
                    case UtilityKind.AlphaFair:
                        if (!(a > 0))
                        {
                            problem = "the power " + Format(1 - a) + " of x + eps" + where + " is above 1, so the utility is convex; fair(x + eps, a) needs a > 0";
                            return;
                        }

                        if (!(w > 0))
                        {
                            problem = "the weight is " + Format(w) + where + "; an alpha-fair utility has a weight above 0";
                            return;
                        }

                        if (!(lower + eps > 0))
                        {
                            domain = Format(lower + eps) + where;
                            return;
                        }

                        low = a * w * Math.Pow(upper + eps, -a - 1);
                        high = a * w * Math.Pow(lower + eps, -a - 1);
                        break;
                    case UtilityKind.Quadratic:
                        if (!(k > 0))
                        {
                            problem = "x**2 has the coefficient " + Format(-k / 2) + where + "; a concave quadratic subtracts k/2 x**2 with k > 0";
                            return;
                        }

                        low = high = k;
                        break;
                    default:
                        if (double.IsNaN(w))
                        {
                            problem = "the weight is not a number" + where;
                            return;
                        }

                        low = high = 0;
                        break;
                }

                min = Math.Min(min, low);
                max = Math.Max(max, high);
            }, bound.Span, "the utility of '$" + utility.Variable + "'");

            if (problem is not null)
            {
                _diagnostics.ReportUtilityNotConcave(bound.Span, utility.Variable, problem);
                _utilitiesFailed = true;
                continue;
            }

            if (domain is not null)
            {
                _diagnostics.ReportUtilityDomain(bound.Span, utility.Variable, domain);
                _utilitiesFailed = true;
                continue;
            }

            if (double.IsPositiveInfinity(min))
            {
                min = 0;
            }

            results.Add(new UtilityAnalysisSpec(utility.Variable, utility.Family, true, min, max));
        }

        return results;
    }
}
