using System.Linq;
using System;
using Sigil.Language.Model;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Solvers;

namespace Sigil.Llvm.Tests;

/// <summary>
/// Fibre specs built by hand. <see cref="Dwell"/> mirrors fibres/dwell.sigil as the front end
/// lowers it; the others vary its instrument statements to reach every path of the backend.
/// </summary>
internal static class Fixtures
{
    public const string DwellStatement = "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);";

    public static FibreSpec Dwell() => Fibre("dwell", Instrument(InstrumentKind.Calls, ["write", "pwrite"], [HookArgument.Site, HookArgument.Fd], Backoff(100), DwellStatement));

    /// <summary>
    /// 'gate': refuses writes (EAGAIN), watches reads after the fact, refuses entries of
    /// copy_positioned, and has a pattern that matches nothing.
    /// </summary>
    public static FibreSpec Gate() => Fibre(
        "gate",
        Instrument(InstrumentKind.Calls, ["write"], [HookArgument.Site, HookArgument.Fd], Refuse(11), "instrument calls(write) pass (site, fd) respond refuse(errno = 11);"),
        Instrument(InstrumentKind.Calls, ["read", "foo*"], [HookArgument.Site, HookArgument.Result], null, "instrument calls(read, \"foo*\") pass (site, result);"),
        Instrument(InstrumentKind.Entries, ["copy_pos*"], [HookArgument.Site, HookArgument.Fd], Refuse(1), "instrument entries(\"copy_pos*\") pass (site, fd) respond refuse(errno = 1);"));

    public static InstrumentSpec Instrument(InstrumentKind kind, string[] patterns, HookArgument[] passes, ResponseSpec? response, string statement) =>
        new(kind, patterns.ToEquatableArray(), passes.ToEquatableArray(), response, statement);

    public static ResponseSpec Backoff(double us) => new("backoff", EquatableArray.Create(new ArgumentSpec("us", us)));

    public static ResponseSpec Refuse(int errno) => new("refuse", EquatableArray.Create(new ArgumentSpec("errno", errno)));

    /// <summary>fibres/dwell.sigil with <paramref name="name"/> and the given instrument statements.</summary>
    public static FibreSpec Fibre(string name, params InstrumentSpec[] instruments)
    {
        var seconds = new UnitSpec(EquatableArray.Create(new UnitFactor("s", 1)));
        var task = new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty);
        var t = EquatableArray.Create("t");
        var tasks = EquatableArray.Create("task");
        const int ScaleBits = 20;
        long Fixed(double v) => (long)Math.Round(v * (1L << ScaleBits));
        return new FibreSpec(
            Name: name,
            SourceFileName: name + ".sigil",
            Indices: EquatableArray.Create(task),
            Parameters: EquatableArray.Create(
                new ParameterSpec("budget", seconds, 5.0),
                new ParameterSpec("throttle_price", UnitSpec.Dimensionless, 5),
                new ParameterSpec("kill_price", UnitSpec.Dimensionless, 15)),
            Tables: EquatableArray<TableSpec>.Empty,
            Variables: EquatableArray.Create(new VariableSpec("hold", tasks, seconds, ValueSpec.Of(0), ValueSpec.Of(3600), t)),
            Resources: EquatableArray.Create(new ResourceSpec("dwell", tasks, seconds, ValueSpec.Of(5.0), t)),
            Couplings: EquatableArray.Create(new CouplingSpec(
                "dwell",
                "dwell",
                EquatableArray.Create(new IndexBinding("t", "task")),
                EquatableArray.Create(new TermSpec(ValueSpec.Of(1), "hold", t, EquatableArray<IndexBinding>.Empty)),
                RowSense.LessOrEqual,
                ValueSpec.Of(5.0),
                "couple @dwell[t] >= $hold[t];")),
            Utilities: EquatableArray.Create(new UtilitySpec(
                "hold", t, UtilityKind.Log, ValueSpec.Of(1), ValueSpec.Of(1), ValueSpec.Of(0), ValueSpec.Of(0),
                "utility $hold[t] ~ log(1 + $hold[t]);")),
            Solver: new SolverSpec(SolverMethod.Dual, 2.0, 0, 0, 1e-6, 1e-6, 1000, true, "solve dual { step = 2.0; online; }"),
            Certificates: EquatableArray.Create(CertificateKind.Lyapunov, CertificateKind.Detection),
            Sensors: EquatableArray.Create(new SensorSpec(
                "hold",
                SensorKind.Span,
                EquatableArray.Create(new TracepointSpec("syscalls", "sys_enter_openat"), new TracepointSpec("syscalls", "sys_enter_close")),
                EquatableArray.Create("pid", "fd"),
                1e9,
                "sense $hold[t] <- span(syscalls:sys_enter_openat, syscalls:sys_enter_close) key (pid, fd);")),
            Actuators: EquatableArray.Create(
                new ActuatorSpec(ActuatorKind.Throttle, "dwell", 5, EquatableArray.Create(new ArgumentSpec("cpu", 0.2)), "act throttle(cpu = 20%) when ^dwell[t] >= throttle_price;"),
                new ActuatorSpec(ActuatorKind.Kill, "dwell", 15, EquatableArray<ArgumentSpec>.Empty, "act kill when ^dwell[t] >= kill_price;")),
            PriceExports: EquatableArray.Create(new PriceExportSpec("dwell", "price_" + name)),
            Metrics: EquatableArray.Create(new MetricSpec("dwell_seconds_current", MetricAggregateKind.Mean, "hold", MetricSourceKind.Variable, seconds, 5, "metric dwell_seconds_current = mean($hold) target 5;")),
            Instruments: instruments.ToEquatableArray(),
            FixedPoint: new FixedPointSpec("dwell", ScaleBits, Fixed(2.0), Fixed(5.0), Fixed(3600), Fixed(1 << 20), 1_000_000_000),
            Analysis: new AnalysisSpec(
                EquatableArray<UtilityAnalysisSpec>.Empty,
                EquatableArray<FeasibilitySpec>.Empty,
                1.0 / (3601 * 3601),
                1,
                3601 * 3601,
                2.0 / (3601 * 3601),
                3595,
                4 * 3595 * 3595,
                new DependenceGraphSpec(EquatableArray.Create("dwell"), EquatableArray<GraphEdge>.Empty, true, EquatableArray.Create("dwell"), EquatableArray.Create(new Clique(EquatableArray.Create("dwell"))))));
    }
}
