using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using Sigil.Bpf.Tests.Generated;
using Sigil.Bpf.Tests.Fixtures;
using Sigil.Language.Emit.Bpf;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;

namespace Sigil.Bpf.Tests.Infrastructure;

/// <summary>
/// The ransomware fibre's harness: its object built from fibres/ransomware.sigil, a corpus with a
/// SHA-256 manifest, and workloads run with the same discipline every time: prepare, start the
/// workload behind a gate (a fifo it blocks on), load and arm the program scoped to it, then open
/// the gate. The behaviours live in eng/ransomware/behaviours.py, which the demo runs too.
/// </summary>
public static class RansomwareHarness
{
    private static readonly Lazy<string> s_object = new(Build);
    private static int s_serial;

    /// <summary>ransomware.bpf.o, built from the shipped fibre the way the build builds it.</summary>
    public static string ObjectPath => s_object.Value;

    /// <summary>The behaviours script (shared with the demo, eng/ransomware/).</summary>
    public static string Behaviours => Path.Combine(Repository.Root, "eng", "ransomware", "behaviours.py");

    /// <summary>The benign workloads' preparation script (shared with the demo).</summary>
    public static string Benign => Path.Combine(Repository.Root, "eng", "ransomware", "benign.sh");

    /// <summary>A fresh folder under the scratch space, unique to this run.</summary>
    public static string Folder(string name)
    {
        var path = Path.Combine(Repository.Scratch("ransomware"), $"{name}-{Environment.ProcessId}-{Interlocked.Increment(ref s_serial)}");
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes a corpus of <paramref name="count"/> files (4 KiB to 1 MiB, text and binary) and returns its manifest.</summary>
    public static IReadOnlyList<(string Hash, string Path)> Corpus(string folder, int count, int seed)
    {
        var (code, output, error) = Shell.Run("python3", new[] { Behaviours, "corpus", folder, count.ToString(CultureInfo.InvariantCulture), seed.ToString(CultureInfo.InvariantCulture) });
        Assert.True(code == 0, error);
        Shell.RunChecked("sync");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => (l[..64], l[66..])).ToList();
    }

    /// <summary>Files of the manifest whose original path is gone or holds other bytes.</summary>
    public static int Damaged(IReadOnlyList<(string Hash, string Path)> manifest) =>
        manifest.Count(m => !File.Exists(m.Path) || Hash(m.Path) != m.Hash);

    /// <summary>
    /// Files of the manifest whose bytes are found nowhere under <paramref name="folder"/> any more
    /// (damaged, and not merely renamed: a file renamed intact is damaged but not lost).
    /// </summary>
    public static int Lost(IReadOnlyList<(string Hash, string Path)> manifest, string folder)
    {
        var present = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(Hash).ToHashSet(StringComparer.Ordinal);
        return manifest.Count(m => !present.Contains(m.Hash));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    /// <summary>
    /// Runs <paramref name="script"/> (bash) in <paramref name="workdir"/> as one agent, armed and
    /// scoped to it; waits at most <paramref name="timeout"/> for it to end.
    /// </summary>
    public static AgentRun Run(string script, string workdir, TimeSpan timeout, Action<BpfFibre>? setup = null, bool armed = true)
    {
        var gate = Path.Combine(workdir, ".gate");
        Shell.RunChecked("mkfifo", gate);
        var start = new ProcessStartInfo("bash", new[] { "-c", $"read _ < {gate}; {script}" })
        {
            WorkingDirectory = workdir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        using var process = Process.Start(start)!;
        var output = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.Add("stderr: " + e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var fibre = BpfFibre.Open(ObjectPath);
        fibre.Load();
        fibre.Scope((uint)process.Id);
        if (armed)
        {
            fibre.Arm();
        }

        setup?.Invoke(fibre);
        using var events = new EventLog(fibre);
        using (fibre.Attach())
        {
            File.WriteAllText(gate, "go\n");
            var ended = process.WaitForExit(timeout);
            if (!ended)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.WaitForExit();
            events.Drain();
            var agent = fibre.Object.Map(RansomwareBpf.AgentMap).TryLookup((uint)process.Id, out RansomwareAgentState state) ? state : (RansomwareAgentState?)null;
            return new AgentRun(
                (uint)process.Id,
                ended,
                process.ExitCode,
                events.Events.ToList(),
                fibre.ReadStats(),
                fibre.Prices().Select(static p => p.Value).DefaultIfEmpty(0).Max(),
                output.ToList())
            {
                State = agent,
            };
        }
    }

    /// <summary>Gives the executables at <paramref name="paths"/> the class weight <paramref name="weight"/> (0 spares them).</summary>
    public static void Classify(BpfFibre fibre, double weight, params string[] paths)
    {
        var map = fibre.Object.Map(RansomwareBpf.ClassesMap);
        foreach (var path in paths.Where(File.Exists))
        {
            map.Update(ExeKey(path), FixedPoint.ToFixed(weight, 20));
        }
    }

    /// <summary>The shipped fibre's class statements, resolved here as the daemon resolves them at load.</summary>
    public static void ApplyFibreClasses(BpfFibre fibre)
    {
        foreach (var c in ShippedFibres.Ransomware.Classes)
        {
            Classify(fibre, c.Weight, c.Members.Executables.ToArray());
        }
    }

    /// <summary>Allow-lists the executable at <paramref name="path"/> (never signalled nor frozen).</summary>
    public static void AllowExecutable(BpfFibre fibre, string path) =>
        fibre.Object.Map(RansomwareBpf.AllowExesMap).Update(ExeKey(path), 1u);

    /// <summary>Allow-lists the cgroup v2 with id <paramref name="id"/> and its descendants.</summary>
    public static void AllowCgroup(BpfFibre fibre, ulong id) =>
        fibre.Object.Map(RansomwareBpf.AllowCgroupsMap).Update(id, 1u);

    private static RansomwareExeKey ExeKey(string path)
    {
        var (dev, ino) = ProcessIdentity.Executable(path, out var problem) ?? throw new IOException($"cannot stat {path}: {problem}");
        return new RansomwareExeKey { Dev = dev, Ino = ino };
    }

    private static string Build()
    {
        var sources = BpfObjects.Write(BpfObjects.ArtefactFolder("ransomware"), BpfEmitter.Emit(ShippedFibres.Ransomware)).ToList();
        BpfObjects.Compile(sources);
        return Path.ChangeExtension(sources.Single(), ".o");
    }
}

/// <summary>What one agent did under the armed program.</summary>
public sealed record AgentRun(uint Pid, bool Ended, int ExitCode, IReadOnlyList<SigilEvent> Events, SigilStats Stats, long MaxPrice, IReadOnlyList<string> Output)
{
    /// <summary>The agent's state in the kernel after the run (its sensed totals), or null when it has none.</summary>
    public RansomwareAgentState? State { get; init; }

    /// <summary>Kernel kills and kills it would have made (disarmed or protected).</summary>
    public int Actions => Events.Count(static e => e.EventKind is SigilEventKind.Kill or SigilEventKind.KillSuppressed);

    /// <summary>Milliseconds from the workload's first write (it prints 'first ns') to the first kill, or null.</summary>
    public double? TimeToActionMs
    {
        get
        {
            var first = Output.FirstOrDefault(static l => l.StartsWith("first ", StringComparison.Ordinal));
            var kill = Events.Where(static e => e.EventKind == SigilEventKind.Kill).Select(static e => (ulong?)e.TsNs).FirstOrDefault();
            return first is null || kill is null ? null : ((double)kill.Value - ulong.Parse(first[6..], CultureInfo.InvariantCulture)) / 1e6;
        }
    }
}
