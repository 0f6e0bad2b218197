using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Hosting.Placement;

/// <summary>
/// What the solver engines accept of a placement's numbers: its utility (one agent per domain, as
/// <see cref="PlacementProblem"/> builds them) and its ADMM settings. The descriptor's own checks
/// (<see cref="PlacementDescription.Validate"/>) hold in the compiler too; these need the engines,
/// so the daemon runs them at load.
/// </summary>
public static class PlacementSettings
{
    /// <summary>The ADMM options <paramref name="placement"/>'s settings stand for.</summary>
    public static AdmmOptions Options(PlacementDescription placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return new AdmmOptions
        {
            Rho = placement.Admm.Rho,
            AdaptiveRho = !placement.Admm.FixedRho,
            AbsoluteTolerance = placement.Admm.AbsoluteTolerance,
            RelativeTolerance = placement.Admm.RelativeTolerance,
            MaxIterations = placement.Admm.MaxIterations,
        };
    }

    /// <summary>What the engines refuse in <paramref name="fibre"/>'s placement; empty without one.</summary>
    public static IReadOnlyList<string> Problems(DaemonFibre fibre)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        var problems = new List<string>();
        if (fibre.Placement is not { } p || p.Validate(fibre.Name).Count > 0)
        {
            return problems;
        }

        var where = $"fibre '{fibre.Name}': placement";
        var d = p.DomainCount;
        try
        {
            _ = new MixedAgents(Enumerable.Repeat(p.Utility.Family, d).ToArray(), [.. p.Utility.Weight], [.. p.Utility.Offset], [.. p.Utility.Shape], [.. p.Lower], [.. p.Upper]);
        }
        catch (ArgumentException e)
        {
            problems.Add($"{where}: the utility '{p.Utility.Statement}' is not usable: {e.Message}");
        }

        try
        {
            Options(p).Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"{where}: the ADMM settings '{p.Admm.Statement}' are out of range: {e.Message}");
        }

        return problems;
    }
}
