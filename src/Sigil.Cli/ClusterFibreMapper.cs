using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Cluster;
using Sigil.Language.Model;

namespace Sigil.Cli;

/// <summary>A cluster fibre's numbers for one node: the cluster row and the template of a job.</summary>
/// <param name="Settings">The cluster row (budget, node count, dual step, a node's load bound and floor).</param>
/// <param name="JobTemplate">Every job's utility, bounds and coefficients (the agents of the dynamic index).</param>
/// <param name="NodeLimit">The node row's budget (infinite when the fibre has no node row).</param>
/// <param name="MaxJobs">The dynamic index's capacity.</param>
/// <param name="Unit">The cluster resource's unit, for messages.</param>
internal sealed record ClusterFibre(ClusterSettings Settings, ClusterJob JobTemplate, double NodeLimit, int MaxJobs, string Unit);

/// <summary>
/// Maps a compiled fibre with a cluster resource onto the cluster runtime: one dynamic index of
/// jobs (the processes in scope), one variable over it with an alpha-fair or log utility whose
/// numbers are constants, at most one node row and the cluster row, each loading the variable with
/// a constant coefficient. The compiler has already checked that the fibre decomposes (SIG2019).
/// </summary>
internal static class ClusterFibreMapper
{
    public static bool IsCluster(FibreSpec spec) => spec.Resources.Any(static r => r.IsCluster);

    public static ClusterFibre? Map(FibreSpec spec, out IReadOnlyList<string> problems)
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
        var values = new SpecValues(spec.Tables);
        var none = new Dictionary<string, int>(StringComparer.Ordinal);
        if (utility.Family is not (UtilityFamily.AlphaFair or UtilityFamily.Log or UtilityFamily.Linear))
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
        var alpha = utility.Family switch { UtilityFamily.Log => 1, UtilityFamily.Linear => 0, _ => values.Evaluate(utility.Alpha, none) };
        var job = new ClusterJob("job", values.Evaluate(utility.Weight, none), alpha, utility.Family == UtilityFamily.Linear ? 0 : values.Evaluate(utility.Offset, none), lower, upper, a, b);
        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(job.Weight) || !double.IsFinite(alpha))
        {
            errors.Add($"running cluster fibre '{spec.Name}': not available yet: coefficients and utility numbers must be constants");
            return null;
        }

        var capacity = index[0].Capacity;
        var settings = new ClusterSettings
        {
            Fibre = spec.Name,
            Resource = cluster.Name,
            Budget = clusterRow.Rhs.Kind == ValueKind.Constant ? clusterRow.Rhs.Constant : values.Evaluate(clusterRow.Rhs, none),
            MaxNodes = cluster.ClusterNodes,
            Step = spec.Solver.Step,
            AdmmRho = spec.Solver.Method == SolverMethod.Admm ? spec.Solver.Rho : null,
            NodeLoadMax = capacity * a * upper,
            NodeFloor = 0,
        };
        var nodeLimit = nodeRows.Count == 1 ? values.Evaluate(nodeRows[0].Rhs, none) : double.PositiveInfinity;
        return new ClusterFibre(settings, job, nodeLimit, capacity, cluster.Unit.ToString() ?? string.Empty);
    }
}
