namespace Sigil.Cluster;

/// <summary>
/// One job of a node: an alpha-fair utility <c>w (x + eps)^(1-a) / (1-a)</c> (log when a = 1,
/// linear <c>w x</c> when a = 0, as the alpha-fair family has it) on
/// <c>[lo, hi]</c>, loading the cluster row with <paramref name="ClusterCoefficient"/> per unit and
/// the node's own row with <paramref name="NodeCoefficient"/> per unit. Value-equatable.
/// </summary>
/// <param name="Name">The job's name, for status and logs.</param>
/// <param name="Weight">w &gt; 0.</param>
/// <param name="Alpha">a &gt;= 0 (0: linear).</param>
/// <param name="Offset">eps, with lo + eps &gt; 0 (unused when linear).</param>
/// <param name="Lower">lo.</param>
/// <param name="Upper">hi (finite).</param>
/// <param name="ClusterCoefficient">The job's coefficient in the cluster row (&gt;= 0).</param>
/// <param name="NodeCoefficient">The job's coefficient in the node's row (&gt;= 0).</param>
public sealed record ClusterJob(
    string Name,
    double Weight,
    double Alpha,
    double Offset,
    double Lower,
    double Upper,
    double ClusterCoefficient,
    double NodeCoefficient);
