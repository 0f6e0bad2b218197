using System.Linq;
using System;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Proofs.Tests;

/// <summary>
/// Lowered models built by hand, mirroring fibres/dwell.sigil, atp.sigil and cache.sigil, until
/// the front end compiles the files themselves. Analysis numbers follow the analysis spec's
/// definitions (mu, ||A||^2 from ||A||_1 ||A||_inf, L = ||A||^2 / mu, G, g^2 G^2).
/// </summary>
internal static class Fixtures
{
    private static readonly UnitSpec s_seconds = new(EquatableArray.Create(new UnitFactor("s", 1)));
    private static readonly UnitSpec s_flux = new(EquatableArray.Create(new UnitFactor("gDW", -1), new UnitFactor("h", -1), new UnitFactor("mmol", 1)));
    private static readonly UnitSpec s_one = UnitSpec.Dimensionless;

    private static ValueSpec C(double value) => ValueSpec.Of(value);

    private static EquatableArray<T> A<T>(params T[] items) => EquatableArray.Create(items);

    /// <summary>fibres/dwell.sigil: step 2, budget 5 s, throttle at 5, kill at 15, hold in [0, 3600] s, scale 2^20.</summary>
    public static FibreSpec Dwell(
        double step = 2.0,
        double budget = 5.0,
        double throttle = 5,
        double kill = 15,
        double loadMax = 3600,
        int scaleBits = 20,
        double priceMax = 1e6)
    {
        var mu = 1.0 / ((1 + loadMax) * (1 + loadMax));
        var g = Math.Max(Math.Abs(loadMax - budget), budget);
        long Fixed(double v) => (long)Math.Round(v * Math.Pow(2, scaleBits), MidpointRounding.AwayFromZero);
        return new FibreSpec(
            "dwell",
            "dwell.sigil",
            A(new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty)),
            A(new ParameterSpec("budget", s_seconds, budget), new ParameterSpec("throttle_price", s_one, throttle), new ParameterSpec("kill_price", s_one, kill)),
            EquatableArray<TableSpec>.Empty,
            A(new VariableSpec("hold", A("task"), s_seconds, C(0), C(loadMax), A("t"))),
            A(new ResourceSpec("dwell", A("task"), s_seconds, C(budget), A("t"))),
            A(new CouplingSpec("dwell", "dwell", A(new IndexBinding("t", "task")), A(new TermSpec(C(1), "hold", A("t"), EquatableArray<IndexBinding>.Empty)), RowSense.LessOrEqual, C(budget), "couple @dwell[t] >= $hold[t];")),
            A(new UtilitySpec("hold", A("t"), UtilityKind.Log, C(1), C(1), C(0), C(0), "utility $hold[t] ~ log(1 + $hold[t]);")),
            new SolverSpec(SolverMethod.Dual, step, 0, 0, 1e-6, 1e-4, 10000, true, "solve dual { step = 2.0; online; }"),
            A(CertificateKind.Lyapunov, CertificateKind.Detection),
            A(new SensorSpec("hold", SensorKind.Span, A(new TracepointSpec("syscalls", "sys_enter_openat"), new TracepointSpec("syscalls", "sys_enter_close")), A("pid", "fd"), 1e9, "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);")),
            A(
                new ActuatorSpec(ActuatorKind.Throttle, "dwell", throttle, A(new ArgumentSpec("cpu", 0.2)), "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
                new ActuatorSpec(ActuatorKind.Kill, "dwell", kill, EquatableArray<ArgumentSpec>.Empty, "act kill when ^dwell[t] >= kill_price;")),
            A(new PriceExportSpec("dwell", "price_dwell")),
            A(new MetricSpec("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, s_seconds, 5, "metric dwell_seconds_current = mean($hold) target 5;")),
            A(new InstrumentSpec(InstrumentKind.Calls, A("write", "pwrite"), A(HookArgument.Site, HookArgument.Fd), new ResponseSpec("backoff", A(new ArgumentSpec("us", 100))), "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);")),
            new FixedPointSpec("dwell", scaleBits, Fixed(step), Fixed(budget), Fixed(loadMax), Fixed(priceMax), 1_000_000_000),
            new AnalysisSpec(
                A(new UtilityAnalysisSpec("hold", UtilityKind.Log, true, mu, 1)),
                A(new FeasibilitySpec("dwell", 0, budget, budget >= 0)),
                mu,
                1,
                1 / mu,
                2 * mu,
                g,
                step * step * g * g,
                new DependenceGraphSpec(A("dwell"), EquatableArray<GraphEdge>.Empty, true, A("dwell"), A(new Clique(A("dwell"))))));
    }

    private static readonly string[] s_edits = { "pfkA_overexpression", "atpA_knockin", "ppc_upregulation", "glnA_amplification" };
    private static readonly double[] s_cost = { 1.0, 0.5, 1.0, 1.0 };
    private static readonly double[] s_weight = { 2.0, 1.5, 1.2, 0.8 };
    private static readonly double[] s_lo = { 0, 0, 0, 0 };
    private static readonly double[] s_hi = { 6, 5, 4, 3 };

    /// <summary>
    /// fibres/atp.sigil with atp.edits.csv: budget 8.39, log utilities with eps 0.001. The step is
    /// "auto": half the stability bound, 1/L, unless <paramref name="step"/> overrides it.
    /// </summary>
    public static FibreSpec Atp(double? step = null, double maintenance = 8.39)
    {
        const double eps = 0.001;
        var curvatures = s_weight.Select((w, j) => (Min: w / ((s_hi[j] + eps) * (s_hi[j] + eps)), Max: w / ((s_lo[j] + eps) * (s_lo[j] + eps)))).ToArray();
        var mu = curvatures.Min(c => c.Min);
        var normA2 = s_cost.Max() * s_cost.Sum();
        var l = normA2 / mu;
        var gamma = step ?? 1 / l;
        var maxLoad = s_cost.Select((a, j) => a * s_hi[j]).Sum();
        var minLoad = s_cost.Select((a, j) => a * s_lo[j]).Sum();
        var g = Math.Max(Math.Abs(maxLoad - maintenance), Math.Abs(maintenance - minLoad));
        var j = A("j");
        return new FibreSpec(
            "atp",
            "atp.sigil",
            A(new IndexSpec("edit", IndexKind.Table, KernelKey.None, s_edits.Length, "edits", A(s_edits))),
            A(new ParameterSpec("maintenance", s_flux, maintenance), new ParameterSpec("eps", s_flux, eps)),
            A(new TableSpec("edits", "atp.edits.csv", A(s_edits), A(
                new ColumnSpec("cost", s_one, A(s_cost)),
                new ColumnSpec("weight", s_one, A(s_weight)),
                new ColumnSpec("lo", s_flux, A(s_lo)),
                new ColumnSpec("hi", s_flux, A(s_hi))))),
            A(new VariableSpec("flux", A("edit"), s_flux, ValueSpec.ColumnAt("edits", "lo", "j"), ValueSpec.ColumnAt("edits", "hi", "j"), j)),
            A(new ResourceSpec("atp", EquatableArray<string>.Empty, s_flux, C(maintenance), EquatableArray<string>.Empty)),
            A(new CouplingSpec("atp", "atp", EquatableArray<IndexBinding>.Empty, A(new TermSpec(ValueSpec.ColumnAt("edits", "cost", "j"), "flux", j, A(new IndexBinding("j", "edit")))), RowSense.LessOrEqual, C(maintenance), "couple @atp >= sum(j in edit) cost[j] * $flux[j];")),
            A(new UtilitySpec("flux", j, UtilityKind.Log, ValueSpec.ColumnAt("edits", "weight", "j"), C(eps), C(0), C(0), "utility $flux[j] ~ weight[j] * log($flux[j] + eps);")),
            new SolverSpec(SolverMethod.Dual, gamma, 0, 0, 1e-9, 1e-9, 200000, false, "solve dual { step = auto; tolerance = 1e-9; iterations = 200000; }"),
            A(CertificateKind.Lyapunov, CertificateKind.StepBound),
            EquatableArray<SensorSpec>.Empty,
            EquatableArray<ActuatorSpec>.Empty,
            A(new PriceExportSpec("atp", "price_atp")),
            A(new MetricSpec("atp_price", MetricAggregateKind.Max, "atp", MetricSourceKind.Price, s_one, null, "metric atp_price = max(^atp);")),
            EquatableArray<InstrumentSpec>.Empty,
            null,
            new AnalysisSpec(
                A(new UtilityAnalysisSpec("flux", UtilityKind.Log, true, mu, curvatures.Max(c => c.Max))),
                A(new FeasibilitySpec("atp", minLoad, maintenance, minLoad <= maintenance)),
                mu,
                normA2,
                l,
                2 / l,
                g,
                gamma * gamma * g * g,
                new DependenceGraphSpec(A("atp"), EquatableArray<GraphEdge>.Empty, true, A("atp"), A(new Clique(A("atp"))))));
    }

    /// <summary>fibres/cache.sigil with cache.domains.csv: ADMM with rho 1, the llc-cpu-placed triangle.</summary>
    public static FibreSpec Cache(double rho = 1.0, DependenceGraphSpec? graph = null)
    {
        var domains = A("node0", "node1");
        var t = new IndexBinding("t", "thread");
        var d = new IndexBinding("d", "domain");
        var mu = 1 / (1.01 * 1.01);
        var normA2 = 9.5 * 4096 * 8;
        return new FibreSpec(
            "cache",
            "cache.sigil",
            A(
                new IndexSpec("thread", IndexKind.Dynamic, KernelKey.Tid, 4096, null, EquatableArray<string>.Empty),
                new IndexSpec("domain", IndexKind.Table, KernelKey.None, 2, "domains", domains)),
            A(new ParameterSpec("footprint", new UnitSpec(A(new UnitFactor("MiB", 1))), 8), new ParameterSpec("demand", new UnitSpec(A(new UnitFactor("cpu", 1))), 0.5)),
            A(new TableSpec("domains", "cache.domains.csv", domains, A(
                new ColumnSpec("llc", new UnitSpec(A(new UnitFactor("MiB", 1))), A(32.0, 32.0)),
                new ColumnSpec("cpus", new UnitSpec(A(new UnitFactor("cpu", 1))), A(1.0, 1.0))))),
            A(
                new VariableSpec("x", A("thread", "domain"), s_one, C(0), C(1), A("t", "d")),
                new VariableSpec("oncpu", A("thread"), s_seconds, C(0), C(3600), A("t"))),
            A(
                new ResourceSpec("llc", A("domain"), new UnitSpec(A(new UnitFactor("MiB", 1))), ValueSpec.ColumnAt("domains", "llc", "d"), A("d")),
                new ResourceSpec("cpu", A("domain"), new UnitSpec(A(new UnitFactor("cpu", 1))), ValueSpec.ColumnAt("domains", "cpus", "d"), A("d"))),
            A(
                new CouplingSpec("llc", "llc", A(d), A(new TermSpec(C(8), "x", A("t", "d"), A(t))), RowSense.LessOrEqual, ValueSpec.ColumnAt("domains", "llc", "d"), "couple @llc[d] >= sum(t in thread) footprint * $x[t, d];"),
                new CouplingSpec("cpu", "cpu", A(d), A(new TermSpec(C(0.5), "x", A("t", "d"), A(t))), RowSense.LessOrEqual, ValueSpec.ColumnAt("domains", "cpus", "d"), "couple @cpu[d] >= sum(t in thread) demand * $x[t, d];"),
                new CouplingSpec("placed", null, A(t), A(new TermSpec(C(1), "x", A("t", "d"), A(d))), RowSense.Equal, C(1), "couple placed: sum(d in domain) $x[t, d] == 1;")),
            A(new UtilitySpec("x", A("t", "d"), UtilityKind.Log, C(1), C(0.01), C(0), C(0), "utility $x[t, d] ~ log($x[t, d] + 0.01);")),
            new SolverSpec(SolverMethod.Admm, 0, rho, 0, 1e-6, 1e-6, 5000, false, "solve admm { rho = 1.0; tolerance = 1e-6; iterations = 5000; }"),
            A(CertificateKind.Admm, CertificateKind.Chordal),
            A(new SensorSpec("oncpu", SensorKind.OnCpu, A(new TracepointSpec("sched", "sched_switch")), A("tid"), 1e9, "sense $oncpu[t] <- oncpu(sched:sched_switch) key (tid);")),
            A(new ActuatorSpec(ActuatorKind.Affinity, "llc", 0, EquatableArray<ArgumentSpec>.Empty, "act affinity;")),
            A(new PriceExportSpec("llc", "price_llc"), new PriceExportSpec("cpu", "price_cpu")),
            A(new MetricSpec("cache_llc_price", MetricAggregateKind.Max, "llc", MetricSourceKind.Price, s_one, null, "metric cache_llc_price = max(^llc);")),
            EquatableArray<InstrumentSpec>.Empty,
            null,
            new AnalysisSpec(
                A(new UtilityAnalysisSpec("x", UtilityKind.Log, true, mu, 1 / (0.01 * 0.01))),
                A(new FeasibilitySpec("cpu", 0, 1, true), new FeasibilitySpec("llc", 0, 32, true), new FeasibilitySpec("placed", 1, 1, true)),
                mu,
                normA2,
                normA2 / mu,
                2 * mu / normA2,
                32,
                0,
                graph ?? Triangle()));
    }

    /// <summary>The cache fibre's dependence graph: llc, cpu and placed pairwise linked by $x.</summary>
    public static DependenceGraphSpec Triangle() => new(
        A("cpu", "llc", "placed"),
        A(new GraphEdge("cpu", "llc"), new GraphEdge("cpu", "placed"), new GraphEdge("llc", "placed")),
        true,
        A("cpu", "llc", "placed"),
        A(new Clique(A("cpu", "llc", "placed"))));

    /// <summary>A graph with <paramref name="edges"/>, claimed chordal with <paramref name="order"/> as its ordering.</summary>
    public static DependenceGraphSpec Graph(string[] nodes, (string A, string B)[] edges, string[] order, string[][] cliques) => new(
        A(nodes),
        A(edges.Select(e => string.CompareOrdinal(e.A, e.B) < 0 ? new GraphEdge(e.A, e.B) : new GraphEdge(e.B, e.A)).ToArray()),
        true,
        A(order),
        A(cliques.Select(c => new Clique(A(c))).ToArray()));
}
