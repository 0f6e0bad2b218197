using System.Collections.Generic;
using System.Linq;
using Sigil.Descriptors;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Hosting.Placement;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// The daemon descriptor of a fibre, <c>daemon/&lt;fibre&gt;.daemon.json</c>: the JSON text of its
/// <see cref="DaemonFibre"/>, written by the build (and <c>sigil emit</c>) beside the fibre's other
/// artefacts from the same compiled model, read by <c>sigil run</c> and the daemon
/// (<c>Sigil.Runtime.Hosting.DaemonFibreJson</c>, strict), which never compile. Camel-case names,
/// enums by name, null optional parts left out; deterministic.
/// </summary>
public static class DaemonFibreFile
{
    /// <summary>The format version this compiler writes and the runtime accepts.</summary>
    public const int FormatVersion = 1;

    /// <summary>The descriptor's path among a fibre's artefacts.</summary>
    public static string RelativePath(string fibre) => $"daemon/{fibre}.daemon.json";

    /// <summary>The JSON text of <paramref name="f"/>.</summary>
    public static string Write(DaemonFibre f) => JsonText.Object(
        1,
        ("format", JsonText.Int(f.Format)),
        ("name", JsonText.Str(f.Name)),
        ("agentIndex", JsonText.Str(f.AgentIndex)),
        ("agentKey", JsonText.Str(f.AgentKey.ToString())),
        ("capacity", JsonText.Int(f.Capacity)),
        ("rows", JsonText.Array(1, f.Rows.Select(Row))),
        ("rules", JsonText.Array(1, f.Rules.Select(static r => JsonText.Object(
            2,
            ("kind", JsonText.Str(r.Kind.ToString())),
            ("resource", JsonText.Str(r.Resource)),
            ("threshold", JsonText.Number(r.Threshold)),
            ("cpuFraction", JsonText.Number(r.CpuFraction)),
            ("statement", JsonText.Str(r.Statement)))))),
        ("sensor", JsonText.Object(
            2,
            ("variable", JsonText.Str(f.Sensor.Variable)),
            ("kind", JsonText.Str(f.Sensor.Kind)),
            ("tracepoints", JsonText.Strings(2, f.Sensor.Tracepoints)),
            ("keys", JsonText.Strings(2, f.Sensor.Keys)),
            ("nanosecondsPerUnit", JsonText.Number(f.Sensor.NanosecondsPerUnit)),
            ("statement", JsonText.Str(f.Sensor.Statement)))),
        ("step", JsonText.Number(f.Step)),
        ("loadMax", JsonText.Number(f.LoadMax)),
        ("priceMax", JsonText.Number(f.PriceMax)),
        ("metrics", JsonText.Array(1, f.Metrics.Select(static m => JsonText.Object(
            2,
            ("name", JsonText.Str(m.Name)),
            ("aggregate", JsonText.Str(m.Aggregate.ToString())),
            ("source", JsonText.Str(m.Source)),
            ("sourceKind", JsonText.Str(m.SourceKind.ToString())),
            ("unit", JsonText.Str(m.Unit)),
            ("target", JsonText.Number(m.Target)),
            ("statement", JsonText.Str(m.Statement)))))),
        ("priceMaps", JsonText.Object(2, f.PriceMaps.OrderBy(static p => p.Key, System.StringComparer.Ordinal).Select(static p => (p.Key, (string?)JsonText.Str(p.Value))).ToArray())),
        ("placement", f.Placement is { } placement ? Placement(placement) : null),
        ("priceScaleBits", JsonText.Int(f.PriceScaleBits)),
        ("classes", JsonText.Array(1, f.Classes.Select(static c => JsonText.Object(
            2,
            ("name", JsonText.Str(c.Name)),
            ("weight", JsonText.Number(c.Weight)),
            ("members", List(3, c.Members)),
            ("statement", JsonText.Str(c.Statement)))))),
        ("allowed", List(2, f.Allowed)),
        ("periodic", f.Periodic is { } p ? JsonText.Object(
            2,
            ("method", JsonText.Str(p.Method.ToString())),
            ("parameter", JsonText.Number(p.Parameter)),
            ("absoluteTolerance", JsonText.Number(p.AbsoluteTolerance)),
            ("relativeTolerance", JsonText.Number(p.RelativeTolerance)),
            ("feasibilityTolerance", JsonText.Number(p.FeasibilityTolerance)),
            ("maxIterations", JsonText.Int(p.MaxIterations)),
            ("statement", JsonText.Str(p.Statement)),
            ("fixedRho", JsonText.Bool(p.FixedRho))) : null),
        ("sources", JsonText.Sources(f.Sources))) + "\n";

    private static string Row(AgentRow r) => JsonText.Object(
        2,
        ("resource", JsonText.Str(r.Resource)),
        ("budget", JsonText.Number(r.Budget)),
        ("variable", JsonText.Str(r.Variable)),
        ("coefficient", JsonText.Number(r.Coefficient)),
        ("statement", JsonText.Str(r.Statement)),
        ("terms", r.Terms is { } terms ? JsonText.Array(2, terms.Select(static t => JsonText.Object(3, ("variable", JsonText.Str(t.Variable)), ("coefficient", JsonText.Number(t.Coefficient))))) : null),
        ("decided", r.Decided is { } decided ? JsonText.Array(2, decided.Select(static t => JsonText.Object(
            3,
            ("variable", JsonText.Str(t.Variable)),
            ("coefficient", JsonText.Number(t.Coefficient)),
            ("utility", JsonText.Str(t.Utility.ToString())),
            ("weight", JsonText.Number(t.Weight)),
            ("offset", JsonText.Number(t.Offset)),
            ("shape", JsonText.Number(t.Shape)),
            ("lower", JsonText.Number(t.Lower)),
            ("upper", JsonText.Number(t.Upper)),
            ("statement", JsonText.Str(t.Statement))))) : null));

    private static string List(int depth, ProcessList list) => JsonText.Object(
        depth,
        ("executables", JsonText.Strings(depth, list.Executables)),
        ("cgroups", JsonText.Strings(depth, list.Cgroups)));

    private static string Placement(PlacementDescription p) => JsonText.Object(
        2,
        ("variable", JsonText.Str(p.Variable)),
        ("domainIndex", JsonText.Str(p.DomainIndex)),
        ("domains", JsonText.Strings(2, p.Domains)),
        ("lower", JsonText.Numbers(2, p.Lower)),
        ("upper", JsonText.Numbers(2, p.Upper)),
        ("resources", JsonText.Array(2, p.Resources.Select(static r => JsonText.Object(
            3,
            ("name", JsonText.Str(r.Name)),
            ("unit", JsonText.Str(r.Unit)),
            ("capacity", JsonText.Numbers(3, r.Capacity)),
            ("coefficient", JsonText.Numbers(3, r.Coefficient)),
            ("statement", JsonText.Str(r.Statement)))))),
        ("assignment", JsonText.Object(
            3,
            ("name", JsonText.Str(p.Assignment.Name)),
            ("coefficient", JsonText.Numbers(3, p.Assignment.Coefficient)),
            ("total", JsonText.Number(p.Assignment.Total)),
            ("equality", JsonText.Bool(p.Assignment.Equality)),
            ("statement", JsonText.Str(p.Assignment.Statement)))),
        ("utility", JsonText.Object(
            3,
            ("family", JsonText.Str(p.Utility.Family.ToString())),
            ("weight", JsonText.Numbers(3, p.Utility.Weight)),
            ("offset", JsonText.Numbers(3, p.Utility.Offset)),
            ("shape", JsonText.Numbers(3, p.Utility.Shape)),
            ("statement", JsonText.Str(p.Utility.Statement)))),
        ("admm", JsonText.Object(
            3,
            ("rho", JsonText.Number(p.Admm.Rho)),
            ("absoluteTolerance", JsonText.Number(p.Admm.AbsoluteTolerance)),
            ("relativeTolerance", JsonText.Number(p.Admm.RelativeTolerance)),
            ("maxIterations", JsonText.Int(p.Admm.MaxIterations)),
            ("statement", JsonText.Str(p.Admm.Statement)),
            ("fixedRho", JsonText.Bool(p.Admm.FixedRho)))),
        ("priceScaleBits", JsonText.Int(p.PriceScaleBits)));
}
