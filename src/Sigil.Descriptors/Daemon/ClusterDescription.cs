using System.Collections.Generic;
using Sigil.Descriptors;
using Sigil.Language.Emit.Bpf;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// A cluster fibre's numbers for one node, resolved once at build time
/// (<c>Sigil.Language.Emit.Daemon.ClusterFibreMapper</c>) and written as
/// <c>daemon/&lt;fibre&gt;.cluster.json</c> (<see cref="ClusterDescriptionFile"/>): the cluster row,
/// the node row, and the template of a job (the agents of the one dynamic index).
/// </summary>
/// <param name="Fibre">The fibre's name.</param>
/// <param name="Resource">The cluster resource's name.</param>
/// <param name="Unit">The cluster resource's unit, for messages.</param>
/// <param name="Budget">The cluster row's budget, shared by every node.</param>
/// <param name="MaxNodes">The most nodes the cluster resource spans.</param>
/// <param name="Step">The dual step of the cluster price.</param>
/// <param name="AdmmRho">rho when the fibre is solved by ADMM; null for the dual update.</param>
/// <param name="NodeLoadMax">The most one node can load the cluster row (jobs x coefficient x upper bound).</param>
/// <param name="NodeLimit">The node row's budget (infinite when the fibre has no node row).</param>
/// <param name="MaxJobs">The dynamic index's capacity.</param>
/// <param name="Job">Every job's utility, bounds and coefficients.</param>
public sealed record ClusterDescription(
    string Fibre,
    string Resource,
    string Unit,
    double Budget,
    int MaxNodes,
    double Step,
    double? AdmmRho,
    double NodeLoadMax,
    double NodeLimit,
    int MaxJobs,
    ClusterJobTemplate Job)
{
    /// <summary>The descriptor format's version (<see cref="DaemonFibreFile.FormatVersion"/>).</summary>
    public int Format { get; init; } = DaemonFibreFile.FormatVersion;

    /// <summary>The files the fibre was compiled from, with their SHA-256.</summary>
    public IReadOnlyList<BpfSourceDigest> Sources { get; init; } = [];
}

/// <summary>A job of a cluster fibre: <c>w (x + eps)^(1 - a) / (1 - a)</c> (log at a = 1, linear at a = 0) over [Lower, Upper], loading the cluster row by ClusterCoefficient and the node row by NodeCoefficient per unit.</summary>
/// <param name="Weight">w.</param>
/// <param name="Alpha">a.</param>
/// <param name="Offset">eps.</param>
/// <param name="Lower">The lower bound.</param>
/// <param name="Upper">The upper bound.</param>
/// <param name="ClusterCoefficient">The job's coefficient in the cluster row.</param>
/// <param name="NodeCoefficient">Its coefficient in the node row (0 without one).</param>
public sealed record ClusterJobTemplate(double Weight, double Alpha, double Offset, double Lower, double Upper, double ClusterCoefficient, double NodeCoefficient);

/// <summary>The JSON text of a <see cref="ClusterDescription"/>, <c>daemon/&lt;fibre&gt;.cluster.json</c>; the runtime reads it strictly.</summary>
public static class ClusterDescriptionFile
{
    /// <summary>The descriptor's path among a fibre's artefacts.</summary>
    public static string RelativePath(string fibre) => $"daemon/{fibre}.cluster.json";

    /// <summary>The JSON text of <paramref name="c"/>.</summary>
    public static string Write(ClusterDescription c) => JsonText.Object(
        1,
        ("format", JsonText.Int(c.Format)),
        ("fibre", JsonText.Str(c.Fibre)),
        ("resource", JsonText.Str(c.Resource)),
        ("unit", JsonText.Str(c.Unit)),
        ("budget", JsonText.Number(c.Budget)),
        ("maxNodes", JsonText.Int(c.MaxNodes)),
        ("step", JsonText.Number(c.Step)),
        ("admmRho", JsonText.Number(c.AdmmRho)),
        ("nodeLoadMax", JsonText.Number(c.NodeLoadMax)),
        ("nodeLimit", JsonText.Number(c.NodeLimit)),
        ("maxJobs", JsonText.Int(c.MaxJobs)),
        ("job", JsonText.Object(
            2,
            ("weight", JsonText.Number(c.Job.Weight)),
            ("alpha", JsonText.Number(c.Job.Alpha)),
            ("offset", JsonText.Number(c.Job.Offset)),
            ("lower", JsonText.Number(c.Job.Lower)),
            ("upper", JsonText.Number(c.Job.Upper)),
            ("clusterCoefficient", JsonText.Number(c.Job.ClusterCoefficient)),
            ("nodeCoefficient", JsonText.Number(c.Job.NodeCoefficient)))),
        ("sources", JsonText.Sources(c.Sources))) + "\n";
}
