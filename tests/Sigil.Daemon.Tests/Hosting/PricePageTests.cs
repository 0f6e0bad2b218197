using System.Buffers.Binary;
using System.Diagnostics;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// What instrumented programs' hooks read from the daemon: the shared price page (read here the
/// way the generated hook reads it) and the pinned price map.
/// </summary>
[Collection(Sequential.Name)]
public sealed class PricePageTests
{
    private const int Scale = 20;

    [Fact]
    public void Page_PricesInPlace_RebuildsWhenTheSetChanges_AndEveryProcessIsFoundByProbing()
    {
        using var dir = new TempDirectory();
        using var page = new SharedPricePage(dir.Combine("p.prices"), Scale, agents: 64);
        Assert.Equal(256, page.Capacity);

        // 60 processes whose ids collide in the table (multiples of the capacity probe the same way).
        var prices = Enumerable.Range(1, 60).Select(i => (Tgid: i * 256, Price: i * 0.5)).ToList();
        page.Publish(prices);
        Assert.Equal(1, page.Rebuilds);
        Assert.All(prices, p => Assert.Equal((ulong)(p.Price * (1 << Scale)), Read(page.Path, p.Tgid)));
        Assert.Equal(0UL, Read(page.Path, 77));

        // The same processes at new prices: written in place, no rebuild.
        page.Publish(prices.Select(p => (p.Tgid, p.Price + 1)));
        Assert.Equal(1, page.Rebuilds);
        Assert.All(prices, p => Assert.Equal((ulong)((p.Price + 1) * (1 << Scale)), Read(page.Path, p.Tgid)));

        // A price back at 0 takes the process out; the rest are still found.
        page.Publish(prices.Select(p => (p.Tgid, p.Tgid == 256 ? 0 : p.Price)));
        Assert.Equal(2, page.Rebuilds);
        Assert.Equal(0UL, Read(page.Path, 256));
        Assert.All(prices.Skip(1), p => Assert.Equal((ulong)(p.Price * (1 << Scale)), Read(page.Path, p.Tgid)));
        Assert.Equal(0UL, Sequence(page.Path) % 2);

        var path = page.Path;
        page.Dispose();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Daemon_KeepsThePageAndPinsThePriceMap_WhileItRuns_AndRemovesBoth()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("held"), "x");
        using var child = Shell($"read go; exec 3<'{dir.Combine("held")}'; sleep 0.6; exec 3<&-; sleep 30");
        var pagePath = dir.Combine("dwell.prices");
        var pinPath = "/sys/fs/bpf/sigil/dwell/price_dwell";
        try
        {
            // One hold of at least 0.6 s over a 0.1 s budget: the price is 2 * (hold - 0.1), at
            // least 1, and at most what the time since the go allows (a loaded machine holds longer).
            var fibre = Fixtures.Dwell(budget: 0.1, step: 2, throttle: 50, kill: 100);
            var options = new DaemonOptions
            {
                Sensor = SensorChoice.Kernel,
                Scope = [child.Id],
                Tick = TimeSpan.FromMilliseconds(100),
                MetricsUrl = null,
                StateDirectory = dir.Combine("state"),
                PricePage = pagePath,
                LogFormat = LogFormat.None,
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            (double Daemon, ulong Page, long Pinned)? seen = null;
            var sinceGo = new Stopwatch();
            var longestHold = TimeSpan.Zero;
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                KernelFactory = new BpfKernelFibreFactory(KernelObjects.DwellFor(fibre)) { Scope = [(uint)child.Id] },
                Started = a =>
                {
                    a.Engine.TickCompleted += _ =>
                    {
                        if (seen is null && a.Engine.Agents.Find(child.Id) is { } agent && agent.Prices[0] > 0)
                        {
                            using var pinned = BpfMap.OpenPinned(pinPath);
                            pinned.TryLookup((uint)child.Id, out long kernel);
                            seen = (agent.Prices[0], Read(pagePath, child.Id), kernel);
                            longestHold = sinceGo.Elapsed;
                            stop.Cancel();
                        }
                    };
                    sinceGo.Start();
                    child.StandardInput.WriteLine("go");
                    child.StandardInput.Flush();
                },
            };

            Assert.Equal(DaemonExitCodes.Ok, await launcher.RunAsync(fibre, options, stop.Token));
            Assert.NotNull(seen);
            var (daemon, onPage, inMap) = seen!.Value;
            Assert.InRange(daemon, 0.99, Math.Max(1.01, 2 * (longestHold.TotalSeconds - 0.1)));
            Assert.Equal(FixedPoint.ToFixed(daemon, Scale), (long)onPage);
            Assert.Equal(FixedPoint.ToFixed(daemon, Scale), inMap);
            Assert.False(File.Exists(pagePath), "the page outlived the daemon");
            Assert.False(File.Exists(pinPath), "the pin outlived the daemon");
            Assert.False(Directory.Exists("/sys/fs/bpf/sigil/dwell"), "the fibre's pin folder outlived the daemon");
        }
        finally
        {
            child.Kill();
        }
    }

    private static Process Shell(string script)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        return Process.Start(info)!;
    }

    private static ulong Sequence(string path) => BinaryPrimitives.ReadUInt64LittleEndian(File.ReadAllBytes(path).AsSpan(16));

    [Fact]
    public void Page_KeysAProcessInAPidNamespaceAlsoByItsNamespaceAndItsPidThere()
    {
        // As in a container: its own PID namespace (and there pid 1). The daemon knows it by its
        // host tgid; a hook inside knows only its namespace's inode and getpid().
        using var dir = new TempDirectory();
        using var inside = Process.Start(new ProcessStartInfo("unshare", ["--pid", "--fork", "--mount-proc", "sleep", "30"]) { UseShellExecute = false })!;
        try
        {
            var tgid = 0;
            for (var clock = Stopwatch.StartNew(); tgid == 0 && clock.Elapsed < TimeSpan.FromSeconds(5); Thread.Sleep(5))
            {
                var children = File.ReadAllText($"/proc/{inside.Id}/task/{inside.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
                tgid = children.Length == 1 ? int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture) : 0;
            }

            Assert.True(tgid > 1, "unshare started no child");
            // "pid:[INODE]", as readlink shows it
            var link = new FileInfo($"/proc/{tgid}/ns/pid").LinkTarget!;
            var ns = uint.Parse(link["pid:[".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotEqual(SharedPricePage.InitialNamespace, ns);
            Assert.Equal((ns, 1), Sigil.Runtime.Enforcement.ProcessIdentity.PidNamespace(tgid));

            using var page = new SharedPricePage(dir.Combine("p.prices"), Scale, agents: 4);
            page.Publish([(tgid, 7), (Environment.ProcessId, 3)]);
            Assert.Equal(7UL << Scale, Read(page.Path, tgid));
            Assert.Equal(7UL << Scale, Read(page.Path, 1, ns));
            Assert.Equal(3UL << Scale, Read(page.Path, Environment.ProcessId));

            // The host's pid 1 is another process: its key is not the container's pid 1.
            Assert.Equal(0UL, Read(page.Path, 1));
        }
        finally
        {
            inside.Kill(entireProcessTree: true);
            inside.WaitForExit();
        }
    }

    // The generated hook's page_lookup: check the header, probe from
    // ((pid ^ ns * 2246822507) * 2654435761) mod capacity for the key (pid, ns).
    private static ulong Read(string path, int pid, uint ns = SharedPricePage.InitialNamespace)
    {
        var bytes = File.ReadAllBytes(path).AsSpan();
        Assert.Equal(SharedPricePage.Magic, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]));
        Assert.Equal((uint)Scale, BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]));
        var capacity = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        Assert.True(capacity > 0 && (capacity & (capacity - 1)) == 0);
        Assert.True(bytes.Length >= 64 + (16 * capacity));
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]) % 2);
        var mask = capacity - 1;
        for (uint n = 0, i = unchecked(((uint)pid ^ (ns * 2246822507u)) * 2654435761u) & mask; n <= mask; n++, i = (i + 1) & mask)
        {
            var key = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)(64 + (16 * i))..]);
            if (key == 0)
            {
                return 0;
            }

            if (key == (uint)pid && BinaryPrimitives.ReadUInt32LittleEndian(bytes[(int)(64 + (16 * i) + 4)..]) == ns)
            {
                return BinaryPrimitives.ReadUInt64LittleEndian(bytes[(int)(64 + (16 * i) + 8)..]);
            }
        }

        return 0;
    }
}
