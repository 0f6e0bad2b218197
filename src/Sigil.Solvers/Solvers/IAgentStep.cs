namespace Sigil.Runtime.Solvers;

/// <summary>
/// The agents of a separable concave utility <c>sum_s U_s(x_s)</c> with bounds
/// <c>x_s in [Lower(s), Upper(s)]</c>, exposed through their closed-form steps.
/// </summary>
/// <remarks>
/// The engines are generic over <c>TAgents : struct, IAgentStep</c>, so the JIT compiles one
/// specialised loop per agent type with every call below inlined: no virtual or interface
/// dispatch and no allocation inside an iteration. Generated code either uses one of the
/// ready structs (<see cref="LogAgents"/>, <see cref="AlphaFairAgents"/>,
/// <see cref="QuadraticAgents"/>, <see cref="LinearAgents"/>, <see cref="MixedAgents"/>) or
/// emits its own struct with the fibre's closed form written in. Implementations must be
/// deterministic and must not allocate.
/// </remarks>
public interface IAgentStep
{
    /// <summary>Number of agents (columns of the coupling matrix).</summary>
    int Count { get; }

    /// <summary>Lower bound <c>m_s</c>.</summary>
    double Lower(int s);

    /// <summary>Upper bound <c>M_s</c> (may be +infinity when the utility saturates).</summary>
    double Upper(int s);

    /// <summary>The agent step <c>argmax_{x in [m_s, M_s]} U_s(x) - q x</c> for path price <paramref name="q"/>.</summary>
    double Argmax(int s, double q);

    /// <summary>
    /// The agent step, plus its price sensitivity: <c>1 / (-U_s''(x))</c> at the returned, clamped
    /// <c>x</c> (for log: <c>(x + eps)^2 / w</c>). This is <c>|dx/dq|</c> where the step is interior
    /// and its value at the bound where it is clamped; the scaled dual method sums it into each
    /// row's curvature. Linear utilities return a finite proxy (see <see cref="LinearAgents"/>).
    /// </summary>
    double Argmax(int s, double q, out double sensitivity);

    /// <summary>The utility <c>U_s(x)</c>.</summary>
    double Utility(int s, double x);

    /// <summary>The marginal utility <c>U_s'(x)</c> (for linear utilities, <c>w</c>).</summary>
    double Marginal(int s, double x);

    /// <summary>
    /// The proximal step <c>argmax_{x in [m_s, M_s]} U_s(x) - (x - v)^2 / (2 t)</c>, <c>t &gt; 0</c>
    /// (the ADMM agent update).
    /// </summary>
    double Prox(int s, double v, double t);
}
