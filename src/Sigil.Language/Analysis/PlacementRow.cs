namespace Sigil.Language.Analysis;

/// <summary>The part a row plays in a placement (<see cref="DaemonShapeAnalysis.PlacementRowOf"/>).</summary>
public enum PlacementRow
{
    /// <summary>Neither: the daemon does not run it.</summary>
    Other,

    /// <summary>A resource shared per domain: <c>couple @r[d] &gt;= sum(t in thread) a * $x[t, d];</c>.</summary>
    PerDomain,

    /// <summary>One row per thread over the domains: <c>couple placed: sum(d in domain) b * $x[t, d] == B;</c>.</summary>
    PerThread,
}
