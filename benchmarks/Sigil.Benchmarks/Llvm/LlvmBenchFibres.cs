using System;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Model;

namespace Sigil.Benchmarks.Llvm;

/// <summary>
/// The fibres the LLVM suite instruments with: fibres/dwell.sigil as the front end compiles it
/// (or, while the front end cannot, a spec that mirrors it), and 'bench', which differs from
/// dwell only in instrumenting bench_sink (samples/llvm/hooksink.c).
/// </summary>
internal static class LlvmBenchFibres
{
    public static (FibreSpec Spec, string Origin) Dwell(string repoRoot)
    {
        var path = Path.Combine(repoRoot, "fibres", "dwell.sigil");
        var compiled = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path)));
        if (compiled.Spec is { Instruments.IsEmpty: false } spec)
        {
            return (spec, "fibres/dwell.sigil");
        }

        return (Mirror("dwell", Instrument(["write", "pwrite"], "instrument calls(write, pwrite) pass (site, fd) respond backoff(us = 100);")),
                "a spec mirroring fibres/dwell.sigil (the front end gave " + string.Join(", ", compiled.Diagnostics.Select(d => d.Id)) + ")");
    }

    public static FibreSpec Bench() =>
        Mirror("bench", Instrument(["bench_sink"], "instrument calls(bench_sink) pass (site, fd) respond backoff(us = 100);"));

    private static InstrumentSpec Instrument(string[] patterns, string statement) => new(
        InstrumentKind.Calls,
        patterns.ToEquatableArray(),
        EquatableArray.Create(HookArgument.Site, HookArgument.Fd),
        new ResponseSpec("backoff", EquatableArray.Create(new ArgumentSpec("us", 100))),
        statement);

    // What the LLVM backend reads of dwell: a per-process price kept in the kernel in 20-bit
    // fixed point and exported as price_<name>. The solver's parts stay empty.
    private static FibreSpec Mirror(string name, InstrumentSpec instrument)
    {
        var seconds = new UnitSpec(EquatableArray.Create(new UnitFactor("s", 1)));
        var tasks = EquatableArray.Create("task");
        var t = EquatableArray.Create("t");
        const long One = 1L << 20;
        return new FibreSpec(
            name,
            name + ".sigil",
            EquatableArray.Create(new IndexSpec("task", IndexKind.Dynamic, KernelKey.Pid, 10240, null, EquatableArray<string>.Empty)),
            EquatableArray<ParameterSpec>.Empty,
            EquatableArray<TableSpec>.Empty,
            EquatableArray.Create(new VariableSpec("hold", tasks, seconds, ValueSpec.Of(0), ValueSpec.Of(3600), t)),
            EquatableArray.Create(new ResourceSpec("dwell", tasks, seconds, ValueSpec.Of(5), t)),
            EquatableArray<CouplingSpec>.Empty,
            EquatableArray<UtilitySpec>.Empty,
            new SolverSpec(SolverMethod.Dual, 2, 0, 0, 1e-6, 1e-6, 1000, true, "solve dual { step = 2.0; online; }"),
            EquatableArray<CertificateKind>.Empty,
            EquatableArray<SensorSpec>.Empty,
            EquatableArray<ActuatorSpec>.Empty,
            EquatableArray.Create(new PriceExportSpec("dwell", "price_" + name)),
            EquatableArray<MetricSpec>.Empty,
            EquatableArray.Create(instrument),
            new FixedPointSpec("dwell", 20, 2 * One, 5 * One, 3600 * One, One << 20, 1_000_000_000),
            new AnalysisSpec(
                EquatableArray<UtilityAnalysisSpec>.Empty,
                EquatableArray<FeasibilitySpec>.Empty,
                0,
                1,
                double.PositiveInfinity,
                0,
                0,
                0,
                new DependenceGraphSpec(EquatableArray<string>.Empty, EquatableArray<GraphEdge>.Empty, true, EquatableArray<string>.Empty, EquatableArray<Clique>.Empty)));
    }
}
