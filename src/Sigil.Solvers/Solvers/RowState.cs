using System.Runtime.InteropServices;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// One resource row as the agent pass sees it: the price an agent gathers and the load it
/// scatters share one 16-byte slot, so each (agent, row) entry touches one cache line (the
/// curvature, needed on one pass in four, lives apart).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RowState
{
    /// <summary>The price the agents respond to (the dual engine's extrapolated point).</summary>
    public double Price;

    /// <summary>Load <c>a_l x</c> accumulated by the agent pass.</summary>
    public double Load;
}
