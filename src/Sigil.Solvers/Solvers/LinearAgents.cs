using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Linear utilities <c>U_s(x) = w_s x</c> on <c>[lo_s, hi_s]</c> (<c>hi</c> finite, <c>lo</c> finite or
/// -infinity; only <see cref="QpSolver{TAgents}"/> takes -infinity): a bang-bang agent step
/// (<c>hi</c> when <c>w &gt; q</c>, else <c>lo</c>).
/// </summary>
/// <remarks>
/// Keeps references to the parameter arrays. With only linear agents the problem is a linear
/// program and its dual is not smooth: <see cref="AdmmSolver{TAgents}"/> is the engine for it.
/// The dual engines still run (with the sensitivity proxy <c>(hi - lo) / |w|</c>, see
/// <see cref="IAgentStep.Argmax(int, double, out double)"/>) and report honestly whether they converged.
/// </remarks>
public readonly struct LinearAgents : IAgentStep
{
    private readonly double[] _w;
    private readonly double[] _lo;
    private readonly double[] _hi;

    /// <summary>Creates the agents over the given parameter arrays (all of one length).</summary>
    /// <exception cref="ArgumentException">Lengths differ or a parameter is out of its domain.</exception>
    public LinearAgents(double[] weight, double[] lower, double[] upper)
    {
        AgentChecks.SameLength(weight, lower, upper);
        for (int s = 0; s < weight.Length; s++)
        {
            AgentChecks.Finite(weight[s], s, "weight");
            AgentChecks.Bounds(lower[s], upper[s], s, finiteLower: false);
        }

        _w = weight;
        _lo = lower;
        _hi = upper;
    }

    /// <inheritdoc/>
    public int Count => _w.Length;

    /// <inheritdoc/>
    public double Lower(int s) => _lo[s];

    /// <inheritdoc/>
    public double Upper(int s) => _hi[s];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q) => UtilityMath.LinearArgmax(_w[s], _lo[s], _hi[s], q, out _);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q, out double sensitivity) =>
        UtilityMath.LinearArgmax(_w[s], _lo[s], _hi[s], q, out sensitivity);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Utility(int s, double x) => _w[s] * x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Marginal(int s, double x) => _w[s];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Prox(int s, double v, double t) => UtilityMath.LinearProx(_w[s], _lo[s], _hi[s], v, t);
}
