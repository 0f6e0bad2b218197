using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Sigil.Runtime.Bpf;

namespace Sigil.Benchmarks.Bpf;

/// <summary>
/// The <c>bpf</c> suite (root). Part 1, the cost of the generated dwell program on the calls it
/// watches: openat+close pairs on tmpfs, and the tax on an unrelated call (getppid), with
/// nothing attached, with empty programs on the same tracepoints (the floor), with the
/// generated program, and with any objects named by <c>--attach</c>; one process, the order
/// rotated every repetition, medians and ranges. Part 2: records per second one C# thread drains
/// from the fibre's ring buffer while a BPF program (BPF_PROG_TEST_RUN) fills it. Part 3: the
/// ransomware fibre's behaviour program per write, per write that marks the inode dirty (its change
/// hook), per openat+close (on ext4) and per getppid, against empty programs on its own hooks (its
/// floor), dwell's floor and dwell, with each program's kernel run time per call.
/// </summary>
/// <remarks>
/// Options: <c>--repetitions N</c> (31), <c>--pairs N</c> per measurement (20,000),
/// <c>--calls N</c> getppid per measurement (200,000), <c>--attach obj.bpf.o</c> (repeatable),
/// <c>--ring-seconds S</c> per ring run (1), <c>--ring-runs N</c> (5), <c>--no-ring</c>, <c>--no-syscalls</c>, <c>--no-behaviour</c>,
/// <c>--compare ransomware.bpf.o</c>: another build of the behaviour program (an earlier commit's,
/// same maps) measured in part 3 beside this one, in the same repetitions.
/// A Stopwatch harness: BenchmarkDotNet cannot attach programs between its own iterations.
/// </remarks>
internal static class BpfBenchmarks
{
    private const string TmpfsFile = "/dev/shm/sigil-bpf-bench";
    private const int WarmUp = 5000;

    public static int Run(string[] args)
    {
        var options = Options.Parse(args);
        if (options is null)
        {
            return 2;
        }

        var missing = !BpfSystem.IsRoot ? "root" : !BpfSystem.HasKernelBtf ? "kernel BTF" : !BpfSystem.HasTracefs ? "tracefs (eng/setup.sh mounts it)" : null;
        if (missing is not null)
        {
            Console.Error.WriteLine($"the bpf suite needs {missing}");
            return 1;
        }

        Console.WriteLine($"bpf benchmark: kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");
        var objects = BpfBenchmarkObjects.Build();
        if (options.Syscalls)
        {
            SyscallCost(objects, options);
        }

        if (options.Ring)
        {
            RingThroughput(objects, options);
        }

        if (options.Behaviour)
        {
            BehaviourCost(objects, options);
        }

        return 0;
    }

    private static void SyscallCost(BpfBenchmarkObjects objects, Options options)
    {
        File.WriteAllText(TmpfsFile, "sigil");
        var self = (uint)Environment.ProcessId;
        var configurations = new List<Configuration>();
        var resources = new List<IDisposable>();
        try
        {
            configurations.Add(new Configuration("nothing attached (by this run)", () => null, null));

            var baseline = BpfObject.Open(objects.Baseline);
            resources.Add(baseline);
            baseline.Load();
            configurations.Add(new Configuration("empty programs, same hooks (floor)", baseline.AttachAll, null) { Object = baseline });

            // The generated program as shipped: scoped to this process, dwell far below the budget.
            var dwell = BpfFibre.Open(objects.Dwell, objects.Descriptor);
            resources.Add(dwell);
            dwell.Load();
            dwell.Scope(self);
            configurations.Add(new Configuration("generated dwell", dwell.Attach, dwell) { Object = dwell.Object });

            // Every close takes the whole kill check: budget 0, throttle and kill at the first
            // price unit, disarmed (the runner would be the daemon anyway).
            var killPath = BpfFibre.Open(objects.Dwell, objects.Descriptor);
            resources.Add(killPath);
            killPath.Configure(killPath.FixedPoint with { BudgetFixed = 0 });
            killPath.Load();
            killPath.Scope(self);
            killPath.SetThresholds(1, 1);
            configurations.Add(new Configuration("generated dwell, kill check taken", killPath.Attach, killPath) { Object = killPath.Object });

            foreach (var path in options.Attach)
            {
                var extra = BpfObject.Open(path);
                resources.Add(extra);
                extra.Load();
                configurations.Add(new Configuration(Path.GetFileName(path), extra.AttachAll, null) { Object = extra });
            }

            var pinned = Syscalls.PinToCpu(Environment.ProcessorCount - 1);
            Console.WriteLine();
            Console.WriteLine($"Part 1: cost per call, {options.Pairs:N0} openat+close pairs on tmpfs and {options.Calls:N0} getppid per measurement, {options.Repetitions} repetitions, order rotated;");
            Console.WriteLine("        times are this thread's CPU time (CLOCK_THREAD_CPUTIME_ID: the calls and the programs they run, not time spent waiting for a CPU)" + (pinned ? $", the thread pinned to CPU {Environment.ProcessorCount - 1}" : string.Empty));
            var pairs = configurations.ToDictionary(c => c.Name, _ => new List<double>());
            var calls = configurations.ToDictionary(c => c.Name, _ => new List<double>());
            Measure(configurations[0], options, out _, out _);
            for (var repetition = 0; repetition < options.Repetitions; repetition++)
            {
                for (var i = 0; i < configurations.Count; i++)
                {
                    var configuration = configurations[(i + repetition) % configurations.Count];
                    Measure(configuration, options, out var pairNs, out var callNs);
                    pairs[configuration.Name].Add(pairNs);
                    calls[configuration.Name].Add(callNs);
                }
            }

            PrintCostTable(configurations, pairs, calls, options);
            ProgramTime(configurations.Skip(1).Where(c => c.Object is not null).ToList(), options);
        }
        finally
        {
            foreach (var resource in Enumerable.Reverse(resources))
            {
                resource.Dispose();
            }

            File.Delete(TmpfsFile);
        }
    }

    private static unsafe void Measure(Configuration configuration, Options options, out double pairNs, out double callNs)
    {
        var before = configuration.Fibre?.ReadStats() ?? default;
        using (configuration.Attach())
        {
            var path = Encoding.UTF8.GetBytes(TmpfsFile + "\0");
            // Attaching and detaching patch kernel text and wait for RCU: let that settle, warm
            // the path up, then time.
            Thread.Sleep(50);
            fixed (byte* p = path)
            {
                for (var i = 0; i < WarmUp; i++)
                {
                    Syscalls.Close(Syscalls.OpenAt(Syscalls.AtFdCwd, p, Syscalls.ReadOnly, 0));
                }

                var start = Syscalls.ThreadCpuNanoseconds();
                for (var i = 0; i < options.Pairs; i++)
                {
                    var fd = Syscalls.OpenAt(Syscalls.AtFdCwd, p, Syscalls.ReadOnly, 0);
                    if (fd < 0)
                    {
                        throw new IOException($"openat {TmpfsFile} failed");
                    }

                    Syscalls.Close(fd);
                }

                pairNs = (double)(Syscalls.ThreadCpuNanoseconds() - start) / options.Pairs;
            }

            var start2 = Syscalls.ThreadCpuNanoseconds();
            for (var i = 0; i < options.Calls; i++)
            {
                Syscalls.GetParentPid();
            }

            callNs = (double)(Syscalls.ThreadCpuNanoseconds() - start2) / options.Calls;
        }

        if (configuration.Fibre is { } fibre)
        {
            // The program saw every pair of this measurement (and its warm-up).
            var stats = fibre.ReadStats().Since(before);
            configuration.Samples += stats.Samples;
            configuration.Dropped += stats.Dropped;
            configuration.Consistent &= fibre.ReadStats().IsConsistent;
        }
    }

    // The kernel's own accounting (BPF_STATS_RUN_TIME) of time inside each program, per pair:
    // separates the programs' work from the tracepoint machinery around them. A separate pass,
    // because the accounting itself costs two clock reads per run.
    private static void ProgramTime(List<Configuration> configurations, Options options)
    {
        Console.WriteLine();
        Console.WriteLine($"time inside the programs per openat+close pair (kernel accounting, a separate pass of {options.Pairs:N0} pairs):");
        var rows = new List<string[]> { new[] { "configuration", "program", "runs per pair", "ns per run", "ns per pair" } };
        using (BpfSystem.EnableRunTimeStatistics())
        {
            foreach (var configuration in configurations)
            {
                var before = configuration.Object!.Programs.Where(p => p.Fd >= 0).ToDictionary(p => p.Name, p => p.GetInfo());
                Measure(configuration, options, out _, out _);
                var total = 0.0;
                foreach (var program in configuration.Object.Programs.Where(p => p.Fd >= 0))
                {
                    var after = program.GetInfo();
                    var runs = after.RunCount - before[program.Name].RunCount;
                    var time = after.RunTimeNanoseconds - before[program.Name].RunTimeNanoseconds;
                    var perPair = (double)time / options.Pairs;
                    total += perPair;
                    rows.Add(new[] { configuration.Name, program.Name, ((double)runs / options.Pairs).ToString("0.00", CultureInfo.InvariantCulture), runs == 0 ? "-" : F((double)time / runs), F(perPair) });
                }

                rows.Add(new[] { configuration.Name, "all", string.Empty, string.Empty, F(total) });
            }
        }

        Table(rows);
    }

    // "Added" is the median over repetitions of (configuration - nothing attached) measured in the
    // same repetition: pairing cancels the drift of a shared, busy machine.
    private static void PrintCostTable(List<Configuration> configurations, Dictionary<string, List<double>> pairs, Dictionary<string, List<double>> calls, Options options)
    {
        var none = configurations[0].Name;
        double Added(Dictionary<string, List<double>> values, string name) =>
            Statistics.Median(values[name].Zip(values[none], (c, n) => c - n).ToList());
        var floor = Added(pairs, configurations[1].Name);
        var floorCall = Added(calls, configurations[1].Name);
        var rows = new List<string[]>
        {
            new[] { "configuration", "openat+close ns (median)", "range", "added ns", "added / floor", "getppid ns (median)", "range", "added ns", "samples seen" },
        };
        foreach (var c in configurations)
        {
            var p = pairs[c.Name];
            var g = calls[c.Name];
            var added = Added(pairs, c.Name);
            rows.Add(new[]
            {
                c.Name,
                F(Statistics.Median(p)),
                $"{F(p.Min())}-{F(p.Max())}",
                c == configurations[0] ? "-" : F(added),
                c == configurations[0] || c == configurations[1] ? "-" : (added / floor).ToString("0.00x", CultureInfo.InvariantCulture),
                F(Statistics.Median(g)),
                $"{F(g.Min())}-{F(g.Max())}",
                c == configurations[0] ? "-" : F(Added(calls, c.Name)),
                c.Fibre is null ? "-" : $"{c.Samples:N0}{(c.Dropped > 0 ? $" ({c.Dropped:N0} dropped)" : string.Empty)}{(c.Consistent ? string.Empty : " INCONSISTENT")}",
            });
        }

        Table(rows);
        var dwell = Added(pairs, "generated dwell");
        Console.WriteLine("added: median over repetitions of (configuration - nothing attached) in the same repetition");
        Console.WriteLine($"floor: empty programs add {F(floor)} ns per pair and {F(floorCall)} ns to getppid");
        Console.WriteLine($"target: generated dwell adds <= 2x the floor per pair: {(dwell / floor).ToString("0.00", CultureInfo.InvariantCulture)}x ({(dwell <= 2 * floor ? "met" : "NOT met")})");
        var best = pairs[none].Min();
        var bestFloor = pairs[configurations[1].Name].Min() - best;
        var bestDwell = pairs["generated dwell"].Min() - best;
        Console.WriteLine($"the same from the fastest repetition of each (least disturbed): floor {F(bestFloor)} ns, dwell {F(bestDwell)} ns, {(bestDwell / bestFloor).ToString("0.00", CultureInfo.InvariantCulture)}x");
        var expected = (ulong)options.Repetitions * (ulong)(options.Pairs + WarmUp);
        Console.WriteLine($"every measured pair was a sample of the generated programs: {configurations.Where(c => c.Fibre is not null).All(c => c.Samples >= expected)} (expected >= {expected:N0} each)");
    }

    // Part 3: the ransomware fibre's behaviour program (tp_btf on ext4's write path, the change hook,
    // reads, truncate, unlink, eviction and fork) against empty programs on its own hooks (its floor),
    // the empty programs on dwell's syscall tracepoints and the dwell program, on an ext4 file this
    // process wrote from empty (its own output, so the program records it and never prices it as
    // damage), all in the same run, the order rotated every repetition.
    private static unsafe void BehaviourCost(BpfBenchmarkObjects objects, Options options)
    {
        var folder = Path.Combine(BenchmarkRepository.Root, "artifacts", "bench", "bpf", "ext4-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "own-output");
        var self = (uint)Environment.ProcessId;
        var resources = new List<IDisposable>();
        var writes = Math.Max(1, options.Pairs / 4);
        const string None = "nothing attached (by this run)";
        const string Floor = "empty programs on the behaviour's hooks (floor)";
        const string Behaviour = "generated ransomware (behaviour)";
        try
        {
            var configurations = new List<(string Name, Func<IDisposable?> Attach, BpfObject? Object)> { (None, () => null, null) };
            var floor = BpfObject.Open(objects.RansomwareBaseline);
            resources.Add(floor);
            floor.Load();
            configurations.Add((Floor, floor.AttachAll, floor));
            var syscallFloor = BpfObject.Open(objects.Baseline);
            resources.Add(syscallFloor);
            syscallFloor.Load();
            configurations.Add(("empty programs on dwell's syscall hooks", syscallFloor.AttachAll, null));
            var dwell = BpfFibre.Open(objects.Dwell, objects.Descriptor);
            resources.Add(dwell);
            dwell.Load();
            dwell.Scope(self);
            configurations.Add(("generated dwell", dwell.Attach, null));
            var ransomware = BpfFibre.Open(objects.Ransomware, objects.RansomwareDescriptor);
            resources.Add(ransomware);
            ransomware.Load();
            ransomware.Scope(self);
            configurations.Add((Behaviour, ransomware.Attach, ransomware.Object));
            if (options.Compare is { } compare)
            {
                var other = BpfFibre.Open(compare, objects.RansomwareDescriptor);
                resources.Add(other);
                other.Load();
                other.Scope(self);
                configurations.Add(($"compared: {Path.GetFileName(compare)}", other.Attach, other.Object));
            }

            var path = Encoding.UTF8.GetBytes(file + "\0");
            var block = new byte[4096];
            var stat = new byte[Syscalls.StatSize];
            fixed (byte* p = path)
            fixed (byte* b = block)
            fixed (byte* st = stat)
            {
                File.Delete(file);
                var fd = Syscalls.OpenAt(Syscalls.AtFdCwd, p, Syscalls.ReadWrite | Syscalls.Create, 0x1A4);
                if (fd < 0)
                {
                    throw new IOException($"cannot create {file}");
                }

                // What each measurement times: a 4 KiB pwrite at offset 0 (the write path: write_begin);
                // fstat then the same pwrite (a stat marks the ctime as queried, so the write stamps a
                // fine-grained time and marks the inode dirty: the change hook runs on every write);
                // openat+close of the file; getppid (no file at all).
                var pathPointer = (nint)p;
                var blockPointer = (nint)b;
                var statPointer = (nint)st;
                var workloads = new (string Name, int Count, Action Run)[]
                {
                    ("pwrite 4 KiB", writes, () => Syscalls.PWrite(fd, (byte*)blockPointer, 4096, 0)),
                    ("fstat+pwrite", writes, () =>
                    {
                        Syscalls.FStat(fd, (byte*)statPointer);
                        Syscalls.PWrite(fd, (byte*)blockPointer, 4096, 0);
                    }),
                    ("openat+close", options.Pairs, () => Syscalls.Close(Syscalls.OpenAt(Syscalls.AtFdCwd, (byte*)pathPointer, Syscalls.ReadOnly, 0))),
                    ("getppid", options.Calls, () => Syscalls.GetParentPid()),
                };
                var results = configurations.ToDictionary(c => c.Name, _ => workloads.Select(_ => new List<double>()).ToArray());
                try
                {
                    var before = ransomware.ReadStats();
                    for (var repetition = 0; repetition < options.Repetitions; repetition++)
                    {
                        for (var i = 0; i < configurations.Count; i++)
                        {
                            var (name, attach, _) = configurations[(i + repetition) % configurations.Count];
                            using (attach())
                            {
                                Thread.Sleep(50);
                                for (var w = 0; w < workloads.Length; w++)
                                {
                                    results[name][w].Add(TimeEach(workloads[w].Count, workloads[w].Run));
                                }
                            }
                        }
                    }

                    Console.WriteLine();
                    Console.WriteLine($"Part 3: the ransomware behaviour program on ext4 ({folder}): per measurement {writes:N0} pwrite of 4 KiB at offset 0 of a file this process wrote from empty, {writes:N0} fstat+pwrite of it, {options.Pairs:N0} openat+close of it and {options.Calls:N0} getppid; {options.Repetitions} repetitions, order rotated; thread CPU time");
                    double Added(string name, int w) => Statistics.Median(results[name][w].Zip(results[None][w], (c, n) => c - n).ToList());
                    var header = new List<string> { "configuration" };
                    foreach (var (workload, _, _) in workloads)
                    {
                        header.AddRange(new[] { workload + " ns", "added", "added / floor" });
                    }

                    var rows = new List<string[]> { header.ToArray() };
                    foreach (var (name, _, _) in configurations)
                    {
                        var row = new List<string> { name };
                        for (var w = 0; w < workloads.Length; w++)
                        {
                            var floorAdded = Added(Floor, w);
                            row.Add(F(Statistics.Median(results[name][w])));
                            row.Add(name == None ? "-" : F(Added(name, w)));
                            row.Add(name is None or Floor ? "-" : floorAdded < 5 ? "n/a" : (Added(name, w) / floorAdded).ToString("0.00x", CultureInfo.InvariantCulture));
                        }

                        rows.Add(row.ToArray());
                    }

                    Table(rows);
                    var seen = ransomware.ReadStats().Since(before);
                    var price = ransomware.TryGetPrice(self, out var fixedPrice) ? FixedPoint.ToDouble(fixedPrice, 20) : 0;
                    Console.WriteLine($"added: median over repetitions of (configuration - nothing attached) in the same repetition; \"n/a\": the floor adds under 5 ns (no hook of the behaviour program on that call). The behaviour program ran {seen.Seen:N0} times ({seen.Processed:N0} processed); this process's price {price.ToString("0.###", CultureInfo.InvariantCulture)} (bytes written only: its own file is never damage)");
                    for (var w = 0; w < workloads.Length; w++)
                    {
                        var added = Added(Behaviour, w);
                        var floorAdded = Added(Floor, w);
                        var verdict = floorAdded < 5
                            ? $"the floor adds {F(floorAdded)} ns (no hook on this call); the program adds {F(added)} ns"
                            : $"{(added / floorAdded).ToString("0.00", CultureInfo.InvariantCulture)}x the floor's {F(floorAdded)} ns: target <= 2x {(added <= 2 * floorAdded ? "met" : "NOT met")}";
                        Console.WriteLine($"  {workloads[w].Name}: the behaviour program adds {F(added)} ns per call ({(100 * added / Statistics.Median(results[None][w])).ToString("0", CultureInfo.InvariantCulture)}% of it); {verdict}");
                    }

                    Console.WriteLine($"  getppid: {F(Added(Behaviour, 3))} ns added (target under 10 ns: {(Added(Behaviour, 3) < 10 ? "met" : "NOT met")}); the empty programs on dwell's syscall hooks add {F(Added("empty programs on dwell's syscall hooks", 3))} ns");
                    BehaviourProgramTime(configurations.Where(c => c.Object is not null).Select(c => (c.Name, c.Attach, c.Object!)).ToList(), workloads.Take(2).ToArray());
                }
                finally
                {
                    Syscalls.Close(fd);
                }
            }
        }
        finally
        {
            foreach (var resource in Enumerable.Reverse(resources))
            {
                resource.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    // Thread CPU time per call of count calls of run, after a warm-up.
    private static double TimeEach(int count, Action run)
    {
        for (var w = 0; w < WarmUp; w++)
        {
            run();
        }

        var start = Syscalls.ThreadCpuNanoseconds();
        for (var n = 0; n < count; n++)
        {
            run();
        }

        return (double)(Syscalls.ThreadCpuNanoseconds() - start) / count;
    }

    // The profile: the kernel's accounting (BPF_STATS_RUN_TIME) of each program's runs and time per
    // call of each write workload, for the behaviour program and its floor (a separate pass: the
    // accounting adds two clock reads per run).
    private static void BehaviourProgramTime(List<(string Name, Func<IDisposable?> Attach, BpfObject Object)> configurations, (string Name, int Count, Action Run)[] workloads)
    {
        Console.WriteLine();
        Console.WriteLine("time inside each program per call (kernel accounting, a separate pass):");
        var rows = new List<string[]> { new[] { "configuration", "workload", "program", "runs per call", "ns per run", "ns per call" } };
        using (BpfSystem.EnableRunTimeStatistics())
        {
            foreach (var (name, attach, bpf) in configurations)
            {
                using (attach())
                {
                    Thread.Sleep(50);
                    foreach (var (workload, count, run) in workloads)
                    {
                        var programs = bpf.Programs.Where(p => p.Fd >= 0).ToList();
                        var before = programs.ToDictionary(p => p.Name, p => p.GetInfo());
                        TimeEach(count, run);
                        var total = 0.0;
                        foreach (var program in programs)
                        {
                            var after = program.GetInfo();
                            var runs = after.RunCount - before[program.Name].RunCount;
                            var time = after.RunTimeNanoseconds - before[program.Name].RunTimeNanoseconds;
                            if (runs == 0)
                            {
                                continue;
                            }

                            total += (double)time / (count + WarmUp);
                            rows.Add(new[] { name, workload, program.Name, ((double)runs / (count + WarmUp)).ToString("0.00", CultureInfo.InvariantCulture), F((double)time / runs), F((double)time / (count + WarmUp)) });
                        }

                        rows.Add(new[] { name, workload, "all", string.Empty, string.Empty, F(total) });
                    }
                }
            }
        }

        Table(rows);
    }

    private static void RingThroughput(BpfBenchmarkObjects objects, Options options)
    {
        using var fibre = BpfFibre.Open(objects.Dwell, objects.Descriptor);
        fibre.Load();
        using var producer = BpfObject.Open(objects.Producer);
        producer.Map("events").Reuse(fibre.Object.Map(objects.Descriptor.EventsMap));
        producer.Load();
        var program = producer.Program("produce_events");
        var counts = producer.Map("produced");
        var handler = new CountingHandler();
        using var ring = fibre.OpenEvents(handler);

        Console.WriteLine();
        Console.WriteLine($"Part 2: ring buffer ({objects.Descriptor.EventsMap}, {fibre.Object.Map(objects.Descriptor.EventsMap).MaxEntries >> 10} KiB) drained by one C# thread (ring_buffer__poll, unmanaged callback, no allocation per record); a BPF program fills it (BPF_PROG_TEST_RUN, {producer.GetTunable<uint>("batch"):N0} records per run) from another thread; {options.RingRuns} runs of {options.RingSeconds:0.##} s");
        var rows = new List<string[]> { new[] { "run", "records drained", "drained per second", "submitted per second", "lost (ring full)" } };
        var rates = new List<double>();
        for (var run = 0; run < options.RingRuns; run++)
        {
            ring.Consume();
            var drained0 = handler.Count;
            var produced0 = counts.Lookup<uint, ulong>(0u);
            var lost0 = counts.Lookup<uint, ulong>(1u);
            var stop = 0;
            var thread = new Thread(() =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    program.TestRun(repeat: 0);
                }
            }) { IsBackground = true };
            var clock = Stopwatch.StartNew();
            thread.Start();
            while (clock.Elapsed.TotalSeconds < options.RingSeconds)
            {
                ring.Poll(10);
            }

            var drained = handler.Count - drained0;
            var seconds = clock.Elapsed.TotalSeconds;
            Volatile.Write(ref stop, 1);
            thread.Join();
            var produced = counts.Lookup<uint, ulong>(0u) - produced0;
            var lost = counts.Lookup<uint, ulong>(1u) - lost0;
            rates.Add(drained / seconds);
            rows.Add(new[] { (run + 1).ToString(CultureInfo.InvariantCulture), drained.ToString("N0", CultureInfo.InvariantCulture), (drained / seconds).ToString("N0", CultureInfo.InvariantCulture), (produced / seconds).ToString("N0", CultureInfo.InvariantCulture), lost.ToString("N0", CultureInfo.InvariantCulture) });
        }

        ring.Consume();
        Table(rows);
        var median = Statistics.Median(rates);
        Console.WriteLine($"median {median.ToString("N0", CultureInfo.InvariantCulture)} records/s drained (range {rates.Min().ToString("N0", CultureInfo.InvariantCulture)}-{rates.Max().ToString("N0", CultureInfo.InvariantCulture)}); target >= 2,000,000: {(median >= 2_000_000 ? "met" : "NOT met")}; malformed records: {ring.Malformed}, records not SAMPLE: {handler.Unexpected}");
    }

    private static string F(double ns) => ns.ToString("0", CultureInfo.InvariantCulture);

    private static void Table(List<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            Console.WriteLine(string.Join("  ", rows[r].Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))));
            if (r == 0)
            {
                Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }

    private sealed class Configuration
    {
        public Configuration(string name, Func<IDisposable?> attach, BpfFibre? fibre)
        {
            Name = name;
            Attach = attach;
            Fibre = fibre;
        }

        public string Name { get; }

        public Func<IDisposable?> Attach { get; }

        public BpfFibre? Fibre { get; }

        public BpfObject? Object { get; init; }

        public ulong Samples { get; set; }

        public ulong Dropped { get; set; }

        public bool Consistent { get; set; } = true;
    }

    private sealed class CountingHandler : IBpfEventHandler<SigilEvent>
    {
        public long Count;
        public long Unexpected;

        public void OnEvent(in SigilEvent record)
        {
            Count++;
            if (record.Kind != (uint)SigilEventKind.Sample)
            {
                Unexpected++;
            }
        }
    }

    private sealed class Options
    {
        public int Repetitions { get; private set; } = 31;

        public int Pairs { get; private set; } = 20_000;

        public int Calls { get; private set; } = 200_000;

        public List<string> Attach { get; } = new();

        public double RingSeconds { get; private set; } = 1;

        public int RingRuns { get; private set; } = 5;

        public bool Ring { get; private set; } = true;

        public bool Syscalls { get; private set; } = true;

        public bool Behaviour { get; private set; } = true;

        public string? Compare { get; private set; }

        public static Options? Parse(string[] args)
        {
            var options = new Options();
            for (var i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                try
                {
                    switch (args[i])
                    {
                        case "--repetitions": options.Repetitions = Positive(Next()); break;
                        case "--pairs": options.Pairs = Positive(Next()); break;
                        case "--calls": options.Calls = Positive(Next()); break;
                        case "--attach":
                            var path = Next();
                            if (!File.Exists(path))
                            {
                                throw new ArgumentException($"--attach {path}: no such file");
                            }

                            options.Attach.Add(Path.GetFullPath(path));
                            break;
                        case "--ring-seconds": options.RingSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                        case "--ring-runs": options.RingRuns = Positive(Next()); break;
                        case "--no-ring": options.Ring = false; break;
                        case "--no-syscalls": options.Syscalls = false; break;
                        case "--no-behaviour": options.Behaviour = false; break;
                        case "--compare":
                            options.Compare = Path.GetFullPath(Next());
                            if (!File.Exists(options.Compare))
                            {
                                throw new ArgumentException($"--compare {options.Compare}: no such file");
                            }

                            break;
                        default: throw new ArgumentException($"unknown option {args[i]}");
                    }
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    Console.Error.WriteLine($"bpf: {e.Message}");
                    Console.Error.WriteLine("options: --repetitions N, --pairs N, --calls N, --attach obj.bpf.o (repeatable), --ring-seconds S, --ring-runs N, --no-ring, --no-syscalls, --no-behaviour, --compare ransomware.bpf.o");
                    return null;
                }
            }

            return options;
        }

        private static int Positive(string text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"'{text}' is not a positive integer");
    }
}
