using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Sigil.Llvm.Tests;

/// <summary>A test that pins BPF maps: it needs root and a mounted bpffs, and says so when it skips.</summary>
public sealed class BpfFactAttribute : FactAttribute
{
    public BpfFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "BPF maps need Linux";
        }
        else if (!Toolchain.IsRoot)
        {
            Skip = "pinning a BPF map needs root";
        }
        else if (!File.ReadAllText("/proc/mounts").Contains(" /sys/fs/bpf bpf ", StringComparison.Ordinal))
        {
            Skip = "bpffs is not mounted at /sys/fs/bpf (eng/setup.sh mounts it)";
        }
    }
}

/// <summary>
/// A real pinned BPF hash map laid out as a fibre's price map (key u32 tgid, value u64 fixed
/// point), made and written with bpftool, in a folder of its own under /sys/fs/bpf.
/// </summary>
internal sealed class PriceMap : IDisposable
{
    private readonly string _folder;

    public PriceMap(string name)
    {
        _folder = $"/sys/fs/bpf/sigil-test-{Guid.NewGuid():N}";
        Directory.CreateDirectory(_folder);
        Path = _folder + "/" + name;
        Toolchain.RunChecked(Toolchain.Bpftool, ["map", "create", Path, "type", "hash", "key", "4", "value", "8", "entries", "1024", "name", name]);
    }

    public string Path { get; }

    public void Set(int tgid, ulong price)
    {
        var arguments = new List<string> { "map", "update", "pinned", Path, "key" };
        arguments.AddRange(Bytes(BitConverter.GetBytes((uint)tgid)));
        arguments.Add("value");
        arguments.AddRange(Bytes(BitConverter.GetBytes(price)));
        Toolchain.RunChecked(Toolchain.Bpftool, arguments);
    }

    public void Dispose()
    {
        File.Delete(Path);
        Directory.Delete(_folder);
    }

    private static IEnumerable<string> Bytes(byte[] bytes) =>
        bytes.Select(b => "0x" + b.ToString("x2", CultureInfo.InvariantCulture));
}

/// <summary>The shared price page, written whole with the daemon's own layout code.</summary>
internal static class PricePage
{
    public static void Write(string path, int scaleBits, int capacity, IReadOnlyDictionary<int, ulong> prices, ulong sharedPrice = 0) =>
        File.WriteAllBytes(path, Sigil.Runtime.Hosting.SharedPricePage.Image(scaleBits, capacity, prices, sharedPrice));
}

/// <summary>The counters an instrumented program's hook prints at exit (PREFIX_STATS=1).</summary>
internal sealed record HookStats(string Source, ulong Price, ulong Updates, ulong Backoffs, ulong BackoffNs, ulong Refusals, IReadOnlyDictionary<ulong, ulong> Sites)
{
    public static HookStats Parse(string pass, string stderr)
    {
        var line = Regex.Match(stderr, Regex.Escape(pass) + @": pid \d+ source (\w+) price (\d+) updates (\d+) backoffs (\d+) backoff_ns (\d+) refusals (\d+)");
        Assert.True(line.Success, "no hook report in: " + stderr);
        ulong U(int group) => ulong.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);
        var sites = Regex.Matches(stderr, Regex.Escape(pass) + @": site 0x([0-9a-f]{16}) rule \d+ updates (\d+)")
            .ToDictionary(m => ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture), m => ulong.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return new HookStats(line.Groups[1].Value, U(2), U(3), U(4), U(5), U(6), sites);
    }
}

/// <summary>
/// Runs a program whose price is set before it starts: a shell waits on its input, the test
/// sets the price for the shell's pid, then the shell execs the program under the same pid.
/// </summary>
internal static class PricedRun
{
    public static ProcessResult Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, Action<int> setPrice, Action<int>? whileRunning = null)
    {
        var shell = new List<string> { "-c", "read _; exec \"$0\" \"$@\"", program };
        shell.AddRange(arguments);
        using var process = Toolchain.Start("/bin/sh", shell, null, environment, redirectInput: true);
        try
        {
            setPrice(process.Id);
            var clock = Stopwatch.StartNew();
            process.StandardInput.WriteLine();
            process.StandardInput.Close();
            whileRunning?.Invoke(process.Id);
            return Toolchain.Finish(process, clock, TimeSpan.FromMinutes(2));
        }
        catch
        {
            // a shell still waiting for its go line must not outlive the test
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }
    }
}
