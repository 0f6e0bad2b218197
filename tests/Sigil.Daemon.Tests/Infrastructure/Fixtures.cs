using Sigil.Language.Model;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>
/// Specs and daemon descriptors for the tests, written out by hand so that the daemon is tested
/// independently of the front end: <see cref="DwellSpec"/> is what the compiler lowers
/// fibres/dwell.sigil to.
/// </summary>
internal static class Fixtures
{
    /// <summary>
    /// Armed, on the kernel sensor, scoped to <paramref name="scope"/>, ticking every 100 ms,
    /// with no metrics server and no log: the daemon the kernel-path tests run.
    /// </summary>
    public static DaemonOptions ArmedOnTheKernel(int scope, string stateDirectory) => new()
    {
        Arm = true,
        Sensor = SensorChoice.Kernel,
        Scope = [scope],
        Tick = TimeSpan.FromMilliseconds(100),
        MetricsUrl = null,
        StateDirectory = stateDirectory,
        LogFormat = LogFormat.None,
    };

    public static DaemonFibre Dwell(double budget = 5, double step = 2, double throttle = 5, double kill = 15, double cpu = 0.2) => new(
        "dwell",
        "task",
        AgentKeyKind.Pid,
        10240,
        [new AgentRow("dwell", budget, "hold", 1, "couple @dwell[t] >= $hold[t];")],
        [
            new ActuatorRule(ActionKind.Throttle, "dwell", throttle, cpu, "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
            new ActuatorRule(ActionKind.Kill, "dwell", kill, 0, "act kill when ^dwell[t] >= kill_price;"),
        ],
        new SensorDescription("hold", "span", ["syscalls:sys_enter_openat", "syscalls:sys_enter_close"], ["pid", "fd"], 1e9, "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);"),
        step,
        3600,
        1 << 20,
        [new FibreMetric("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, "s", 5, "metric dwell_seconds_current = mean($hold) target 5;")],
        new Dictionary<string, string> { ["dwell"] = "price_dwell" });

    private static UnitSpec Seconds => new(EquatableArray.Create(new UnitFactor("s", 1)));

    private static EquatableArray<T> A<T>(params T[] items) => EquatableArray.Create(items);

    public static FibreSpec DwellSpec() => new(
        "dwell",
        "dwell.sigil",
        A(new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty)),
        A(new ParameterSpec("budget", Seconds, 5), new ParameterSpec("throttle_price", UnitSpec.Dimensionless, 5), new ParameterSpec("kill_price", UnitSpec.Dimensionless, 15)),
        EquatableArray<TableSpec>.Empty,
        A(new VariableSpec("hold", A("task"), Seconds, ValueSpec.Of(0), ValueSpec.Of(3600), A("t"))),
        A(new ResourceSpec("dwell", A("task"), Seconds, ValueSpec.Of(5), A("t"))),
        A(new CouplingSpec("dwell", "dwell", A(new IndexBinding("t", "task")), A(new TermSpec(ValueSpec.Of(1), "hold", A("t"), EquatableArray<IndexBinding>.Empty)), RowSense.LessOrEqual, ValueSpec.Of(5), "couple @dwell[t] >= $hold[t];")),
        A(new UtilitySpec("hold", A("t"), UtilityKind.Log, ValueSpec.Of(1), ValueSpec.Of(1), ValueSpec.Of(0), ValueSpec.Of(0), "utility $hold[t] ~ log(1 + $hold[t]);")),
        new SolverSpec(SolverMethod.Dual, 2.0, 0, 0, 1e-6, 1e-6, 1000, true, "solve dual { step = 2.0; online; }"),
        A(CertificateKind.Lyapunov, CertificateKind.Detection),
        A(new SensorSpec("hold", SensorKind.Span, A(new TracepointSpec("syscalls", "sys_enter_openat"), new TracepointSpec("syscalls", "sys_enter_close")), A("pid", "fd"), 1e9, "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);")),
        A(
            new ActuatorSpec(ActuatorKind.Throttle, "dwell", 5, A(new ArgumentSpec("cpu", 0.2)), "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
            new ActuatorSpec(ActuatorKind.Kill, "dwell", 15, EquatableArray<ArgumentSpec>.Empty, "act kill when ^dwell[t] >= kill_price;")),
        A(new PriceExportSpec("dwell", "price_dwell")),
        A(new MetricSpec("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, Seconds, 5, "metric dwell_seconds_current = mean($hold) target 5;")),
        A(new InstrumentSpec(InstrumentKind.Calls, A("write", "pwrite"), A(HookArgument.Site, HookArgument.Fd), new ResponseSpec("backoff", A(new ArgumentSpec("us", 100))), "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);")),
        new FixedPointSpec("dwell", 20, 2L << 20, 5L << 20, 3600L << 20, 1L << 40, 1_000_000_000),
        Analysis());

    /// <summary>The atp fibre: offline, one shared ATP budget.</summary>
    public static FibreSpec AtpSpec() => DwellSpec() with
    {
        Name = "atp",
        SourceFileName = "atp.sigil",
        Indices = A(new IndexSpec("edit", IndexKind.Table, KernelKey.None, 4, "edits", A("pfkA_overexpression", "atpA_knockin", "ppc_upregulation", "glnA_amplification"))),
        Sensors = EquatableArray<SensorSpec>.Empty,
        Actuators = EquatableArray<ActuatorSpec>.Empty,
        Metrics = A(new MetricSpec("atp_price", MetricAggregateKind.Max, "atp", MetricSourceKind.Price, UnitSpec.Dimensionless, null, "metric atp_price = max(^atp);")),
        Solver = new SolverSpec(SolverMethod.Dual, 0.1, 0, 0, 1e-9, 1e-9, 200000, false, "solve dual { step = auto; tolerance = 1e-9; iterations = 200000; }"),
        FixedPoint = null,
        Instruments = EquatableArray<InstrumentSpec>.Empty,
    };

    /// <summary>The cache fibre: ADMM, affinity.</summary>
    public static FibreSpec CacheSpec() => DwellSpec() with
    {
        Name = "cache",
        SourceFileName = "cache.sigil",
        Indices = A(new IndexSpec("thread", IndexKind.Dynamic, KernelKey.Tid, 4096, null, EquatableArray<string>.Empty), new IndexSpec("domain", IndexKind.Table, KernelKey.None, 2, "domains", A("node0", "node1"))),
        Solver = new SolverSpec(SolverMethod.Admm, 0, 1.0, 0, 1e-6, 1e-6, 5000, false, "solve admm { rho = 1.0; tolerance = 1e-6; iterations = 5000; }"),
        Sensors = A(new SensorSpec("oncpu", SensorKind.OnCpu, A(new TracepointSpec("sched", "sched_switch")), A("tid"), 1e9, "sense $oncpu[t] <- oncpu(sched:sched_switch) key (tid);")),
        Actuators = A(new ActuatorSpec(ActuatorKind.Affinity, "llc", 0, EquatableArray<ArgumentSpec>.Empty, "act affinity;")),
        Metrics = A(new MetricSpec("cache_llc_price", MetricAggregateKind.Max, "llc", MetricSourceKind.Price, UnitSpec.Dimensionless, null, "metric cache_llc_price = max(^llc);")),
        PriceExports = A(new PriceExportSpec("cpu", "price_cpu"), new PriceExportSpec("llc", "price_llc")),
        FixedPoint = null,
        Instruments = EquatableArray<InstrumentSpec>.Empty,
    };

    private static AnalysisSpec Analysis() => new(
        A(new UtilityAnalysisSpec("hold", UtilityKind.Log, true, 1.0 / (3601.0 * 3601.0), 1)),
        A(new FeasibilitySpec("dwell", 0, 5, true)),
        1.0 / (3601.0 * 3601.0),
        1,
        3601.0 * 3601.0,
        2 / (3601.0 * 3601.0),
        3595,
        4 * 3595.0 * 3595.0,
        new DependenceGraphSpec(A("dwell"), EquatableArray<GraphEdge>.Empty, true, A("dwell"), A(new Clique(A("dwell")))));
}
