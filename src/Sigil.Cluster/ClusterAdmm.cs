using System;
using System.Collections.Generic;
using System.Linq;

namespace Sigil.Cluster;

/// <summary>
/// The cluster row solved by the sharing form of consensus ADMM (Boyd et al., "Distributed
/// Optimization and Statistical Learning via ADMM", section 7.3) when the fibre says
/// <c>solve admm { rho = ...; }</c>: maximise sum_i U_i(x_i) subject to sum_i x_i &lt;= B, where x_i
/// is node i's cluster load. One iteration:
/// <list type="bullet">
/// <item>each node: x_i' = argmax U_i(x) - rho/2 (x - x_i + Offset)^2 over its own rows
/// (<see cref="Prox"/>), with Offset = xbar - zbar + u from the record;</item>
/// <item>the updater, once every live node answered: xbar' = mean of the x_i',
/// zbar' = min(B/N, u + xbar') (the projection onto the row), u' = u + xbar' - zbar'
/// (&gt;= 0, the inequality's projected scaled dual) (<see cref="Step"/>).</item>
/// </list>
/// The price written in the record is rho u', in the row's price per unit like the dual's.
/// Unlike the dual search, ADMM needs no strictly concave utility to converge; its rate depends on rho.
/// </summary>
/// <remarks>Hand-written: no package served here runs ADMM over an external store's rounds.</remarks>
public static class ClusterAdmm
{
    /// <summary>Relative tolerance of the primal and dual residuals at which the iterate is taken as converged.</summary>
    public const double Tolerance = 1e-3;

    /// <summary>The iterate before the first x-update.</summary>
    public static AdmmState Start { get; } = new(0, 0, 0, 0, double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>
    /// The updater's half of an iteration: null while some live node (stragglers of more than
    /// <see cref="ClusterPriceUpdate.StragglerRounds"/> rounds aside) has not answered
    /// <paramref name="state"/>'s iteration; else the next iterate. A node that died is no longer
    /// among <paramref name="live"/> once its lease expired, so it drops out of the average.
    /// </summary>
    /// <param name="state">The current iterate.</param>
    /// <param name="live">The live nodes' load keys.</param>
    /// <param name="available">The budget the live nodes share (B less what missing nodes hold).</param>
    /// <param name="round">The round being written (for stragglers).</param>
    public static AdmmState? Step(AdmmState state, IReadOnlyCollection<LoadRecord> live, double available, long round)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(live);
        var answered = live.Where(l => l.Iteration == state.Iteration).ToList();
        if (answered.Count == 0 || live.Any(l => l.Iteration != state.Iteration && round - l.Round <= ClusterPriceUpdate.StragglerRounds))
        {
            return null;
        }

        var n = answered.Count;
        var xbar = answered.Average(l => l.Load);
        var zbarBefore = state.Average - state.Offset + state.U;
        var zbar = Math.Min(available / n, state.U + xbar);
        var u = Math.Max(0, state.U + xbar - zbar);
        var change = state.Iteration == 0 ? double.PositiveInfinity : n * Math.Abs(zbar - zbarBefore);
        return new AdmmState(state.Iteration + 1, u, xbar - zbar + u, xbar, n * Math.Abs(xbar - zbar), change);
    }

    /// <summary>True when both residuals (in load) are within <see cref="Tolerance"/> of the budget the live nodes share.</summary>
    public static bool Converged(AdmmState state, double available)
    {
        ArgumentNullException.ThrowIfNull(state);
        var scale = Tolerance * Math.Max(available, 1e-9);
        return state.Residual <= scale && state.Change <= scale;
    }

    /// <summary>
    /// A node's x-update: the price p &gt;= 0 at which its desired cluster load d(p) solves
    /// p = rho (d(p) - centre) (the stationarity of U(x) - rho/2 (x - centre)^2 over its own rows;
    /// p = 0 when d(0) &lt;= centre). g(p) = p - rho (d(p) - centre) rises with p because d does
    /// not, so bisection finds it. Where d jumps at p (a linear job at its threshold price: bang-bang
    /// at a price, no root of g), the load is the clipped closed form
    /// x' = clamp(centre + p / rho, d(p+), d(p-)): the prox term picks the point of the jump nearest
    /// to its centre. Solve the node at <see cref="AdmmAnswer.Price"/> with the cap
    /// <see cref="AdmmAnswer.Load"/> for the allocation (<see cref="NodeProblem.Solve"/> fills a jump exactly).
    /// </summary>
    public static AdmmAnswer Prox(NodeProblem problem, double rho, double centre)
    {
        ArgumentNullException.ThrowIfNull(problem);
        double D(double p) => problem.Solve(p).ClusterLoad;
        double G(double p) => p - (rho * (D(p) - centre));
        var atZero = D(0);
        var hi = rho * (atZero - centre);
        if (!(hi > 0))
        {
            return new AdmmAnswer(0, atZero);
        }

        double lo = 0;
        for (var i = 0; i < 100 && hi - lo > 1e-12 * hi; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (G(mid) < 0)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        var price = 0.5 * (lo + hi);
        return new AdmmAnswer(lo, Math.Clamp(centre + (price / rho), D(hi), D(lo)));
    }
}

/// <summary>A node's answer to one ADMM iteration.</summary>
/// <param name="Price">The node's price p (the lower end of the bracket, where its desired load is at least <paramref name="Load"/>).</param>
/// <param name="Load">Its cluster load x_i'.</param>
public readonly record struct AdmmAnswer(double Price, double Load);
