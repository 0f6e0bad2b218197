using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

/// <summary>
/// A fibre's coupling <c>A x (&lt;= | ==) c</c> over the box of its variables' bounds, expanded
/// member by member the way the row analysis (<c>FibreAnalyzer.Rows.cs</c>) reads it: the same
/// <see cref="ValueEvaluator"/> and <see cref="MemberEnumerator"/>, a dynamic index set as one
/// representative member, a sum over a dynamic set counting its capacity, a cluster row its
/// node count. The Coq backend states the fibre's feasibility over it.
/// </summary>
/// <remarks>
/// Columns are variable members in the order the rows first read them. A term is
/// <c>(count, coefficient, column)</c>: <c>count</c> members at that coefficient on that column.
/// </remarks>
internal sealed class RowInstance
{
    private RowInstance(IReadOnlyList<InstanceColumn> columns, IReadOnlyList<InstanceRow> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The variable members the rows read, with their bounds.</summary>
    public IReadOnlyList<InstanceColumn> Columns { get; }

    /// <summary>One row per static member of each coupling's quantifiers.</summary>
    public IReadOnlyList<InstanceRow> Rows { get; }

    /// <summary>The instance, or null when it has more than <paramref name="maxTerms"/> terms or a value that is not a number.</summary>
    public static RowInstance? Build(FibreSpec spec, int maxTerms)
    {
        var evaluator = new ValueEvaluator(spec.Tables);
        var sets = spec.Indices.ToDictionary(static i => i.Name, StringComparer.Ordinal);
        var variables = spec.Variables.ToDictionary(static v => v.Name, StringComparer.Ordinal);
        var columns = new List<InstanceColumn>();
        var columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<InstanceRow>();
        var terms = 0;
        long budget = FibreAnalyzer.VisitBudget;
        var ok = true;
        foreach (var row in spec.Couplings)
        {
            var nodes = row.Resource is null ? 1 : spec.Resources.FirstOrDefault(r => r.Name == row.Resource) is { IsCluster: true } r ? r.ClusterNodes : 1;
            var members = new Dictionary<string, int>(StringComparer.Ordinal);
            ok &= MemberEnumerator.ForEach(row.Quantifiers, sets, members, ref budget, () =>
            {
                var rowTerms = new List<InstanceTerm>();
                foreach (var term in row.Terms)
                {
                    var variable = variables[term.Variable];
                    ok &= MemberEnumerator.ForEach(term.Sums, sets, members, ref budget, () =>
                    {
                        var coefficient = evaluator.Evaluate(term.Coefficient, members);
                        if (coefficient == 0)
                        {
                            // An absent table entry: no entry of A.
                            return;
                        }

                        var variableMembers = new Dictionary<string, int>(members, StringComparer.Ordinal);
                        var positions = new int[term.Subscript.Count];
                        for (var i = 0; i < positions.Length; i++)
                        {
                            positions[i] = members.TryGetValue(term.Subscript[i], out var p) ? p : -1;
                            variableMembers[variable.IndexVariables[i]] = positions[i];
                        }

                        var name = Name("$" + variable.Name, variable.IndexSets, positions, sets);
                        if (!columnIndex.TryGetValue(name, out var column))
                        {
                            column = columns.Count;
                            columnIndex[name] = column;
                            columns.Add(new InstanceColumn(name, evaluator.Evaluate(variable.Lower, variableMembers), evaluator.Evaluate(variable.Upper, variableMembers)));
                        }

                        var count = term.Sums.Where(s => sets[s.Set].Kind == IndexKind.Dynamic).Aggregate(1.0, (c, s) => c * sets[s.Set].Capacity) * nodes;
                        rowTerms.Add(new InstanceTerm(count, coefficient, column));
                        terms++;
                    });
                }

                var quantifiers = row.Quantifiers.ToList();
                var rowName = Name(row.Resource is null ? row.Name : "@" + row.Resource, quantifiers.Select(q => q.Set).ToList(), quantifiers.Select(q => members[q.Variable]).ToArray(), sets);
                rows.Add(new InstanceRow(rowName, row.Resource, rowTerms, row.Sense, evaluator.Evaluate(row.Rhs, members), row.Statement));
            });

            if (!ok || terms > maxTerms)
            {
                return null;
            }
        }

        var numbers = columns.SelectMany(static c => new[] { c.Lower, c.Upper }).Concat(rows.Select(static r => r.Rhs)).Concat(rows.SelectMany(static r => r.Terms.Select(static t => t.Coefficient)));
        return numbers.Any(double.IsNaN) ? null : new RowInstance(columns, rows);
    }

    /// <summary>
    /// The point at which every row has its least load over the box, when the signs alone give
    /// one: with no equality row and each column's coefficients of one sign, each column sits at
    /// its lower bound (coefficients &gt;= 0, or none) or its upper bound (coefficients &lt; 0).
    /// Each row's least load is then reached at this one point, so it meets every row exactly
    /// when some point of the box does: the rows are feasible exactly when it is a feasible point.
    /// Null, with <paramref name="reason"/>, when there is no such point or it has an infinite value.
    /// </summary>
    public double[]? LeastLoadPoint(out string reason)
    {
        if (Rows.FirstOrDefault(static r => r.Sense == RowSense.Equal) is { } equality)
        {
            reason = $"the row {equality.Name} is an equality, so no point of least load meets it in general";
            return null;
        }

        var point = new double[Columns.Count];
        for (var j = 0; j < Columns.Count; j++)
        {
            var coefficients = Rows.SelectMany(r => r.Terms).Where(t => t.Column == j).Select(static t => t.Coefficient).ToList();
            var negative = coefficients.Count > 0 && coefficients.All(static a => a < 0);
            if (!negative && coefficients.Any(static a => a < 0))
            {
                reason = $"the column {Columns[j].Name} has coefficients of both signs, so no one point gives every row its least load";
                return null;
            }

            point[j] = negative ? Columns[j].Upper : Columns[j].Lower;
            if (double.IsInfinity(point[j]))
            {
                reason = $"the column {Columns[j].Name} would sit at its infinite {(negative ? "upper" : "lower")} bound";
                return null;
            }
        }

        reason = string.Empty;
        return point;
    }

    // $flux[pfkA_overexpression]; a dynamic set's representative member by the set's name: $hold[task].
    private static string Name(string head, IReadOnlyList<string> indexSets, IReadOnlyList<int> positions, IReadOnlyDictionary<string, IndexSpec> sets)
    {
        if (indexSets.Count == 0)
        {
            return head;
        }

        var parts = new string[indexSets.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var set = sets[indexSets[i]];
            parts[i] = positions[i] < 0 || positions[i] >= set.Members.Count ? set.Name : set.Members[positions[i]];
        }

        return head + "[" + string.Join(", ", parts) + "]";
    }
}

/// <summary>A variable member of a <see cref="RowInstance"/> and its bounds (possibly infinite).</summary>
internal sealed record InstanceColumn(string Name, double Lower, double Upper);

/// <summary><c>Count</c> members at <c>Coefficient</c> on column <c>Column</c>.</summary>
internal sealed record InstanceTerm(double Count, double Coefficient, int Column);

/// <summary>One row <c>sum terms (&lt;= | ==) Rhs</c>.</summary>
internal sealed record InstanceRow(string Name, string? Resource, IReadOnlyList<InstanceTerm> Terms, RowSense Sense, double Rhs, string Statement);
