using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Quadratic utilities <c>U_s(x) = w_s x - (k_s / 2) x^2</c> on <c>[lo_s, hi_s]</c>.
/// Agent step <c>x = (w - q) / k</c>, clamped.
/// </summary>
/// <remarks>Keeps references to the parameter arrays. Requires <c>k &gt; 0</c>; <c>hi</c> may be +infinity, and <c>lo</c> -infinity for <see cref="QpSolver{TAgents}"/> (the other engines refuse it).</remarks>
public readonly struct QuadraticAgents : IAgentStep
{
    private readonly double[] _w;
    private readonly double[] _k;
    private readonly double[] _lo;
    private readonly double[] _hi;

    /// <summary>Creates the agents over the given parameter arrays (all of one length).</summary>
    /// <exception cref="ArgumentException">Lengths differ or a parameter is out of its domain.</exception>
    public QuadraticAgents(double[] weight, double[] curvature, double[] lower, double[] upper)
    {
        AgentChecks.SameLength(weight, curvature, lower, upper);
        for (int s = 0; s < weight.Length; s++)
        {
            AgentChecks.Finite(weight[s], s, "weight");
            AgentChecks.Positive(curvature[s], s, "curvature k");
            AgentChecks.Bounds(lower[s], upper[s], s, finiteUpper: false, finiteLower: false);
        }

        _w = weight;
        _k = curvature;
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
    public double Argmax(int s, double q) => UtilityMath.QuadraticArgmax(_w[s], _k[s], _lo[s], _hi[s], q, out _);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q, out double sensitivity) =>
        UtilityMath.QuadraticArgmax(_w[s], _k[s], _lo[s], _hi[s], q, out sensitivity);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Utility(int s, double x) => (_w[s] - 0.5 * _k[s] * x) * x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Marginal(int s, double x) => _w[s] - _k[s] * x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Prox(int s, double v, double t) => UtilityMath.QuadraticProx(_w[s], _k[s], _lo[s], _hi[s], v, t);
}
