using System.Runtime.InteropServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// One resource row as the agent pass sees it. The price an agent gathers and the load and
/// curvature it scatters sit in the same 32-byte slot, so each (agent, row) entry touches one
/// cache line instead of three.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RowState
{
    /// <summary>The price the agents respond to (the dual engine's extrapolated point).</summary>
    public double Price;

    /// <summary>Load <c>a_l x</c> accumulated by the agent pass.</summary>
    public double Load;

    /// <summary>
    /// Curvature bound accumulated by the agent pass: <c>sum_s |A_ls| d_s sum_k |A_ks|</c> with
    /// <c>d_s = 1 / (-U_s'')</c>, the Gershgorin bound of the dual Hessian's row.
    /// </summary>
    public double Curvature;

    /// <summary>The row's budget (copied from the problem at the start of a solve).</summary>
    public double Capacity;
}
