using System.Diagnostics;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Language.Emit.Llvm;

namespace Sigil.Llvm.Tests;

/// <summary>
/// Instrumented builds of samples/llvm/copy.c, linked with the generated hook, run against a real
/// pinned BPF map or a shared price page: at price 0 nothing happens, at a high price the fibre's
/// response does, and the hook counts exactly what it did.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class HookRuntimeTests
{
    private const int ScaleBits = 20;
    private const int Block = 4096;
    private const int Blocks = 64;
    private static readonly ulong s_writeSite = LlvmSites.CallSiteId("write_all", "write", 0);
    private static readonly ulong s_pwriteSite = LlvmSites.CallSiteId("copy_positioned", "pwrite", 0);

    private readonly LlvmFixture _fixture;

    public HookRuntimeTests(LlvmFixture fixture) => _fixture = fixture;

    [BpfFact]
    public void Dwell_PriceInBpfMap_BacksOffEveryWriteByPriceTimesUs()
    {
        var dwell = _fixture.Dwell;
        var copy = dwell.CompileProgram(Toolchain.CopySample, Path.Combine(dwell.Root, "copy-static"));
        var source = Toolchain.RandomFile(dwell.Root, "in-backoff.bin", Block * Blocks);
        using var map = new PriceMap("price_dwell");

        foreach (var positioned in new[] { false, true })
        {
            var target = Path.Combine(dwell.Root, $"out-backoff-{positioned}.bin");
            var arguments = positioned ? new[] { "-p", "-b", "4096", source, target } : new[] { "-b", "4096", source, target };

            // price 2: 2 * 100 us before each of the 64 writes
            var result = PricedRun.Run(copy, arguments, _fixture.Dwell.HookEnvironment(map: map.Path), pid => map.Set(pid, 2UL << ScaleBits));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
            var stats = HookStats.Parse("sigil-dwell", result.Stderr);
            Assert.Equal("map", stats.Source);
            Assert.Equal(2UL << ScaleBits, stats.Price);
            Assert.Equal((ulong)Blocks, stats.Updates);
            Assert.Equal((ulong)Blocks, stats.Backoffs);
            Assert.Equal((ulong)Blocks * 200_000, stats.BackoffNs);
            Assert.Equal(0UL, stats.Refusals);
            Assert.Equal(new Dictionary<ulong, ulong> { [positioned ? s_pwriteSite : s_writeSite] = Blocks }, stats.Sites);
            Assert.True(result.Elapsed >= TimeSpan.FromMilliseconds(Blocks * 0.2), $"{result.Elapsed} is shorter than the back-off");
        }
    }

    [BpfFact]
    public void Dwell_PriceZeroInBpfMap_NoResponse()
    {
        var dwell = _fixture.Dwell;
        var (copy, source, target, _) = dwell.CopyCase("zero", Block * Blocks);
        using var map = new PriceMap("price_dwell");

        var result = PricedRun.Run(copy, ["-b", "4096", source, target], _fixture.Dwell.HookEnvironment(map: map.Path), pid => map.Set(pid, 0));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        var stats = HookStats.Parse("sigil-dwell", result.Stderr);
        Assert.Equal("map", stats.Source);
        Assert.Equal(0UL, stats.Price);
        Assert.Equal(0UL, stats.Updates);
        Assert.Equal(0UL, stats.Backoffs);
        Assert.Empty(stats.Sites);
    }

    [BpfFact]
    public void Dwell_SharedHookLibrary_ReadsTheSameMap()
    {
        var dwell = _fixture.Dwell;
        var (copy, source, target, _) = dwell.CopyCase("shared", Block * Blocks, shared: true);
        using var map = new PriceMap("price_dwell");

        // price 1.5: 150 us per write
        var result = PricedRun.Run(copy, ["-b", "4096", source, target], _fixture.Dwell.HookEnvironment(map: map.Path), pid => map.Set(pid, 3UL << (ScaleBits - 1)));

        Assert.True(result.ExitCode == 0, result.ToString());
        var stats = HookStats.Parse("sigil-dwell", result.Stderr);
        Assert.Equal("map", stats.Source);
        Assert.Equal((ulong)Blocks, stats.Backoffs);
        Assert.Equal((ulong)Blocks * 150_000, stats.BackoffNs);
    }

    [BpfFact]
    public void Dwell_PriceSetWhileRunning_ReachesTheProgram()
    {
        // copy reads from a FIFO the test feeds: 16 blocks at price 0, then (once the refresher
        // thread has had ten periods to see the new price) 16 more at price 50: 5 ms per write.
        var dwell = _fixture.Dwell;
        var copy = dwell.CompileProgram(Toolchain.CopySample, Path.Combine(dwell.Root, "copy-live"));
        var fifo = Path.Combine(dwell.Root, "live.fifo");
        Toolchain.RunChecked("mkfifo", [fifo]);
        var target = Path.Combine(dwell.Root, "out-live.bin");
        using var map = new PriceMap("price_dwell");
        var block = new byte[Block];

        var tasks = new List<(string Name, List<string> Files)>();
        var result = PricedRun.Run(
            copy,
            ["-b", "4096", fifo, target],
            _fixture.Dwell.HookEnvironment(map: map.Path),
            pid => map.Set(pid, 0),
            pid =>
            {
                using var feed = new FileStream(fifo, FileMode.Open, FileAccess.Write);

                // The refresher names itself once it runs: give it a moment to have done so.
                var named = Stopwatch.StartNew();
                do
                {
                    tasks = Tasks(pid);
                }
                while (!(tasks.Count == 2 && tasks[1].Name != tasks[0].Name) && named.Elapsed < TimeSpan.FromSeconds(2) && Sleep(10));
                for (var i = 0; i < 16; i++)
                {
                    feed.Write(block);
                    feed.Flush();
                }

                Thread.Sleep(200);
                map.Set(pid, 50UL << ScaleBits);
                Thread.Sleep(200);
                for (var i = 0; i < 16; i++)
                {
                    feed.Write(block);
                    feed.Flush();
                }
            });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(32L * Block, new FileInfo(target).Length);
        var stats = HookStats.Parse("sigil-dwell", result.Stderr);
        Assert.Equal(50UL << ScaleBits, stats.Price);
        Assert.InRange(stats.Backoffs, 16UL, 32UL); // every write after the change; a pipe may split a block
        Assert.Equal(stats.Backoffs * 5_000_000, stats.BackoffNs);

        // The refresher is a thread with a file table of its own, holding the map alone; the
        // program's table does not hold it (so the program stays single-threaded for the kernel's
        // file fast paths).
        Assert.Equal(2, tasks.Count);
        Assert.Equal("copy-live", tasks[0].Name);
        Assert.DoesNotContain(tasks[0].Files, f => f.Contains("bpf", StringComparison.Ordinal));
        Assert.Equal("sigil-dwell", tasks[1].Name);
        // ... and the program's status, which it reads to follow the program's privilege (docs/llvm.md).
        Assert.Equal(2, tasks[1].Files.Count);
        Assert.Contains("anon_inode:bpf-map", tasks[1].Files);
        Assert.Matches("^/proc/[0-9]+/status$", tasks[1].Files.Single(f => f != "anon_inode:bpf-map"));
    }

    private static bool Sleep(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return true;
    }

    // The tasks of a process, in id order: name and open files.
    private static List<(string Name, List<string> Files)> Tasks(int pid)
    {
        var tasks = new List<(string, List<string>)>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task").OrderBy(t => int.Parse(Path.GetFileName(t), System.Globalization.CultureInfo.InvariantCulture)))
        {
            var files = Directory.GetFiles(Path.Combine(task, "fd")).Select(f => new FileInfo(f).LinkTarget ?? string.Empty).ToList();
            tasks.Add((File.ReadAllText(Path.Combine(task, "comm")).Trim(), files));
        }

        return tasks;
    }

    [BpfFact]
    public void Dwell_Fork_ChildReadsItsOwnPriceWithItsOwnRefresher()
    {
        // The parent is priced; its child (a new tgid, not in the map) must not back off, and
        // must have a refresher of its own (two tasks: itself and the refresher).
        var dwell = _fixture.Dwell;
        var source = Path.Combine(dwell.Root, "fork.c");
        File.WriteAllText(source, """
            #include <dirent.h>
            #include <fcntl.h>
            #include <stdio.h>
            #include <sys/wait.h>
            #include <unistd.h>
            #include "sigil_dwell_hook.h"

            static int tasks(void) {
                int n = 0;
                DIR *dir = opendir("/proc/self/task");
                while (dir && readdir(dir))
                    n++;
                if (dir)
                    closedir(dir);
                return n - 2; /* . and .. */
            }

            static void writes(const char *who) {
                struct sigil_dwell_hook_stats stats;
                int fd = open("/dev/null", O_WRONLY);
                for (int i = 0; i < 10; i++)
                    if (write(fd, "x", 1) != 1)
                        return;
                close(fd);
                sigil_dwell_hook_stats_get(&stats);
                printf("%s backoffs %llu tasks %d\n", who, (unsigned long long)stats.backoffs, tasks());
                fflush(stdout);
            }

            int main(void) {
                pid_t child = fork();
                if (child == 0) {
                    writes("child");
                    return 0;
                }
                waitpid(child, NULL, 0);
                writes("parent");
                return 0;
            }
            """);
        var program = Path.Combine(dwell.Root, "fork");
        Toolchain.RunChecked(Toolchain.Clang, ["-O2", "-fpass-plugin=" + dwell.Plugin, "-I" + dwell.LlvmFolder, source, dwell.HookArchive, "-pthread", "-o", program]);
        using var map = new PriceMap("price_dwell");

        var result = PricedRun.Run(program, [], _fixture.Dwell.HookEnvironment(map: map.Path), pid => map.Set(pid, 1UL << ScaleBits));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("child backoffs 0 tasks 2\nparent backoffs 10 tasks 2\n", result.Stdout);
    }

    [Fact]
    public void Dwell_NoPriceSource_NoResponse()
    {
        var dwell = _fixture.Dwell;
        var (copy, source, target, _) = dwell.CopyCase("none", Block * 4);

        var result = Toolchain.Run(copy, [source, target], environment: _fixture.Dwell.HookEnvironment(map: Path.Combine(dwell.Root, "no-such-map")));

        Assert.True(result.ExitCode == 0, result.ToString());
        var stats = HookStats.Parse("sigil-dwell", result.Stderr);
        Assert.Equal("none", stats.Source);
        Assert.Equal(0UL, stats.Updates);
    }

    [Fact]
    public void Gate_PriceInSharedPage_RefusesTheWriteWithEagain()
    {
        var gate = _fixture.Gate;
        var (copy, source, target, page) = gate.CopyCase("refuse", Block * 8);

        var result = PricedRun.Run(copy, [source, target], _fixture.Gate.HookEnvironment(page: page), pid => PricePage.Write(page, ScaleBits, 64, new Dictionary<int, ulong> { [pid] = 1UL << ScaleBits, [pid + 1] = 7 }));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("copy: write: Resource temporarily unavailable", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, new FileInfo(target).Length);
        var stats = HookStats.Parse("sigil-gate", result.Stderr);
        Assert.Equal("page", stats.Source);
        Assert.Equal(1UL << ScaleBits, stats.Price);
        Assert.Equal(1UL, stats.Refusals);
        Assert.Equal(2UL, stats.Updates); // the read (after it returned), then the refused write
        Assert.Equal(1UL, stats.Sites[LlvmSites.CallSiteId("copy_stream", "read", 0)]);
        Assert.Equal(1UL, stats.Sites[s_writeSite]);
    }

    [Fact]
    public void Gate_PriceInSharedPage_RefusesTheEntryOfCopyPositioned()
    {
        var gate = _fixture.Gate;
        var (copy, source, target, page) = gate.CopyCase("entry", Block * 8);

        var result = PricedRun.Run(copy, ["-p", source, target], _fixture.Gate.HookEnvironment(page: page), pid => PricePage.Write(page, ScaleBits, 16, new Dictionary<int, ulong> { [pid] = 3UL << ScaleBits }));

        Assert.Equal(255, result.ExitCode); // copy_positioned returned -1 before doing anything
        Assert.DoesNotContain("copy:", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, new FileInfo(target).Length);
        var stats = HookStats.Parse("sigil-gate", result.Stderr);
        Assert.Equal(1UL, stats.Refusals);
        Assert.Equal(new Dictionary<ulong, ulong> { [LlvmSites.EntrySiteId("copy_positioned")] = 1 }, stats.Sites);
    }

    [Fact]
    public void Gate_PriceZeroInSharedPage_CopiesUntouched()
    {
        var gate = _fixture.Gate;
        var (copy, source, target, page) = gate.CopyCase("gate-zero", Block * 8);

        // another process is priced; this one is not in the page
        var result = PricedRun.Run(copy, [source, target], _fixture.Gate.HookEnvironment(page: page), pid => PricePage.Write(page, ScaleBits, 16, new Dictionary<int, ulong> { [pid + 1] = 9UL << ScaleBits }));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(target));
        var stats = HookStats.Parse("sigil-gate", result.Stderr);
        Assert.Equal("page", stats.Source);
        Assert.Equal(0UL, stats.Updates);
        Assert.Equal(0UL, stats.Refusals);
    }

    [Fact]
    public void Gate_PageWithAnotherScale_IsNotTrusted()
    {
        var gate = _fixture.Gate;
        var (copy, source, target, page) = gate.CopyCase("scale", Block);

        var result = PricedRun.Run(copy, [source, target], _fixture.Gate.HookEnvironment(page: page), pid => PricePage.Write(page, 16, 16, new Dictionary<int, ulong> { [pid] = 1UL << 16 }));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("none", HookStats.Parse("sigil-gate", result.Stderr).Source);
    }
}
