using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Runtime.Hosting;

namespace Sigil.Benchmarks.Daemon;

/// <summary>
/// Daemon start-up time and memory against their floors, in one run: an empty .NET console
/// program, a program that starts ASP.NET Core's Kestrel and answers one endpoint, a program on
/// the Sigil.Solvers package alone that solves one problem, and <c>sigil run</c> on the dwell
/// fibre (the /proc sensor, metrics served) of this build and, given <c>--before &lt;sigil.dll&gt;</c>,
/// of another build (main before the package split, built into a folder of its own). Start-up is
/// the time from process start to "ready" (a line on stdout, or /healthz answering), median of
/// the runs; memory is read from /proc/&lt;pid&gt;/smaps_rollup after the settle time, and the
/// PSS of the last run is broken down by what maps it (/proc/&lt;pid&gt;/smaps): the .NET and
/// ASP.NET Core framework assemblies, the program's own assemblies, the native runtime, and
/// anonymous memory (GC heap, JIT code, native heap).
/// Run: <c>dotnet run -c Release --project benchmarks/Sigil.Benchmarks -- startup [runs] [settle seconds] [--before path/to/sigil.dll]</c>.
/// </summary>
internal static class StartupBenchmark
{
    public static int Run(string[] args)
    {
        var before = args.SkipWhile(static a => a != "--before").Skip(1).FirstOrDefault();
        var numbers = args.TakeWhile(static a => a != "--before").ToArray();
        var runs = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 3;
        var settle = TimeSpan.FromSeconds(numbers.Length > 1 ? double.Parse(numbers[1], CultureInfo.InvariantCulture) : 10);
        var sigil = DaemonBenchmark.FindSigil(BenchmarkRepository.Root);
        if (sigil is null)
        {
            Console.Error.WriteLine("sigil.dll not found: build it first (dotnet build src/Sigil.Cli -c Release)");
            return 1;
        }

        var solvers = Path.Combine(Path.GetDirectoryName(sigil)!, "Sigil.Solvers.dll");
        var work = Directory.CreateTempSubdirectory("sigil-startup-");
        try
        {
            Console.WriteLine($"Start-up to ready (median of {runs}) and memory {settle.TotalSeconds:0} s after ready; {Environment.ProcessorCount} cores");
            var empty = BuildProgram(work.FullName, "empty", "Microsoft.NET.Sdk", string.Empty, """
                System.Console.WriteLine("ready");
                System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
                """);
            var kestrel = BuildProgram(work.FullName, "kestrel", "Microsoft.NET.Sdk.Web", string.Empty, """
                var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder(args);
                builder.Logging.ClearProviders();
                var app = builder.Build();
                app.MapGet("/healthz", () => "ok");
                app.Run();
                """);
            var solver = BuildProgram(work.FullName, "solver", "Microsoft.NET.Sdk", $"<Reference Include=\"Sigil.Solvers\"><HintPath>{solvers}</HintPath></Reference><Reference Include=\"Sigil.Descriptors\"><HintPath>{Path.Combine(Path.GetDirectoryName(sigil)!, "Sigil.Descriptors.dll")}</HintPath></Reference>", """
                using Sigil.Runtime.Solvers;
                var a = CouplingMatrix.FromTriplets(rowCount: 2, columnCount: 2, rows: [0, 0, 1], columns: [0, 1, 1], values: [1.0, 1.0, 1.0]);
                var agents = new LogAgents(weight: [1.0, 2.0], offset: [1e-3, 1e-3], lower: [0.0, 0.0], upper: [100.0, 100.0]);
                var problem = new NumProblem<LogAgents>(a, [10.0, 3.0], [RowSense.LessOrEqual, RowSense.LessOrEqual], agents);
                System.Console.WriteLine(new DualSolver<LogAgents>(problem).Solve().Status == SolveStatus.Solved ? "ready" : "failed");
                System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite);
                """);

            var descriptor = Path.Combine(work.FullName, "dwell.daemon.json");
            File.WriteAllText(descriptor, DaemonFibreFile.Write(DaemonBenchmark.DwellFibre()));
            var rows = new List<(string Name, Result Result)>
            {
                ("floor: empty .NET console program", Measure(runs, settle, _ => (Launch(empty), null))),
                ("floor: Kestrel answering /healthz", Measure(runs, settle, _ => Healthy(kestrel, [], "--urls"))),
                ("Sigil.Solvers alone, one solve", Measure(runs, settle, _ => (Launch(solver), null))),
            };
            if (before is not null)
            {
                rows.Add(("daemon before the split (--before)", Measure(runs, settle, i => Healthy(before, ["run", descriptor, "--sensor", "procfs", "--state-dir", Path.Combine(work.FullName, "state-before-" + i), "--log-format", "none", "--table", "false"], "--metrics-url"))));
            }

            rows.Add(("daemon, this build", Measure(runs, settle, i => Healthy(sigil, ["run", descriptor, "--sensor", "procfs", "--state-dir", Path.Combine(work.FullName, "state-" + i), "--log-format", "none", "--table", "false"], "--metrics-url"))));

            Console.WriteLine();
            Console.WriteLine($"{"process",-38} {"start ms",9} {"rss MB",7} {"pss MB",7} {"private",8} | {"pss: .NET",9} {"asp.net",8} {"program",8} {"native",7} {"anon",6} {"dlls",5}");
            foreach (var (name, r) in rows)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-38} {r.StartMs,9:0} {r.RssMb,7:0.0} {r.PssMb,7:0.0} {r.PrivateMb,8:0.0} | {r.Pss.NetCore,9:0.0} {r.Pss.AspNetCore,8:0.0} {r.Pss.Program,8:0.0} {r.Pss.Native,7:0.0} {r.Pss.Anonymous,6:0.0} {r.Assemblies,5}"));
            }

            Console.WriteLine();
            Console.WriteLine("pss splits shared pages among the processes mapping them; private is the process's own. The breakdown: .NET = Microsoft.NETCore.App");
            Console.WriteLine("assemblies, asp.net = Microsoft.AspNetCore.App assemblies, program = the assemblies beside the program, native = libcoreclr, libclrjit,");
            Console.WriteLine("libc and other .so files, anon = GC heap, JIT code (also its W^X double map, /memfd:doublemapper) and native heap; dlls = managed assemblies mapped.");
            return 0;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record Breakdown(double NetCore, double AspNetCore, double Program, double Native, double Anonymous);

    private sealed record Result(double StartMs, double RssMb, double PssMb, double PrivateMb, Breakdown Pss, int Assemblies);

    // Starts the program runs times; each start returns the process and, for a served one, nothing to wait for
    // (Healthy waited already). The memory of the last run is read after the settle time.
    private static Result Measure(int runs, TimeSpan settle, Func<int, (Process Process, Stopwatch? Clock)> start)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            var (process, served) = start(i);
            using var child = new DaemonBenchmark.Child(process);
            if (served is null)
            {
                var line = process.StandardOutput.ReadLine();
                if (line != "ready")
                {
                    throw new InvalidOperationException($"the program printed '{line}', not ready");
                }
            }

            times.Add((served ?? clock).Elapsed.TotalMilliseconds);
            if (i == runs - 1)
            {
                Thread.Sleep(settle);
                var rollup = DaemonBenchmark.Rollup(process.Id);
                var (breakdown, assemblies) = Smaps(process.Id);
                return new Result(Median(times), DaemonBenchmark.Status(process.Id, "VmRSS:"), rollup["Pss"], rollup["Private_Clean"] + rollup["Private_Dirty"], breakdown, assemblies);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(runs), "at least one run");
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static Process Launch(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    // A served program: started with its URL option on a free port, ready when /healthz answers.
    private static (Process, Stopwatch?) Healthy(string dll, string[] args, string urlOption)
    {
        var port = DaemonBenchmark.FreePort();
        var clock = Stopwatch.StartNew();
        var process = Launch(dll, [.. args, urlOption, $"http://127.0.0.1:{port}"]);
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        if (!DaemonBenchmark.TryWaitHealthy(port))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not answer /healthz");
        }

        clock.Stop();
        return (process, clock);
    }

    // PSS by what maps it, from /proc/<pid>/smaps, and the number of managed assemblies mapped.
    private static (Breakdown, int) Smaps(int pid)
    {
        double netCore = 0, aspNetCore = 0, program = 0, native = 0, anonymous = 0;
        var assemblies = new HashSet<string>(StringComparer.Ordinal);
        var path = string.Empty;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                path = fields.Length >= 6 ? fields[5] : string.Empty;
                if (path.EndsWith(".dll", StringComparison.Ordinal))
                {
                    assemblies.Add(path);
                }

                continue;
            }

            if (fields.Length >= 2 && fields[0] == "Pss:")
            {
                var mb = double.Parse(fields[1], CultureInfo.InvariantCulture) / 1024;
                if (path.Contains("/Microsoft.AspNetCore.App/", StringComparison.Ordinal))
                {
                    aspNetCore += mb;
                }
                else if (path.Contains("/Microsoft.NETCore.App/", StringComparison.Ordinal) && path.EndsWith(".dll", StringComparison.Ordinal))
                {
                    netCore += mb;
                }
                else if (path.EndsWith(".dll", StringComparison.Ordinal))
                {
                    program += mb;
                }
                else if (path.StartsWith('/') && !path.StartsWith("/memfd:", StringComparison.Ordinal))
                {
                    native += mb;
                }
                else
                {
                    anonymous += mb;
                }
            }
        }

        return (new Breakdown(netCore, aspNetCore, program, native, anonymous), assemblies.Count);
    }

    // A small program built outside the repository (none of its build settings), Release, invariant globalization like the sigil tool.
    private static string BuildProgram(string work, string name, string sdk, string reference, string program)
    {
        var folder = Directory.CreateDirectory(Path.Combine(work, name)).FullName;
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="{sdk}">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <InvariantGlobalization>true</InvariantGlobalization>
              </PropertyGroup>
              <ItemGroup>{reference}</ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), program);
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "-c", "Release", "-nologo", "-o", Path.Combine(folder, "out")]) { WorkingDirectory = folder, RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the {name} program failed:\n{output}");
        }

        return Path.Combine(folder, "out", name + ".dll");
    }
}
