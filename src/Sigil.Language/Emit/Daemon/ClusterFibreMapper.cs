using System.Collections.Generic;
using System.Linq;
using System;
using Sigil.Language.Analysis;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Emit.Daemon;

/// <summary>
/// Maps a compiled fibre with a cluster resource onto the cluster runtime's numbers for one node
/// (<see cref="ClusterDescription"/>): one dynamic index of jobs (the processes in scope), one
/// variable over it with an alpha-fair, log or linear utility whose numbers are constants, at most
/// one node row and the cluster row, each loading the variable with a constant coefficient. The
/// compiler has already checked that the fibre decomposes (SIG2019). The build runs it once and
/// writes <c>daemon/&lt;fibre&gt;.cluster.json</c> (<see cref="DaemonEmitter"/>).
/// </summary>
public static class ClusterFibreMapper
{
    /// <summary>True when <paramref name="spec"/> has a cluster resource.</summary>
    public static bool IsCluster(FibreSpec spec) => spec.Resources.Any(static r => r.IsCluster);

    /// <summary>The node's numbers for cluster fibre <paramref name="spec"/>, or null with the reasons in <paramref name="problems"/>.</summary>
    public static ClusterDescription? Map(FibreSpec spec, out IReadOnlyList<string> problems)
    {
        var errors = new List<string>();
        problems = errors;
        var cluster = spec.Resources.Single(static r => r.IsCluster);
        var index = spec.Indices.Where(static i => i.Kind == IndexKind.Dynamic).ToList();
        var variables = spec.Variables.Where(v => spec.Couplings.Any(c => c.Terms.Any(t => t.Variable == v.Name))).ToList();
        if (index.Count != 1 || variables.Count != 1 || variables[0].IndexSets.Count != 1 || variables[0].IndexSets[0] != index[0].Name)
        {
            errors.Add($"running cluster fibre '{spec.Name}': not available yet: the cluster daemon runs one variable over one dynamic index of jobs ($x[job], index job by pid)");
            return null;
        }

        var variable = variables[0];
        var utility = spec.Utilities.Single(u => u.Variable == variable.Name);
        // A number that is not a constant of the job (it reads a table at the job) evaluates to NaN.
        var values = new ValueEvaluator(spec.Tables);
        var none = new Dictionary<string, int>(StringComparer.Ordinal);
        if (utility.Family is not (UtilityKind.AlphaFair or UtilityKind.Log or UtilityKind.Linear))
        {
            errors.Add($"running cluster fibre '{spec.Name}': not available yet: the node's local solve takes log, alpha-fair or linear utilities; '{utility.Statement}' is {utility.Family}");
            return null;
        }

        double Coefficient(CouplingSpec row)
        {
            var term = row.Terms.Single();
            return term.Variable == variable.Name && term.Sums.Count == 1 ? values.Evaluate(term.Coefficient, none) : double.NaN;
        }

        var clusterRow = spec.Couplings.Single(c => c.Resource == cluster.Name);
        var nodeRows = spec.Couplings.Where(c => c.Resource != cluster.Name).ToList();
        if (nodeRows.Count > 1 || clusterRow.Terms.Count != 1 || nodeRows.Any(r => r.Terms.Count != 1 || r.Quantifiers.Count > 0 || r.Sense != RowSense.LessOrEqual))
        {
            errors.Add($"running cluster fibre '{spec.Name}': not available yet: the cluster daemon runs one node row and the cluster row, each a single sum over the jobs");
            return null;
        }

        var a = Coefficient(clusterRow);
        var b = nodeRows.Count == 1 ? Coefficient(nodeRows[0]) : 0;
        var lower = values.Evaluate(variable.Lower, none);
        var upper = values.Evaluate(variable.Upper, none);
        // Linear is the alpha-fair family at a = 0 (ClusterJob); its offset is unused.
        var alpha = utility.Family switch { UtilityKind.Log => 1, UtilityKind.Linear => 0, _ => values.Evaluate(utility.Alpha, none) };
        var job = new ClusterJobTemplate(values.Evaluate(utility.Weight, none), alpha, utility.Family == UtilityKind.Linear ? 0 : values.Evaluate(utility.Offset, none), lower, upper, a, b);
        var budget = values.Evaluate(clusterRow.Rhs, none);
        var nodeLimit = nodeRows.Count == 1 ? values.Evaluate(nodeRows[0].Rhs, none) : double.PositiveInfinity;
        if (new[] { a, b, job.Weight, alpha, job.Offset, lower, upper, budget }.Any(static v => double.IsNaN(v) || double.IsInfinity(v)) || double.IsNaN(nodeLimit))
        {
            errors.Add($"running cluster fibre '{spec.Name}': not available yet: coefficients, bounds, budgets and utility numbers must be constants");
            return null;
        }

        var capacity = index[0].Capacity;
        return new ClusterDescription(
            spec.Name,
            cluster.Name,
            cluster.Unit.ToString() ?? string.Empty,
            budget,
            cluster.ClusterNodes,
            spec.Solver.Step,
            spec.Solver.Method == SolverMethod.Admm ? spec.Solver.Rho : null,
            capacity * a * upper,
            nodeLimit,
            capacity,
            job);
    }
}
