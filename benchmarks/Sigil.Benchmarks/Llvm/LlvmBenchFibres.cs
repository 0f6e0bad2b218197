using System;
using System.IO;
using System.Linq;
using Sigil.Language;
using Sigil.Language.Model;

namespace Sigil.Benchmarks.Llvm;

/// <summary>
/// The fibres the LLVM suite instruments with: fibres/dwell.sigil as the compiler lowers it, and
/// 'bench', which differs from dwell only in its name, its price map and in instrumenting
/// bench_sink (samples/llvm/hooksink.c) instead of write and pwrite.
/// </summary>
internal static class LlvmBenchFibres
{
    public static FibreSpec Dwell(string repoRoot)
    {
        var path = Path.Combine(repoRoot, "fibres", "dwell.sigil");
        var compiled = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path)));
        return compiled.Spec ?? throw new InvalidOperationException(
            "fibres/dwell.sigil does not compile: " + string.Join("; ", compiled.Diagnostics.Select(d => d.Id + " " + d.Message)));
    }

    public static FibreSpec Bench(FibreSpec dwell) => dwell with
    {
        Name = "bench",
        SourceFileName = "bench.sigil",
        PriceExports = EquatableArray.Create(new PriceExportSpec(dwell.PriceExports[0].Resource, "price_bench")),
        Instruments = EquatableArray.Create(new InstrumentSpec(
            InstrumentKind.Calls,
            EquatableArray.Create("bench_sink"),
            EquatableArray.Create(HookArgument.Site, HookArgument.Fd),
            new ResponseSpec("backoff", EquatableArray.Create(new ArgumentSpec("us", 100))),
            "instrument calls(bench_sink) pass (site, fd) respond backoff(us = 100);")),
    };
}
