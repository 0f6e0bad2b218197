using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Language.Emit.Llvm;
using Sigil.Runtime.Hosting;

namespace Sigil.Llvm.Tests;

/// <summary>
/// The hook where programs run: in a PID namespace it reads its own price (by its host tgid, the
/// kernel's key, or on the price page by its namespace and its pid there), never that of whichever
/// host process has its namespace pid; and its refresher thread,
/// which the C library's set*id() calls do not reach, follows the program's privilege drops.
/// </summary>
[Collection(LlvmCollection.Name)]
public sealed class HookPrivilegeTests
{
    private const int ScaleBits = 20;

    private readonly LlvmFixture _fixture;

    public HookPrivilegeTests(LlvmFixture fixture) => _fixture = fixture;

    [BpfFact]
    public void Dwell_UnderUnsharePid_ReadsThePriceOfItsHostTgid()
    {
        using var map = new PriceMap("price_dwell");
        var result = RunInPidNamespace(["--pid", "--fork"], map, page: string.Empty, waitTicks: 500);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"pid 1 price {7UL << ScaleBits}\n", result.Stdout, StringComparison.Ordinal);
    }

    [BpfFact]
    public void Dwell_InAContainerWithItsOwnProc_ReadsItsOwnPriceFromThePage()
    {
        // As an ordinary container: its own PID namespace and its own /proc, the daemon's price page
        // and pinned map reachable (the manifests mount the page's folder and bpffs). From inside,
        // the host tgid the kernel keys the map by cannot be learnt, so the hook leaves the map
        // (and its decoy at key 1, the program's namespace pid) alone and reads the page by its PID
        // namespace and its pid there, which the daemon's page writes beside the host tgid. The
        // host's pid 1 has a price too, which must not be taken for the container's.
        using var map = new PriceMap("price_dwell");
        var folder = Directory.CreateTempSubdirectory("sigil-ownproc-");
        try
        {
            using var page = new SharedPricePage(Path.Combine(folder.FullName, "dwell.prices"), ScaleBits, agents: 4);
            page.Publish([(1, 99)]);
            var result = RunInPidNamespace(["--mount", "--pid", "--fork", "--mount-proc"], map, page.Path, waitTicks: 500, setOwn: pid => page.Publish([(1, 99), (pid, 7)]));
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains($"pid 1 price {7UL << ScaleBits}\n", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [BpfFact]
    public void Dwell_InAContainerWithItsOwnProc_ReadsNoPriceWhenThePageHasNone()
    {
        // The same container with only the map reachable (no page): the hook cannot know its key
        // there, and fails open with price 0 rather than take the decoy at its namespace pid.
        using var map = new PriceMap("price_dwell");
        var result = RunInPidNamespace(["--mount", "--pid", "--fork", "--mount-proc"], map, page: string.Empty, waitTicks: 50);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("pid 1 price 0\n", result.Stdout, StringComparison.Ordinal);
    }

    // Runs a program that waits up to waitTicks * 10 ms for a nonzero price and prints it with the
    // pid it sees, under unshare with the given flags; a decoy price at key 1 (the program's
    // namespace pid) is set before it starts, its own (7) at its host tgid once it has one.
    private ProcessResult RunInPidNamespace(string[] flags, PriceMap map, string page, int waitTicks, Action<int>? setOwn = null)
    {
        var dwell = _fixture.Dwell;
        var program = Compile(dwell, "pidns", $$"""
            #include <stdint.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <unistd.h>
            extern uint64_t {{LlvmNames.PriceSymbol("dwell")}};
            int main(int argc, char **argv) {
                int ticks = argc > 1 ? atoi(argv[1]) : 500;
                for (int i = 0; i < ticks && {{LlvmNames.PriceSymbol("dwell")}} == 0; i++)
                    usleep(10000);
                printf("pid %d price %llu\n", (int)getpid(), (unsigned long long){{LlvmNames.PriceSymbol("dwell")}});
                return 0;
            }
            """);
        map.Set(1, 99UL << ScaleBits);
        using var unshare = Toolchain.Start("unshare", [.. flags, program, waitTicks.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, dwell.HookEnvironment(map: map.Path, page: page, stats: false, extra: ("REFRESH_US", "10000")), redirectInput: false);
        var clock = Stopwatch.StartNew();
        var child = 0;
        while (child == 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            var children = File.ReadAllText($"/proc/{unshare.Id}/task/{unshare.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            child = children.Length == 1 ? int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            Thread.Sleep(5);
        }

        Assert.True(child > 1, "unshare started no child");
        map.Set(child, 7UL << ScaleBits);
        setOwn?.Invoke(child);
        return Toolchain.Finish(unshare, clock, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Dwell_AfterSetuid_RefresherThreadHoldsTheDroppedUidAndNoCapabilities()
    {
        Assert.True(Toolchain.IsRoot, "needs root to drop from (the tests run as root here)");
        var dwell = _fixture.Dwell;
        var program = Compile(dwell, "setuid", $$"""
            #include <dirent.h>
            #include <grp.h>
            #include <stdint.h>
            #include <stdio.h>
            #include <string.h>
            #include <unistd.h>
            extern uint64_t {{LlvmNames.PriceSymbol("dwell")}};
            int main(void) {
                /* a read the compiler keeps: it links the hook, whose constructor starts the refresher */
                (void)*(volatile uint64_t *)&{{LlvmNames.PriceSymbol("dwell")}};
                usleep(50000); /* the refresher runs, as root */
                if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
                    perror("drop");
                    return 2;
                }
                usleep(200000); /* twenty of its periods */
                DIR *tasks = opendir("/proc/self/task");
                for (struct dirent *task; (task = readdir(tasks)) != NULL;) {
                    char path[300], line[512];
                    if (task->d_name[0] == '.')
                        continue;
                    snprintf(path, sizeof path, "/proc/self/task/%s/status", task->d_name);
                    FILE *status = fopen(path, "r");
                    while (status && fgets(line, sizeof line, status))
                        if (!strncmp(line, "Name:", 5) || !strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) ||
                            !strncmp(line, "CapEff:", 7) || !strncmp(line, "CapPrm:", 7))
                            fputs(line, stdout);
                    if (status)
                        fclose(status);
                }
                return 0;
            }
            """, "-D_GNU_SOURCE");
        var result = Toolchain.Run(program, [], null, _fixture.Dwell.HookEnvironment(stats: false, extra: ("REFRESH_US", "10000")));
        Assert.True(result.ExitCode == 0, result.ToString());

        // One block of five lines per thread: the program's and the refresher's.
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var threads = lines.Select((line, i) => (line, i)).Where(p => p.line.StartsWith("Name:", StringComparison.Ordinal)).Select(p => lines.Skip(p.i).Take(5).ToList()).ToList();
        Assert.Equal(2, threads.Count);
        var refresher = Assert.Single(threads, t => t[0] == "Name:\tsigil-dwell");
        Assert.Contains("Uid:\t65534\t65534\t65534\t65534", refresher);
        Assert.Contains("Gid:\t65534\t65534\t65534\t65534", refresher);
        Assert.Contains("CapEff:\t0000000000000000", refresher);
        Assert.Contains("CapPrm:\t0000000000000000", refresher);
    }

    private static string Compile(EmittedFibre fibre, string name, string text, string? define = null)
    {
        var source = Path.Combine(fibre.Root, name + ".c");
        File.WriteAllText(source, text);
        var output = Path.Combine(fibre.Root, name);
        var arguments = new List<string> { "-O2", "-Wall", "-Werror", "-fpass-plugin=" + fibre.Plugin, source, "-o", output, "-pthread", fibre.HookArchive };
        if (define is not null)
        {
            arguments.Insert(0, define);
        }

        Toolchain.RunChecked(Toolchain.Clang, arguments);
        return output;
    }
}
