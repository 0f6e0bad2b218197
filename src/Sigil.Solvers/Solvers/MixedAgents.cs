using System;
using System.Runtime.CompilerServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// Agents of different utility families in one problem: agent <c>s</c> has family
/// <c>kind[s]</c>, weight <c>w[s]</c>, offset <c>eps[s]</c> (log, alpha-fair; else ignored),
/// shape <c>shape[s]</c> (alpha for alpha-fair, k for quadratic; else ignored) and bounds.
/// </summary>
/// <remarks>
/// Each step switches on the agent's family; when agents are grouped by family the branch is
/// predictable. Keeps references to the parameter arrays. Domain rules are those of the
/// per-family structs.
/// </remarks>
public readonly struct MixedAgents : ITunableAgents
{
    private readonly UtilityKind[] _kind;
    private readonly double[] _w;
    private readonly double[] _eps;
    private readonly double[] _shape;
    private readonly double[] _lo;
    private readonly double[] _hi;

    /// <summary>Creates the agents over the given parameter arrays (all of one length).</summary>
    /// <exception cref="ArgumentException">Lengths differ or a parameter is out of its family's domain.</exception>
    public MixedAgents(UtilityKind[] kind, double[] weight, double[] offset, double[] shape, double[] lower, double[] upper)
    {
        ArgumentNullException.ThrowIfNull(kind);
        AgentChecks.SameLength(weight, offset, shape, lower, upper);
        if (kind.Length != weight.Length)
        {
            throw new ArgumentException($"Agent parameter arrays differ in length ({kind.Length} and {weight.Length}).");
        }

        for (int s = 0; s < weight.Length; s++)
        {
            switch (kind[s])
            {
                case UtilityKind.Log:
                    AgentChecks.Positive(weight[s], s, "weight");
                    AgentChecks.Finite(offset[s], s, "eps");
                    AgentChecks.Bounds(lower[s], upper[s], s);
                    if (!(lower[s] + offset[s] > 0))
                    {
                        throw new ArgumentException($"Agent {s}: log utility needs lower + eps > 0.");
                    }

                    break;
                case UtilityKind.AlphaFair:
                    AgentChecks.Positive(weight[s], s, "weight");
                    AgentChecks.Positive(shape[s], s, "alpha");
                    AgentChecks.Finite(offset[s], s, "eps");
                    AgentChecks.Bounds(lower[s], upper[s], s);
                    if (shape[s] == 1 || !(lower[s] + offset[s] > 0))
                    {
                        throw new ArgumentException($"Agent {s}: alpha-fair utility needs alpha != 1 and lower + eps > 0.");
                    }

                    break;
                case UtilityKind.Quadratic:
                    AgentChecks.Finite(weight[s], s, "weight");
                    AgentChecks.Positive(shape[s], s, "curvature k");
                    AgentChecks.Bounds(lower[s], upper[s], s, finiteUpper: false, finiteLower: false);
                    break;
                case UtilityKind.Linear:
                    AgentChecks.Finite(weight[s], s, "weight");
                    AgentChecks.Bounds(lower[s], upper[s], s, finiteLower: false);
                    break;
                default:
                    throw new ArgumentException($"Agent {s}: unknown utility kind {(int)kind[s]}.");
            }
        }

        _kind = kind;
        _w = weight;
        _eps = offset;
        _shape = shape;
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

    /// <summary>The family of agent <paramref name="s"/>.</summary>
    public UtilityKind Kind(int s) => _kind[s];

    /// <inheritdoc/>
    public double Lower(int s) => _lo[s];

    /// <inheritdoc/>
    public double Upper(int s) => _hi[s];

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q) => Argmax(s, q, out _);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Argmax(int s, double q, out double sensitivity) => _kind[s] switch
    {
        UtilityKind.Log => UtilityMath.LogArgmax(_w[s], _eps[s], _lo[s], _hi[s], q, out sensitivity),
        UtilityKind.AlphaFair => UtilityMath.AlphaArgmax(_w[s], _eps[s], _shape[s], _lo[s], _hi[s], q, out sensitivity),
        UtilityKind.Quadratic => UtilityMath.QuadraticArgmax(_w[s], _shape[s], _lo[s], _hi[s], q, out sensitivity),
        _ => UtilityMath.LinearArgmax(_w[s], _lo[s], _hi[s], q, out sensitivity),
    };

    /// <inheritdoc/>
    public double Utility(int s, double x) => _kind[s] switch
    {
        UtilityKind.Log => _w[s] * Math.Log(x + _eps[s]),
        UtilityKind.AlphaFair => UtilityMath.AlphaUtility(_w[s], _eps[s], _shape[s], x),
        UtilityKind.Quadratic => (_w[s] - 0.5 * _shape[s] * x) * x,
        _ => _w[s] * x,
    };

    /// <inheritdoc/>
    public double Marginal(int s, double x) => _kind[s] switch
    {
        UtilityKind.Log => _w[s] / (x + _eps[s]),
        UtilityKind.AlphaFair => UtilityMath.AlphaMarginal(_w[s], _eps[s], _shape[s], x),
        UtilityKind.Quadratic => _w[s] - _shape[s] * x,
        _ => _w[s],
    };

    /// <inheritdoc/>
    public double Prox(int s, double v, double t) => _kind[s] switch
    {
        UtilityKind.Log => UtilityMath.LogProx(_w[s], _eps[s], _lo[s], _hi[s], v, t),
        UtilityKind.AlphaFair => UtilityMath.AlphaProx(_w[s], _eps[s], _shape[s], _lo[s], _hi[s], v, t),
        UtilityKind.Quadratic => UtilityMath.QuadraticProx(_w[s], _shape[s], _lo[s], _hi[s], v, t),
        _ => UtilityMath.LinearProx(_w[s], _lo[s], _hi[s], v, t),
    };
}
