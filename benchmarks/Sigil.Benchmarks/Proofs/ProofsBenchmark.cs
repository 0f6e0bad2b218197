using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using Sigil.Language;
using Sigil.Language.Emit.Coq;
using Sigil.Runtime.Proofs;

namespace Sigil.Benchmarks.Proofs;

/// <summary>
/// The <c>proofs</c> suite: how long coqc takes to check the Coq library once and each fibre's
/// generated file, against a baseline measured in the same run (coqc on a file that only
/// requires what a fibre file requires: the fixed cost of starting Coq and loading the
/// libraries); then what the proof step adds to <c>dotnet build</c> of the fibre project
/// (src/Sigil.Fibres) after its fibres changed, against the same build with
/// <c>SigilSkipCoq=true</c>, in the same run. Prints two tables against the issue's targets: a
/// fibre file at most 1 s of processor time beyond coqc's start-up, the library under 10 s, the
/// build with proofs at most 2x the build without.
/// </summary>
/// <remarks>
/// Hand-timed rather than BenchmarkDotNet: each measurement is a coqc process of about a second,
/// so the median of a few runs is the figure, with wall and processor (user + system) time side
/// by side because the machine's load moves the wall time.
/// The build rows need src/Sigil.Fibres built once (<c>dotnet build src/Sigil.Fibres -c Release</c>);
/// each measured build touches fibres/*.sigil and removes the fibres' compiled .vo files, so the
/// generator, the artefact steps and (in the proof rows) coqc really run, with no compiler server
/// or node reuse, so all the build's processor time is in reaped children.
/// Usage: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- proofs [runs]</c>.
/// </remarks>
internal static class ProofsBenchmark
{
    public static int Run(string[] args)
    {
        // The benchmark project references Sigil.Generators directly, and that project hands
        // Sigil.Language to its consumers with IncludeRuntimeDependency="false" (it is meant for
        // analyzer references), so Sigil.Language is missing from Sigil.Benchmarks.deps.json and
        // the host does not find it although it sits beside the benchmark. Load it from there.
        AssemblyLoadContext.Default.Resolving += static (context, name) =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
            return name.Name == "Sigil.Language" && File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
        };
        return Measure(args);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Measure(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 5;
        var coqc = Coqc.Find(null);
        if (coqc is null)
        {
            Console.WriteLine("proofs: coqc was not found (Debian package coq); nothing to measure");
            return 1;
        }

        var repository = BenchmarkRepository.Root;
        var work = Path.Combine(Path.GetTempPath(), "sigil-proofs-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(work);
        var sources = CoqLibrary.Load(Path.Combine(repository, "proofs"));

        var rows = new List<Row>();
        CompiledCoqLibrary? library = null;
        var libraryTimes = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        for (var i = 0; i < runs; i++)
        {
            var before = ChildProcessTime.Total();
            library = CoqLibrary.CompileFresh(coqc, sources, Path.Combine(work, "library"), TimeSpan.FromMinutes(5));
            if (!library.Ok)
            {
                Console.WriteLine("proofs: the library failed: " + library.Error);
                return 1;
            }

            libraryTimes.Add((library.Time, ChildProcessTime.Total() - before));
        }

        var fibres = Fibres(repository);
        var baselineFile = Path.Combine(work, "Baseline.v");
        File.WriteAllText(baselineFile, RequiresOnly(fibres.Select(static f => f.Text)));
        var baseline = Time(coqc, library!, baselineFile, runs);
        rows.Add(new Row("baseline: start coqc, load the libraries", "-", baseline.Wall, baseline.Cpu));
        rows.Add(new Row($"library ({sources.Files.Count} files, once)", "-", Median(libraryTimes.Select(static t => t.Wall)), Median(libraryTimes.Select(static t => t.Cpu))));
        foreach (var fibre in fibres)
        {
            var file = Path.Combine(work, fibre.Name + ".v");
            File.WriteAllText(file, fibre.Text);
            var time = Time(coqc, library!, file, runs);
            rows.Add(new Row($"fibre {fibre.Name} ({fibre.Origin})", fibre.Theorems.ToString(CultureInfo.InvariantCulture), time.Wall, time.Cpu));
        }

        Print(coqc, runs, rows, baseline);
        Directory.Delete(work, recursive: true);
        var filesMet = rows.Skip(2).All(r => r.Cpu - baseline.Cpu <= TimeSpan.FromSeconds(1));
        var libraryMet = rows[1].Cpu < TimeSpan.FromSeconds(10);
        var build = BuildRatio(repository, runs);
        return filesMet && libraryMet && (build is null || build.Value) ? 0 : 2;
    }

    /// <summary>
    /// dotnet build of src/Sigil.Fibres after its fibres changed, with and without the proof
    /// step, alternating so the machine's load falls on both alike; prints the table and returns
    /// whether the ratio meets 2x (null when the project is not built).
    /// </summary>
    private static bool? BuildRatio(string repository, int runs)
    {
        var project = Path.Combine(repository, "src", "Sigil.Fibres");
        var obj = Path.Combine(project, "obj", "sigil");
        if (!Directory.Exists(Path.Combine(project, "bin", "Release")) || !Directory.Exists(obj))
        {
            Console.WriteLine("proofs: src/Sigil.Fibres is not built (dotnet build src/Sigil.Fibres -c Release); no build rows");
            return null;
        }

        var fibres = Directory.GetFiles(Path.Combine(repository, "fibres"), "*.sigil");
        var with = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        var without = new List<(TimeSpan Wall, TimeSpan Cpu)>();
        for (var i = 0; i < runs + 1; i++)
        {
            foreach (var skip in new[] { true, false })
            {
                foreach (var fibre in fibres)
                {
                    File.SetLastWriteTimeUtc(fibre, DateTime.UtcNow);
                }

                foreach (var compiled in Directory.GetFiles(obj, "*.vo", SearchOption.AllDirectories))
                {
                    File.Delete(compiled);
                }

                var before = ChildProcessTime.Total();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var arguments = new List<string> { "build", project, "-c", "Release", "--no-dependencies", "-nologo", "-v:q", "-nodeReuse:false", "-p:UseSharedCompilation=false" };
                if (skip)
                {
                    arguments.Add("-p:SigilSkipCoq=true");
                }

                ChildProcess.RunChecked("dotnet", arguments, repository);
                var time = (watch.Elapsed, ChildProcessTime.Total() - before);
                if (i > 0)
                {
                    // The first round warms the file cache and the SDK's resolvers.
                    (skip ? without : with).Add(time);
                }
            }
        }

        var withWall = Median(with.Select(static t => t.Wall));
        var withCpu = Median(with.Select(static t => t.Cpu));
        var withoutWall = Median(without.Select(static t => t.Wall));
        var withoutCpu = Median(without.Select(static t => t.Cpu));
        var ratio = withoutCpu > TimeSpan.Zero ? withCpu.TotalSeconds / withoutCpu.TotalSeconds : double.NaN;
        static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine($"dotnet build src/Sigil.Fibres after its {fibres.Length} fibres changed, median of {runs} runs after one warm-up; target: with proofs at most 2x without (processor time)");
        Console.WriteLine("| build | wall s | cpu s | cpu / without |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| without the proof step (SigilSkipCoq=true) | {S(withoutWall)} | {S(withoutCpu)} | 1.00 |");
        Console.WriteLine($"| with the proof step | {S(withWall)} | {S(withCpu)} | {ratio.ToString("0.00", CultureInfo.InvariantCulture)} |");
        return ratio <= 2;
    }

    private sealed record Row(string What, string Theorems, TimeSpan Wall, TimeSpan Cpu);

    private sealed record Fibre(string Name, string Text, int Theorems, string Origin);

    /// <summary>
    /// The fibres' Coq files: emitted from fibres/*.sigil when the front end compiles them, else
    /// the emitter's checked baselines (tests/Sigil.Proofs.Tests/Baselines), which tests keep
    /// equal to the emitter's output for models mirroring those files.
    /// </summary>
    private static List<Fibre> Fibres(string repository)
    {
        var fibres = new List<Fibre>();
        foreach (var path in Directory.GetFiles(Path.Combine(repository, "fibres"), "*.sigil").OrderBy(static p => p, StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(path)!;
            var result = SigilCompiler.Compile(new SourceFile(path, File.ReadAllText(path)), name =>
            {
                var table = Path.Combine(folder, name);
                return File.Exists(table) ? File.ReadAllText(table) : null;
            });
            var name = Path.GetFileNameWithoutExtension(path);
            if (result.Spec is not null)
            {
                var document = CoqEmitter.Build(result.Spec);
                fibres.Add(new Fibre(name, CoqEmitter.Render(document), document.Theorems.Count, "compiled"));
                continue;
            }

            var baseline = Path.Combine(repository, "tests", "Sigil.Proofs.Tests", "Baselines", name, "coq." + name + ".v.txt");
            if (File.Exists(baseline))
            {
                var text = File.ReadAllText(baseline);
                var theorems = text.Split('\n').Count(static l => l.StartsWith("Theorem ", StringComparison.Ordinal));
                fibres.Add(new Fibre(name, text, theorems, "baseline"));
            }
        }

        return fibres;
    }

    /// <summary>The Require and Import lines of the fibre files: what every fibre file pays before its first theorem.</summary>
    private static string RequiresOnly(IEnumerable<string> texts)
    {
        var lines = new SortedSet<string>(StringComparer.Ordinal);
        var libraries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith("From Coq Require", StringComparison.Ordinal))
                {
                    lines.Add(line);
                }
                else if (line.StartsWith("From Sigil Require Import ", StringComparison.Ordinal))
                {
                    foreach (var library in line["From Sigil Require Import ".Length..].TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        libraries.Add(library);
                    }
                }
            }
        }

        return string.Join("\n", lines) + "\nFrom Sigil Require Import " + string.Join(" ", libraries) + ".\n";
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Time(Coqc coqc, CompiledCoqLibrary library, string file, int runs)
    {
        var walls = new List<TimeSpan>();
        var cpus = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            var before = ChildProcessTime.Total();
            var run = coqc.Run(new[] { "-q" }.Concat(library.LoadPath).Append(file), Path.GetDirectoryName(file)!, TimeSpan.FromMinutes(2));
            if (!run.Succeeded)
            {
                throw new InvalidOperationException($"coqc rejected {file}: {run.Output}");
            }

            walls.Add(run.Elapsed);
            cpus.Add(ChildProcessTime.Total() - before);
        }

        return (Median(walls), Median(cpus));
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> times)
    {
        var sorted = times.OrderBy(static t => t).ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[sorted.Count / 2];
    }

    private static void Print(Coqc coqc, int runs, List<Row> rows, (TimeSpan Wall, TimeSpan Cpu) baseline)
    {
        static string S(TimeSpan t) => t.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);
        static string Ratio(TimeSpan t, TimeSpan b) => b > TimeSpan.Zero ? (t.TotalSeconds / b.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture) : "-";

        Console.WriteLine($"proofs: {coqc.Version}, median of {runs} runs; cpu = user + system time of coqc; targets: a fibre file at most 1 s of cpu beyond the baseline, the library under 10 s");
        var width = Math.Max(40, rows.Max(static r => r.What.Length));
        Console.WriteLine($"| {"what".PadRight(width)} | theorems | wall s | cpu s | wall / baseline | cpu / baseline | cpu - baseline s |");
        Console.WriteLine($"|{new string('-', width + 2)}|---------:|-------:|------:|----------------:|---------------:|-----------------:|");
        foreach (var row in rows)
        {
            var beyond = row.Theorems == "-" ? "-" : S(row.Cpu - baseline.Cpu);
            Console.WriteLine($"| {row.What.PadRight(width)} | {row.Theorems,8} | {S(row.Wall),6} | {S(row.Cpu),5} | {Ratio(row.Wall, baseline.Wall),15} | {Ratio(row.Cpu, baseline.Cpu),14} | {beyond,16} |");
        }
    }
}
