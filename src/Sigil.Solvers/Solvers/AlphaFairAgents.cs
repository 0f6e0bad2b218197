using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Alpha-fair utilities <c>U_s(x) = w_s (x + eps_s)^(1 - a_s) / (1 - a_s)</c> on <c>[lo_s, hi_s]</c>.
/// Agent step <c>x = (w / q)^(1/a) - eps</c>, clamped. The proximal step has no closed form and
/// is solved by safeguarded Newton iterations.
/// </summary>
/// <remarks>
/// Keeps references to the parameter arrays. Requires <c>w &gt; 0</c>, <c>a &gt; 0</c>, <c>a != 1</c>
/// (use <see cref="LogAgents"/> for <c>a = 1</c>), <c>lo + eps &gt; 0</c>, <c>hi</c> finite.
/// </remarks>
public readonly struct AlphaFairAgents : IAgentStep
{
    private readonly double[] _w;
    private readonly double[] _eps;
    private readonly double[] _a;
    private readonly double[] _lo;
    private readonly double[] _hi;

    /// <summary>Creates the agents over the given parameter arrays (all of one length).</summary>
    /// <exception cref="ArgumentException">Lengths differ or a parameter is out of its domain.</exception>
    public AlphaFairAgents(double[] weight, double[] offset, double[] alpha, double[] lower, double[] upper)
    {
        AgentChecks.SameLength(weight, offset, alpha, lower, upper);
        for (int s = 0; s < weight.Length; s++)
        {
            AgentChecks.Positive(weight[s], s, "weight");
            AgentChecks.Positive(alpha[s], s, "alpha");
            AgentChecks.Finite(offset[s], s, "eps");
            AgentChecks.Bounds(lower[s], upper[s], s);
            if (alpha[s] == 1)
            {
                throw new ArgumentException($"Agent {s}: alpha = 1 is the log utility; use LogAgents.");
            }

            if (!(lower[s] + offset[s] > 0))
            {
                throw new ArgumentException($"Agent {s}: alpha-fair utility needs lower + eps > 0.");
            }
        }

        _w = weight;
        _eps = offset;
        _a = alpha;
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
    public double Argmax(int s, double q) => UtilityMath.AlphaArgmax(_w[s], _eps[s], _a[s], _lo[s], _hi[s], q, out _);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q, out double sensitivity) =>
        UtilityMath.AlphaArgmax(_w[s], _eps[s], _a[s], _lo[s], _hi[s], q, out sensitivity);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Utility(int s, double x) => UtilityMath.AlphaUtility(_w[s], _eps[s], _a[s], x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Marginal(int s, double x) => UtilityMath.AlphaMarginal(_w[s], _eps[s], _a[s], x);

    /// <inheritdoc/>
    public double Prox(int s, double v, double t) => UtilityMath.AlphaProx(_w[s], _eps[s], _a[s], _lo[s], _hi[s], v, t);
}
