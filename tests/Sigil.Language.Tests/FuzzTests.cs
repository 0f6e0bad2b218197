using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Testing;
using Xunit.Abstractions;

namespace Sigil.Language.Tests;

/// <summary>
/// Mutated and pathological fibres through <see cref="SigilCompiler.Compile(SourceFile, Func{string, string?}?, System.Threading.CancellationToken)"/>:
/// no exception escapes, every result is consistent, each input compiles in bounded time, and
/// every mutant that compiles goes through every emitter.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20250611;
    private const int Mutants = 10_000;

    // Generous (a warm compile of a fibre takes about a millisecond, a megabyte a few hundred): it
    // catches runaway inputs, not a loaded machine, so it bounds the compiling thread's processor
    // time, which other processes on a busy machine do not stretch as they stretch the wall clock.
    private static readonly TimeSpan s_perInputBound = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private static IReadOnlyList<string> Seeds() => new[]
    {
        Fibres.Text("dwell"),
        Fibres.Text("atp"),
        Fibres.Text("cache"),
        Snippets.Base(),
        Snippets.Online("act throttle(cpu = 20%) when ^r[t] >= 5;", "act kill when ^r[t] >= 15;", "metric m_current = mean($x) target 5;", "instrument entries(\"read*\", write) pass (site) respond refuse(errno = 11);", "certify lyapunov, detection;"),
        Snippets.Fibre("index d in 0 .. 3;", "$q[d] : 1 in [0, 2];", "@b : 1 = 3;", "couple @b >= sum(i) 2 * $q[i] - $q[i] / 2;", "utility $q[i] ~ 3 * $q[i] - 0.5 * $q[i] ** 2;", "solve penalty { mu = 10; }"),
        Snippets.Fibre("index d in 0 .. 3;", "$q[d] : 1 in [0, 2];", "@b : 1 = 3;", "couple @b >= sum(i in d) $q[i];", "utility $q[i] ~ fair($q[i] + 1, 2);", "solve dual { rule = fixed; step = auto; }", "certify step, lyapunov;"),
    };

    [Fact]
    public void Compile_TenThousandMutants_NeverThrowsAndStaysBounded()
    {
        var mutator = new FibreMutator(Seed);
        var texts = mutator.Generate(Seeds(), Mutants).ToList();
        var total = Stopwatch.StartNew();

        // Compile on every core; the mutants are made first, so the run stays deterministic.
        var results = new CompilationResult[texts.Count];
        var times = new TimeSpan[texts.Count];
        System.Threading.Tasks.Parallel.For(0, texts.Count, i => results[i] = CompileChecked(texts[i], out times[i]));
        var compiling = total.Elapsed;
        var slowest = times.Max();
        var withSpec = results.Count(static r => r.Spec is not null);
        var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var d in results.SelectMany(static r => r.Diagnostics))
        {
            codes[d.Id] = codes.TryGetValue(d.Id, out var n) ? n + 1 : 1;
        }

        // Every mutant that compiles through every emitter. Emitters are pure functions of the
        // spec, and specs are values, so each distinct spec is emitted once for all its mutants.
        var emitted = Stopwatch.StartNew();
        var distinct = results.Select((r, i) => (r.Spec, Text: texts[i])).Where(static p => p.Spec is not null).GroupBy(static p => p.Spec!).Select(static g => g.First()).ToList();
        var artefacts = 0;
        System.Threading.Tasks.Parallel.ForEach(distinct, p => System.Threading.Interlocked.Add(ref artefacts, EmitEverything(p.Spec!, p.Text)));

        _output.WriteLine($"{Mutants} mutants compiled in {compiling.TotalSeconds:F1} s, slowest {slowest.TotalMilliseconds:F0} ms, {withSpec} still compile ({distinct.Count} distinct specs)");
        _output.WriteLine($"every emitter on the {distinct.Count} distinct specs: {artefacts} artefacts in {emitted.Elapsed.TotalSeconds:F1} s");
        _output.WriteLine(string.Join(", ", codes.Select(static p => p.Key + "x" + p.Value)));
        Assert.False(codes.ContainsKey("SIG9999"), "An internal error escaped on some mutant.");
        Assert.True(withSpec > 0 && withSpec < Mutants, "The mutants should include both valid and broken fibres.");
    }

    [Fact]
    public void Compile_PathologicalInputs_ReportDiagnosticsWithoutCrashing()
    {
        var mutator = new FibreMutator(Seed + 1);
        var dwell = Fibres.Text("dwell");
        var inputs = new (string Name, string Text)[]
        {
            ("empty", string.Empty),
            ("nesting 10000", FibreMutator.DeepNesting(10_000)),
            ("nesting 64", FibreMutator.DeepNesting(63)),
            ("unary 10000", FibreMutator.DeepUnary(10_000)),
            ("unary 500", FibreMutator.DeepUnary(500)),
            ("1 MB of fibres", mutator.Huge(dwell, 1 << 20)),
            ("1 MB of garbage", mutator.Garbage(1 << 20)),
            ("1 MB comment", "// " + new string('x', 1 << 20)),
            ("1 MB line", "fibre f { param p = " + string.Concat(Enumerable.Repeat("1+", 1 << 19)) + "1; }"),
            ("huge numbers", Snippets.Base("param a = 1e400;", "param b = 99999999999999999999;", "param c = 1e-400;")),
            ("only braces", new string('{', 100_000)),
            ("nul bytes", "fibre\0f\0{\0}"),
            ("lone surrogates", "fibre f { \uD800 param \uDFFF p = 1; }"),
        };

        foreach (var (name, text) in inputs)
        {
            var result = CompileChecked(text, out var elapsed);
            _output.WriteLine($"{name}: {result.Diagnostics.Count} diagnostics in {elapsed.TotalMilliseconds:F0} ms; first {result.Diagnostics.FirstOrDefault()?.Id}");
            Assert.DoesNotContain(result.Diagnostics, static d => d.Id == "SIG9999");
            if (name != "nesting 64" && name != "unary 500")
            {
                Assert.Null(result.Spec);
            }
        }

        Assert.Contains(CompileChecked(FibreMutator.DeepNesting(10_000), out _).Diagnostics, static d => d.Id == "SIG0005");
        Assert.Contains(CompileChecked(FibreMutator.DeepUnary(10_000), out _).Diagnostics, static d => d.Id == "SIG0006");
        Assert.Contains(CompileChecked(Snippets.Base("param a = 1e400;"), out _).Diagnostics, static d => d.Id == "SIG0008");
    }

    // Check is build: a spec the compiler returns goes through every pure emitter (the non-C#
    // artefacts, the generator's C#, the eBPF C# mirror and baseline) without an exception.
    private static int EmitAll(Model.FibreSpec spec) =>
        Emit.ArtefactEmitter.EmitAll(spec).Count
        + Emit.CSharp.CSharpEmitter.Emit(spec, "Fuzz").Count
        + (Emit.Bpf.BpfEmitter.IsApplicable(spec) ? Emit.Bpf.BpfEmitter.EmitCSharp(spec, "Fuzz").Length / int.MaxValue + 1 + Emit.Bpf.BpfEmitter.EmitBaseline(spec).Content.Length / int.MaxValue + 1 : 0);

    private static int EmitEverything(Model.FibreSpec spec, string text)
    {
        try
        {
            Assert.Empty(Emit.ArtefactEmitter.Check(spec));
            return EmitAll(spec);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException("An emitter threw " + e.GetType().Name + " on a fibre the compiler accepted:\n" + Preview(text) + "\n" + e);
        }
    }

    private static CompilationResult CompileChecked(string text, out TimeSpan elapsed)
    {
        var watch = Stopwatch.StartNew();
        var processor = ThreadProcessorTime();
        CompilationResult result;
        try
        {
            result = SigilCompiler.Compile(new SourceFile("fuzz.sigil", text), Fibres.ReadTable);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException("Compile threw " + e.GetType().Name + " on input:\n" + Preview(text) + "\n" + e);
        }

        elapsed = watch.Elapsed;
        var used = ThreadProcessorTime() - processor;
        Assert.True(used < s_perInputBound, $"Compile took {used.TotalMilliseconds:F0} ms of processor time ({elapsed.TotalMilliseconds:F0} ms wall) on:\n{Preview(text)}");
        var hasErrors = result.Diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal(hasErrors, result.Spec is null);
        Assert.True(result.Diagnostics.Count <= DiagnosticBag.MaxErrors + 20);
        foreach (var d in result.Diagnostics)
        {
            Assert.NotNull(DiagnosticDescriptors.Find(d.Id));
            Assert.False(string.IsNullOrEmpty(d.Message));
            Assert.InRange(d.Span.Start, 0, text.Length);
            Assert.InRange(d.Span.End, d.Span.Start, text.Length);
            Assert.True(d.LineSpan.Start.Line <= d.LineSpan.End.Line);
        }

        return result;
    }

    private static string Preview(string text) => text.Length <= 400 ? text : text.Substring(0, 400) + "...";

    // The calling thread's processor time (CLOCK_THREAD_CPUTIME_ID); .NET has no managed call for it.
    private static TimeSpan ThreadProcessorTime()
    {
        Assert.Equal(0, ClockGetTime(3, out var now));
        return TimeSpan.FromTicks((now.Seconds * TimeSpan.TicksPerSecond) + (now.Nanoseconds / 100));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
