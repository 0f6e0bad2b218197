using System.Linq;
using Sigil.Language.Model;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Analysis;

internal sealed partial class FibreAnalyzer
{
    // A cluster resource is priced by one updater over the nodes' desired loads while each node
    // solves its own rows (docs/cluster.md). That decomposition needs: dual decomposition or the
    // sharing form of ADMM (rho u is the price), one
    // unindexed cluster resource (the updater's exact line search is one-dimensional), an
    // inequality row, and coefficients >= 0 (a node's cap on its share must bound its load).
    private void CheckCluster()
    {
        var clusters = _spec.Resources.Where(static r => r.IsCluster).ToList();
        foreach (var resource in clusters)
        {
            var symbol = _bound.Resources.First(r => r.Name == resource.Name);
            var row = _bound.Rows.FirstOrDefault(r => r.Value.Resource == resource.Name);
            string? reason = null;
            if (_spec.Solver.Method is not (SolverMethod.Dual or SolverMethod.Admm))
            {
                reason = $"the cluster price needs 'solve dual' or 'solve admm', not '{_spec.Solver.Method.ToString().ToLowerInvariant()}'";
            }
            else if (clusters.Count > 1)
            {
                reason = $"a fibre has at most one cluster resource; it also declares {string.Join(", ", clusters.Where(c => c != resource).Select(static c => "'@" + c.Name + "'"))}";
            }
            else if (resource.IndexSets.Count > 0)
            {
                reason = "a cluster resource is one budget: it takes no index sets";
            }
            else if (row is { Value.Sense: RowSense.Equal })
            {
                reason = "its row is an equality; a node's share caps its load from above only";
            }
            else if (row is not null && HasNegativeCoefficient(row.Value))
            {
                reason = "a load term has a negative coefficient; every node must load the budget, never free it";
            }

            if (reason is not null)
            {
                _diagnostics.ReportNotDecomposable(symbol.Span, resource.Name, reason);
            }
        }
    }

    private bool HasNegativeCoefficient(CouplingSpec row)
    {
        var negative = false;
        foreach (var term in row.Terms)
        {
            var members = new System.Collections.Generic.Dictionary<string, int>(System.StringComparer.Ordinal);
            ForEachMember(term.Sums.ToList(), members, () => negative |= _evaluator.Evaluate(term.Coefficient, members) < 0, _bound.Rows.First(r => r.Value == row).Span, "row '" + row.Name + "'", term);
        }

        return negative;
    }

    // Nodes whose copies of a row's terms load it: the declared node count for a cluster resource.
    private int NodesOf(string? resource) =>
        resource is null ? 1 : _spec.Resources.FirstOrDefault(r => r.Name == resource) is { IsCluster: true } r ? r.ClusterNodes : 1;
}
