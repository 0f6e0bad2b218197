using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Weighted log utilities <c>U_s(x) = w_s log(x + eps_s)</c> on <c>[lo_s, hi_s]</c>.
/// Agent step <c>x = w / q - eps</c>, clamped; at <c>q &lt;= 0</c> the step is <c>hi</c>.
/// </summary>
/// <remarks>
/// Keeps references to the parameter arrays (no copy), so a caller may update weights or bounds
/// between solves. Requires <c>w &gt; 0</c>, <c>lo + eps &gt; 0</c>, <c>lo &lt;= hi</c>, <c>hi</c> finite.
/// </remarks>
public readonly struct LogAgents : ITunableAgents
{
    private readonly double[] _w;
    private readonly double[] _eps;
    private readonly double[] _lo;
    private readonly double[] _hi;

    /// <summary>Creates the agents over the given parameter arrays (all of one length).</summary>
    /// <exception cref="ArgumentException">Lengths differ or a parameter is out of its domain.</exception>
    public LogAgents(double[] weight, double[] offset, double[] lower, double[] upper)
    {
        AgentChecks.SameLength(weight, offset, lower, upper);
        for (int s = 0; s < weight.Length; s++)
        {
            AgentChecks.Positive(weight[s], s, "weight");
            AgentChecks.Finite(offset[s], s, "eps");
            AgentChecks.Bounds(lower[s], upper[s], s);
            if (!(lower[s] + offset[s] > 0))
            {
                throw new ArgumentException($"Agent {s}: log utility needs lower + eps > 0 (lower {lower[s]}, eps {offset[s]}).");
            }
        }

        _w = weight;
        _eps = offset;
        _lo = lower;
        _hi = upper;
    }

    /// <inheritdoc/>
    public int Count => _w.Length;

    /// <inheritdoc/>
    public double[] Weight => _w;

    /// <inheritdoc/>
    public double[] Shift => _eps;

    /// <inheritdoc/>
    public double[] LowerBounds => _lo;

    /// <inheritdoc/>
    public double[] UpperBounds => _hi;

    /// <inheritdoc/>
    public UtilityKind Kind(int s) => UtilityKind.Log;

    /// <inheritdoc/>
    public double Lower(int s) => _lo[s];

    /// <inheritdoc/>
    public double Upper(int s) => _hi[s];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q) => UtilityMath.LogArgmax(_w[s], _eps[s], _lo[s], _hi[s], q, out _);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q, out double sensitivity) =>
        UtilityMath.LogArgmax(_w[s], _eps[s], _lo[s], _hi[s], q, out sensitivity);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Utility(int s, double x) => _w[s] * Math.Log(x + _eps[s]);

    /// <summary>
    /// <c>sum_s U_s(x_s)</c> over all agents, eight logarithms at a time where the machine has
    /// 512-bit vectors (the logarithm is the bulk of a storing pass or a primal recovery).
    /// Deterministic; the lanes sum in a different order than a scalar loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double UtilitySum(ReadOnlySpan<double> x)
    {
        int n = Math.Min(x.Length, _w.Length);
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<double>.Count)
        {
            ref double xr = ref MemoryMarshal.GetReference(x);
            ref double wr = ref MemoryMarshal.GetArrayDataReference(_w);
            ref double er = ref MemoryMarshal.GetArrayDataReference(_eps);
            Vector512<double> total = Vector512<double>.Zero;
            for (; i + Vector512<double>.Count <= n; i += Vector512<double>.Count)
            {
                Vector512<double> shifted = Vector512.LoadUnsafe(ref xr, (nuint)i) + Vector512.LoadUnsafe(ref er, (nuint)i);
                total += Vector512.LoadUnsafe(ref wr, (nuint)i) * Vector512.Log(shifted);
            }

            sum = Vector512.Sum(total);
        }

        for (; i < n; i++)
        {
            sum += Utility(i, x[i]);
        }

        return sum;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Marginal(int s, double x) => _w[s] / (x + _eps[s]);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Prox(int s, double v, double t) => UtilityMath.LogProx(_w[s], _eps[s], _lo[s], _hi[s], v, t);
}
