using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Bpf.Tests.Fixtures;

/// <summary>
/// Lowered specs of fibres/dwell.sigil and fibres/cache.sigil, built by hand the way the front
/// end lowers them, until SigilCompiler.Compile returns specs (see <see cref="ShippedFibres"/>).
/// </summary>
public static class FibreFixtures
{
    private static readonly UnitSpec s_seconds = Unit(("s", 1));
    private static readonly UnitSpec s_mebibytes = Unit(("MiB", 1));
    private static readonly UnitSpec s_cpus = Unit(("cpu", 1));

    /// <summary>fibres/dwell.sigil: ScaleBits 20, step 2.0, budget 5 s, loads in [0, 3600] s, throttle 5, kill 15.</summary>
    public static FibreSpec Dwell { get; } = new(
        Name: "dwell",
        SourceFileName: "dwell.sigil",
        Indices: Array(new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty)),
        Parameters: Array(
            new ParameterSpec("budget", s_seconds, 5.0),
            new ParameterSpec("throttle_price", UnitSpec.Dimensionless, 5),
            new ParameterSpec("kill_price", UnitSpec.Dimensionless, 15)),
        Tables: EquatableArray<TableSpec>.Empty,
        Variables: Array(new VariableSpec("hold", Array("task"), s_seconds, ValueSpec.Of(0), ValueSpec.Of(3600), Array("t"))),
        Resources: Array(new ResourceSpec("dwell", Array("task"), s_seconds, ValueSpec.Of(5.0), Array("t"))),
        Couplings: Array(new CouplingSpec(
            "dwell",
            "dwell",
            Array(new IndexBinding("t", "task")),
            Array(new TermSpec(ValueSpec.Of(1), "hold", Array("t"), EquatableArray<IndexBinding>.Empty)),
            RowSense.LessOrEqual,
            ValueSpec.Of(5.0),
            "couple @dwell[t] >= $hold[t];")),
        Utilities: Array(new UtilitySpec("hold", Array("t"), UtilityKind.Log, ValueSpec.Of(1), ValueSpec.Of(1), ValueSpec.Of(0), ValueSpec.Of(0), "utility $hold[t] ~ log(1 + $hold[t]);")),
        Solver: new SolverSpec(SolverMethod.Dual, 2.0, 0, 0, 1e-6, 1e-6, 10000, Online: true, "solve dual { step = 2.0; online; }"),
        Certificates: Array(CertificateKind.Lyapunov, CertificateKind.Detection),
        Sensors: Array(new SensorSpec(
            "hold",
            SensorKind.Span,
            Array(new TracepointSpec("syscalls", "sys_enter_openat"), new TracepointSpec("syscalls", "sys_enter_close")),
            Array("pid", "fd"),
            1e9,
            "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);")),
        Actuators: Array(
            new ActuatorSpec(ActuatorKind.Throttle, "dwell", 5, Array(new ArgumentSpec("cpu", 0.2)), "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
            new ActuatorSpec(ActuatorKind.Kill, "dwell", 15, EquatableArray<ArgumentSpec>.Empty, "act kill when ^dwell[t] >= kill_price;")),
        PriceExports: Array(new PriceExportSpec("dwell", "price_dwell")),
        Metrics: Array(new MetricSpec("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, s_seconds, 5, "metric dwell_seconds_current = mean($hold) target 5;")),
        Instruments: Array(new InstrumentSpec(
            InstrumentKind.Calls,
            Array("write", "pwrite"),
            Array(HookArgument.Site, HookArgument.Fd),
            new ResponseSpec("backoff", Array(new ArgumentSpec("us", 100))),
            "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);")),
        FixedPoint: new FixedPointSpec(
            Resource: "dwell",
            ScaleBits: 20,
            StepFixed: 2L << 20,
            BudgetFixed: 5L << 20,
            LoadMaxFixed: 3600L << 20,
            PriceMaxFixed: 1_000_000L << 20,
            NanosecondsPerUnit: 1_000_000_000),
        Analysis: Analysis(Array("dwell"), EquatableArray<GraphEdge>.Empty));

    /// <summary>fibres/cache.sigil: on-CPU time per thread from sched_switch; prices kept by the daemon.</summary>
    public static FibreSpec Cache { get; } = new(
        Name: "cache",
        SourceFileName: "cache.sigil",
        Indices: Array(
            new IndexSpec("thread", IndexKind.Dynamic, KernelKey.Tid, 4096, null, EquatableArray<string>.Empty),
            new IndexSpec("domain", IndexKind.Table, KernelKey.None, 2, "domains", Array("node0", "node1"))),
        Parameters: Array(
            new ParameterSpec("footprint", s_mebibytes, 8),
            new ParameterSpec("demand", s_cpus, 0.5)),
        Tables: Array(new TableSpec(
            "domains",
            "cache.domains.csv",
            Array("node0", "node1"),
            Array(new ColumnSpec("llc", s_mebibytes, Array(32.0, 32.0)), new ColumnSpec("cpus", s_cpus, Array(1.0, 1.0))))),
        Variables: Array(
            new VariableSpec("x", Array("thread", "domain"), UnitSpec.Dimensionless, ValueSpec.Of(0), ValueSpec.Of(1), Array("t", "d")),
            new VariableSpec("oncpu", Array("thread"), s_seconds, ValueSpec.Of(0), ValueSpec.Of(3600), Array("t"))),
        Resources: Array(
            new ResourceSpec("llc", Array("domain"), s_mebibytes, ValueSpec.ColumnAt("domains", "llc", "d"), Array("d")),
            new ResourceSpec("cpu", Array("domain"), s_cpus, ValueSpec.ColumnAt("domains", "cpus", "d"), Array("d"))),
        Couplings: Array(
            new CouplingSpec(
                "llc",
                "llc",
                Array(new IndexBinding("d", "domain")),
                Array(new TermSpec(ValueSpec.Of(8), "x", Array("t", "d"), Array(new IndexBinding("t", "thread")))),
                RowSense.LessOrEqual,
                ValueSpec.ColumnAt("domains", "llc", "d"),
                "couple @llc[d] >= sum(t in thread) footprint * $x[t, d];"),
            new CouplingSpec(
                "cpu",
                "cpu",
                Array(new IndexBinding("d", "domain")),
                Array(new TermSpec(ValueSpec.Of(0.5), "x", Array("t", "d"), Array(new IndexBinding("t", "thread")))),
                RowSense.LessOrEqual,
                ValueSpec.ColumnAt("domains", "cpus", "d"),
                "couple @cpu[d] >= sum(t in thread) demand * $x[t, d];"),
            new CouplingSpec(
                "placed",
                null,
                Array(new IndexBinding("t", "thread")),
                Array(new TermSpec(ValueSpec.Of(1), "x", Array("t", "d"), Array(new IndexBinding("d", "domain")))),
                RowSense.Equal,
                ValueSpec.Of(1),
                "couple placed: sum(d in domain) $x[t, d] == 1;")),
        Utilities: Array(new UtilitySpec("x", Array("t", "d"), UtilityKind.Log, ValueSpec.Of(1), ValueSpec.Of(0.01), ValueSpec.Of(0), ValueSpec.Of(0), "utility $x[t, d] ~ log($x[t, d] + 0.01);")),
        Solver: new SolverSpec(SolverMethod.Admm, 0, 1.0, 0, 1e-6, 1e-6, 5000, Online: false, "solve admm { rho = 1.0; tolerance = 1e-6; iterations = 5000; }"),
        Certificates: Array(CertificateKind.Admm, CertificateKind.Chordal),
        Sensors: Array(new SensorSpec(
            "oncpu",
            SensorKind.OnCpu,
            Array(new TracepointSpec("sched", "sched_switch")),
            Array("tid"),
            1e9,
            "sense $oncpu[t] <- oncpu(sched:sched_switch) key (tid);")),
        Actuators: Array(new ActuatorSpec(ActuatorKind.Affinity, "", 0, EquatableArray<ArgumentSpec>.Empty, "act affinity;")),
        PriceExports: Array(new PriceExportSpec("llc", "price_llc"), new PriceExportSpec("cpu", "price_cpu")),
        Metrics: Array(new MetricSpec("cache_llc_price", MetricAggregateKind.Max, "llc", MetricSourceKind.Price, UnitSpec.Dimensionless, null, "metric cache_llc_price = max(^llc);")),
        Instruments: EquatableArray<InstrumentSpec>.Empty,
        FixedPoint: null,
        Analysis: Analysis(Array("cpu", "llc", "placed"), Array(new GraphEdge("cpu", "llc"), new GraphEdge("cpu", "placed"), new GraphEdge("llc", "placed"))));

    private static AnalysisSpec Analysis(EquatableArray<string> nodes, EquatableArray<GraphEdge> edges) => new(
        EquatableArray<UtilityAnalysisSpec>.Empty,
        EquatableArray<FeasibilitySpec>.Empty,
        MinCurvature: 0,
        NormASquared: 1,
        Lipschitz: double.PositiveInfinity,
        MaxStableStep: 0,
        LoadErrorBound: 0,
        DriftBound: 0,
        new DependenceGraphSpec(nodes, edges, IsChordal: true, nodes, EquatableArray.Create(new Clique(nodes))));

    private static EquatableArray<T> Array<T>(params T[] items) => EquatableArray.Create(items);

    private static UnitSpec Unit(params (string Name, int Power)[] factors) =>
        new(EquatableArray.Create(System.Array.ConvertAll(factors, f => new UnitFactor(f.Name, f.Power))));
}
