using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Cluster;

/// <summary>What a node's local solve chose.</summary>
/// <param name="X">Each job's allocation.</param>
/// <param name="ClusterLoad">sum_j a_j x_j, the node's load on the cluster row.</param>
/// <param name="NodeLoad">sum_j b_j x_j, the load on the node's own row.</param>
/// <param name="NodePrice">The node row's price mu.</param>
/// <param name="CapPrice">The price nu of the cap on the cluster load (the granted share).</param>
/// <param name="Feasible">False when the jobs' lower bounds alone break the node limit or the cap.</param>
public sealed record NodeSolution(double[] X, double ClusterLoad, double NodeLoad, double NodePrice, double CapPrice, bool Feasible);

/// <summary>
/// A node's local problem in the hierarchical decomposition:
/// <c>maximise sum_j U_j(x_j) - lambda sum_j a_j x_j</c> subject to the node's own row
/// <c>sum_j b_j x_j &lt;= limit</c> and, when the node holds a share of the cluster budget,
/// <c>sum_j a_j x_j &lt;= cap</c>, with <c>x_j in [lo_j, hi_j]</c>. <c>lambda</c> is the cluster
/// price read from etcd. The two local prices are found exactly (to round-off) by bisection on
/// each one's monotone load, so the node never iterates against the cluster between rounds.
/// A linear job (<see cref="ClusterJob.Alpha"/> = 0) is bang-bang at a given price: at its own
/// threshold price the row's load jumps, and the allocation that makes a binding row hold exactly
/// is the convex combination of the allocations just below and just above that price (the
/// linear jobs at the threshold share the remainder in proportion to their ranges; any split is
/// optimal because their marginal utilities equal the price there).
/// </summary>
public sealed class NodeProblem
{
    private const int Bisections = 100;
    private readonly ClusterJob[] _jobs;

    /// <summary>The problem of <paramref name="jobs"/> under the node limit <paramref name="nodeLimit"/>.</summary>
    /// <exception cref="ArgumentException">A job's numbers are outside their domain.</exception>
    public NodeProblem(IReadOnlyList<ClusterJob> jobs, double nodeLimit)
        : this(jobs, nodeLimit, 0)
    {
    }

    private NodeProblem(IReadOnlyList<ClusterJob> jobs, double nodeLimit, double clusterBase)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        _jobs = jobs.ToArray();
        foreach (var j in _jobs)
        {
            if (!(j.Weight > 0) || !(j.Alpha >= 0) || !double.IsFinite(j.Alpha) || !double.IsFinite(j.Lower) || !double.IsFinite(j.Upper) || !(j.Lower <= j.Upper) || !(j.Alpha == 0 || j.Lower + j.Offset > 0)
                || !(j.ClusterCoefficient >= 0) || !(j.NodeCoefficient >= 0) || !double.IsFinite(j.ClusterCoefficient) || !double.IsFinite(j.NodeCoefficient))
            {
                throw new ArgumentException($"job '{j.Name}': weight must be positive, alpha >= 0 (0: linear), bounds finite and ordered with lo + eps > 0 unless linear, coefficients finite and >= 0");
            }
        }

        if (!(nodeLimit >= 0) || double.IsNaN(nodeLimit))
        {
            throw new ArgumentException($"node limit {nodeLimit} must be >= 0", nameof(nodeLimit));
        }

        NodeLimit = nodeLimit;
        ClusterBase = double.IsFinite(clusterBase) && clusterBase > 0 ? clusterBase : 0;
        Floor = ClusterBase + _jobs.Sum(j => j.ClusterCoefficient * j.Lower);
        Ceiling = ClusterBase + _jobs.Sum(j => j.ClusterCoefficient * j.Upper);
    }

    /// <summary>
    /// The same problem in sensed units: every cluster coefficient times <paramref name="gain"/> and
    /// <paramref name="offset"/> added to the cluster load whatever the allocation (what the meter
    /// reads beside the jobs), so that its loads, its floor, its slope and its cap are what is sensed.
    /// </summary>
    public NodeProblem WithClusterModel(double gain, double offset) =>
        new(_jobs.Select(j => j with { ClusterCoefficient = j.ClusterCoefficient * gain }).ToArray(), NodeLimit, offset);

    /// <summary>The cluster load that does not depend on the allocation (0 unless made by <see cref="WithClusterModel"/>).</summary>
    public double ClusterBase { get; }

    /// <summary>The cluster load of the allocation <paramref name="x"/>, the base included.</summary>
    public double ClusterLoadOf(IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var sum = ClusterBase;
        for (var s = 0; s < _jobs.Length; s++)
        {
            sum += _jobs[s].ClusterCoefficient * x[s];
        }

        return sum;
    }

    /// <summary>The jobs.</summary>
    public IReadOnlyList<ClusterJob> Jobs => _jobs;

    /// <summary>The node row's budget.</summary>
    public double NodeLimit { get; }

    /// <summary>The least cluster load the lower bounds force: the node's floor.</summary>
    public double Floor { get; }

    /// <summary>The largest cluster load the upper bounds allow.</summary>
    public double Ceiling { get; }

    /// <summary>
    /// Solves against the cluster price <paramref name="clusterPrice"/>, with the cluster load capped
    /// at <paramref name="cap"/> (<see cref="double.PositiveInfinity"/>: no cap, the node's desired load).
    /// </summary>
    public NodeSolution Solve(double clusterPrice, double cap = double.PositiveInfinity)
    {
        var lambda = double.IsFinite(clusterPrice) && clusterPrice > 0 ? clusterPrice : 0;
        var x = new double[_jobs.Length];
        var feasible = _jobs.Sum(j => j.NodeCoefficient * j.Lower) <= NodeLimit * (1 + 1e-12) && Floor <= cap * (1 + 1e-12);

        // nu = 0 first; only when the cap binds is the outer bisection needed.
        var mu = NodePriceFor(lambda, 0, x);
        double nu = 0;
        if (Load(x, cluster: true) > cap)
        {
            var hi = UpperPrice(lambda, cluster: true);
            double lo = 0;
            for (var i = 0; i < Bisections && hi - lo > 1e-15 * Math.Max(1, hi); i++)
            {
                var mid = 0.5 * (lo + hi);
                NodePriceFor(lambda, mid, x);
                if (Load(x, cluster: true) > cap)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            // Between lo (load above the cap) and hi (within it) a linear job may jump: fill the cap
            // exactly with the convex combination of the two allocations (both hold the node row).
            var below = new double[x.Length];
            NodePriceFor(lambda, lo, below);
            nu = hi;
            mu = NodePriceFor(lambda, nu, x);
            Blend(x, below, cap, cluster: true);
        }

        return new NodeSolution(x, Load(x, cluster: true), Load(x, cluster: false), mu, nu, feasible);
    }

    /// <summary>
    /// d(desired cluster load)/d(cluster price) at <paramref name="clusterPrice"/> (&lt;= 0), by a
    /// forward difference: what the node publishes so the updater can scale its price step by
    /// the cluster's summed curvature. <paramref name="desired"/> is the desired load at that price.
    /// </summary>
    public double Slope(double clusterPrice, double desired)
    {
        var lambda = double.IsFinite(clusterPrice) && clusterPrice > 0 ? clusterPrice : 0;
        var h = Math.Max(1e-4 * lambda, 1e-9);
        var slope = (Solve(lambda + h).ClusterLoad - desired) / h;
        return double.IsFinite(slope) ? Math.Min(0, slope) : 0;
    }

    // For fixed lambda and nu, the node price mu that makes the node row hold (0 when it holds at mu = 0);
    // fills x with the allocation at that price.
    private double NodePriceFor(double lambda, double nu, double[] x)
    {
        Allocate(lambda + nu, 0, x);
        if (Load(x, cluster: false) <= NodeLimit)
        {
            return 0;
        }

        double lo = 0, hi = UpperPrice(lambda + nu, cluster: false);
        for (var i = 0; i < Bisections && hi - lo > 1e-15 * Math.Max(1, hi); i++)
        {
            var mid = 0.5 * (lo + hi);
            Allocate(lambda + nu, mid, x);
            if (Load(x, cluster: false) > NodeLimit)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var below = new double[x.Length];
        Allocate(lambda + nu, lo, below);
        Allocate(lambda + nu, hi, x);
        Blend(x, below, NodeLimit, cluster: false);
        return hi;
    }

    // x (its row load within target) moves towards over (above target) until the row holds target
    // exactly: the fill of a linear job's jump at its threshold price (a no-op to round-off otherwise).
    private void Blend(double[] x, double[] over, double target, bool cluster)
    {
        var within = Load(x, cluster);
        var above = Load(over, cluster);
        if (!(above > within) || !(target > within))
        {
            return;
        }

        var t = Math.Min(1, (target - within) / (above - within));
        for (var s = 0; s < x.Length; s++)
        {
            x[s] += t * (over[s] - x[s]);
        }
    }

    // x_j = argmax U_j(x) - (clusterPrice a_j + nodePrice b_j) x: the closed-form agent step of the runtime's solvers.
    private void Allocate(double clusterPrice, double nodePrice, double[] x)
    {
        for (var s = 0; s < _jobs.Length; s++)
        {
            var j = _jobs[s];
            var q = (clusterPrice * j.ClusterCoefficient) + (nodePrice * j.NodeCoefficient);
            x[s] = j.Alpha switch
            {
                0 => UtilityMath.LinearArgmax(j.Weight, j.Lower, j.Upper, q, out _),
                1 => UtilityMath.LogArgmax(j.Weight, j.Offset, j.Lower, j.Upper, q, out _),
                _ => UtilityMath.AlphaArgmax(j.Weight, j.Offset, j.Alpha, j.Lower, j.Upper, q, out _),
            };
        }
    }

    // A price at which every job that loads the row sits at its lower bound (the bisection's upper end).
    private double UpperPrice(double fixedPrice, bool cluster)
    {
        double hi = 1;
        foreach (var j in _jobs)
        {
            var coefficient = cluster ? j.ClusterCoefficient : j.NodeCoefficient;
            if (coefficient > 0)
            {
                // A linear job's marginal utility is its weight (the alpha-fair marginal at a = 0).
                hi = Math.Max(hi, (j.Alpha == 0 ? j.Weight : UtilityMath.AlphaMarginal(j.Weight, j.Offset, j.Alpha, j.Lower)) / coefficient);
            }
        }

        return (2 * hi) + fixedPrice;
    }

    private double Load(double[] x, bool cluster)
    {
        var sum = cluster ? ClusterBase : 0;
        for (var s = 0; s < _jobs.Length; s++)
        {
            sum += (cluster ? _jobs[s].ClusterCoefficient : _jobs[s].NodeCoefficient) * x[s];
        }

        return sum;
    }
}
