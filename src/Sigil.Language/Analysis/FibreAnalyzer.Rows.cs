using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

internal sealed partial class FibreAnalyzer
{
    private sealed record RowResults(List<FeasibilitySpec> Feasibility, double NormASquared, double LoadErrorBound);

    // One pass over every row member and every term of it gives:
    //   the least and largest load the bounds allow (feasibility, and G = max |A x - c|),
    //   each row's absolute sum (||A||_inf) and each column's absolute sum (||A||_1).
    // Dynamic index sets are walked once, standing for 'capacity' members: a sum over one adds
    // capacity copies to its row; a quantifier over one the term does not read repeats the
    // column in capacity rows. ||A||_2^2 <= ||A||_1 ||A||_inf, except for a single row of static
    // members, where ||a||_2^2 is computed exactly. A cluster resource's row is loaded by every
    // node's own copy of its terms: its load bounds and row sum count the declared node count N
    // (its columns stay as they are: each node's variables load it once), and its exact norm is N ||a||^2.
    private RowResults AnalyzeRows()
    {
        var feasibility = new List<FeasibilitySpec>();
        var columnSums = new Dictionary<string, double>(StringComparer.Ordinal);
        var maxRowSum = 0.0;
        var loadError = 0.0;
        var rowCount = 0.0;
        var singleRowExact = _spec.Couplings.Count == 1;
        var singleRowEntries = new Dictionary<string, double>(StringComparer.Ordinal);
        var singleRowNodes = 1;

        foreach (var bound in _bound.Rows)
        {
            var row = bound.Value;
            var nodes = NodesOf(row.Resource);
            var quantifiers = row.Quantifiers.ToList();
            rowCount += quantifiers.Aggregate(1.0, (p, q) => p * (_sets[q.Set].Kind == IndexKind.Dynamic ? _sets[q.Set].Capacity : _sets[q.Set].Members.Count));
            var members = new Dictionary<string, int>(StringComparer.Ordinal);
            double worstGap = double.NegativeInfinity, worstLoad = 0, worstBudget = 0, worstHigh = 0;
            string worstWhere = string.Empty;
            var feasible = true;
            var what = "row '" + row.Name + "'";
            ForEachMember(quantifiers, members, () =>
            {
                double low = 0, high = 0, absolute = 0;
                foreach (var term in row.Terms)
                {
                    var variable = _variables[term.Variable];
                    var sums = term.Sums.ToList();
                    var columnMultiplicity = quantifiers.Concat(sums)
                        .Where(b => !term.Subscript.Contains(b.Variable))
                        .Aggregate(1.0, (p, b) => p * MemberEnumerator.Multiplicity(b, _sets));
                    ForEachMember(sums, members, () =>
                    {
                        var coefficient = _evaluator.Evaluate(term.Coefficient, members);
                        if (coefficient == 0)
                        {
                            // An absent table entry: no entry of A (and no 0 * inf from an infinite bound).
                            return;
                        }

                        var variableMembers = new Dictionary<string, int>(members, StringComparer.Ordinal);
                        var key = new System.Text.StringBuilder(term.Variable);
                        for (var i = 0; i < term.Subscript.Count; i++)
                        {
                            var position = members.TryGetValue(term.Subscript[i], out var p) ? p : -1;
                            variableMembers[variable.IndexVariables[i]] = position;
                            key.Append('|').Append(position);
                        }

                        var m = _evaluator.Evaluate(variable.Lower, variableMembers);
                        var mm = _evaluator.Evaluate(variable.Upper, variableMembers);
                        var multiplicity = sums.Where(s => _sets[s.Set].Kind == IndexKind.Dynamic).Aggregate(1.0, (p, s) => p * _sets[s.Set].Capacity);
                        low += multiplicity * Math.Min(coefficient * m, coefficient * mm);
                        high += multiplicity * Math.Max(coefficient * m, coefficient * mm);
                        absolute += multiplicity * Math.Abs(coefficient);
                        var columnKey = key.ToString();
                        columnSums[columnKey] = (columnSums.TryGetValue(columnKey, out var c) ? c : 0) + (Math.Abs(coefficient) * columnMultiplicity);
                        if (singleRowExact)
                        {
                            if (sums.Any(s => _sets[s.Set].Kind == IndexKind.Dynamic) || quantifiers.Count > 0)
                            {
                                singleRowExact = false;
                            }
                            else
                            {
                                singleRowEntries[columnKey] = (singleRowEntries.TryGetValue(columnKey, out var e) ? e : 0) + coefficient;
                                singleRowNodes = nodes;
                            }
                        }
                    }, bound.Span, what, term);
                }

                low *= nodes;
                high *= nodes;
                absolute *= nodes;
                var rhs = _evaluator.Evaluate(row.Rhs, members);
                maxRowSum = Math.Max(maxRowSum, absolute);
                loadError = Math.Max(loadError, Math.Max(Math.Abs(high - rhs), Math.Abs(low - rhs)));
                var tolerance = 1e-9 * Math.Max(1, Math.Abs(rhs));
                var gap = row.Sense == RowSense.Equal ? Math.Max(low - rhs, rhs - high) : low - rhs;
                if (gap > worstGap)
                {
                    worstGap = gap;
                    worstLoad = low;
                    worstHigh = high;
                    worstBudget = rhs;
                    worstWhere = MemberText(quantifiers, members);
                }

                if (!(gap <= tolerance))
                {
                    feasible = false;
                }
            }, bound.Span, what);

            if (_tooLarge)
            {
                break;
            }

            feasibility.Add(new FeasibilitySpec(row.Name, worstLoad, worstBudget, feasible));
            if (!feasible)
            {
                if (row.Sense == RowSense.Equal)
                {
                    _diagnostics.ReportEqualityUnreachable(bound.Span, row.Name, worstWhere, Format(worstLoad), Format(worstHigh), Format(worstBudget));
                }
                else
                {
                    _diagnostics.ReportInfeasible(bound.Span, row.Name, worstWhere, Format(worstLoad), Format(worstBudget));
                }
            }
        }

        double norm;
        if (singleRowExact && rowCount == 1)
        {
            norm = singleRowNodes * singleRowEntries.Values.Sum(static e => e * e);
        }
        else
        {
            var maxColumnSum = columnSums.Count == 0 ? 0 : columnSums.Values.Max();
            norm = maxColumnSum * maxRowSum;
        }

        return new RowResults(feasibility, norm, loadError);
    }
}
