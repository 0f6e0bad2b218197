using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Security;

namespace Sigil.Runtime.Hosting.Kernel;

/// <summary>
/// The kernel side of a fibre over the eBPF backend (<see cref="BpfFibre"/>): the object is opened
/// and configured from the daemon's fibre (fixed-point budget, step, clamps and thresholds), loaded
/// (its layouts checked against BTF), attached, and read once per tick: the load samples and the
/// prices after each update from the ring buffer, the counters from the per-CPU stats map.
/// </summary>
public sealed class BpfKernelFibre : IKernelFibre, IWakingSensor
{
    private readonly DaemonFibre _fibre;
    private readonly BpfFibre _bpf;
    private readonly IReadOnlyList<uint> _scope;
    private readonly Collector _collector = new();
    private readonly Dictionary<uint, (ulong Start, string Comm, long ReadAt)> _identities = [];
    private readonly double _nanosecondsPerUnit;
    private readonly string _procRoot;
    private BpfLinkSet? _links;
    private BpfRingBuffer? _events;
    private BpfRingBuffer? _wake;
    private string? _pin;
    private SecureDirectory? _pinFolder;
    private SecureDirectory? _pinParent;

    private BpfKernelFibre(DaemonFibre fibre, BpfFibre bpf, IReadOnlyList<uint> scope, string procRoot)
    {
        _fibre = fibre;
        _bpf = bpf;
        _scope = scope;
        _procRoot = procRoot;
        _nanosecondsPerUnit = fibre.Sensor.NanosecondsPerUnit > 0 ? fibre.Sensor.NanosecondsPerUnit : 1;
    }

    /// <inheritdoc/>
    public string Name => "kernel";

    /// <inheritdoc/>
    public string Description =>
        $"{_bpf.Object.FileName}: {_bpf.Object.Programs.Count} program(s) on {string.Join(", ", _fibre.Sensor.Tracepoints)}"
        + _scope.Count switch
        {
            0 => ", every process",
            1 => $", process {_scope[0]} only",
            _ => $", processes {string.Join(", ", _scope)} only",
        }
        + (KeepsPrices ? "; prices updated in the kernel (fixed point)" : string.Empty);

    /// <inheritdoc/>
    public bool KeepsPrices => _bpf.PriceMap is not null;

    /// <inheritdoc/>
    public bool KillsInKernel => KeepsPrices && _fibre.Rules.Any(r => r.Kind == ActionKind.Kill);

    /// <summary>The fixed-point parameters the kernel uses.</summary>
    public FixedPointParameters Parameters => _bpf.FixedPoint;

    /// <summary>The underlying object.</summary>
    public BpfFibre Bpf => _bpf;

    /// <summary>
    /// Opens <paramref name="objectPath"/> for <paramref name="fibre"/> and sets its tunables from
    /// the fibre. The maps are found by the names the compiler gives them: <c>&lt;fibre&gt;_stats</c>,
    /// <c>_control</c>, <c>_allow</c>, <c>_scope</c>, <c>_events</c>, <c>_wake</c> (when the kernel
    /// decides), the agent index's state map <c>&lt;fibre&gt;_&lt;index&gt;</c>, and the exported price map.
    /// </summary>
    /// <param name="fibre">The fibre.</param>
    /// <param name="objectPath">The fibre's compiled eBPF object.</param>
    /// <param name="scope">Sense only these processes (null or empty: every process).</param>
    /// <param name="procRoot">Where procfs is mounted (for agents' start times).</param>
    public static BpfKernelFibre Open(DaemonFibre fibre, string objectPath, IReadOnlyList<uint>? scope = null, string procRoot = "/proc")
    {
        ArgumentNullException.ThrowIfNull(fibre);
        if (!File.Exists(objectPath))
        {
            throw new IOException($"the eBPF object {objectPath} does not exist (dotnet build compiles it; or pass --bpf-object)");
        }

        var descriptor = Describe(fibre, objectPath);
        BpfFibre bpf;
        try
        {
            bpf = BpfFibre.Open(objectPath, descriptor);
        }
        catch (Exception e) when (e is BpfException or InvalidDataException or KeyNotFoundException)
        {
            throw new IOException($"cannot open the eBPF object of fibre '{fibre.Name}': {e.Message}", e);
        }

        try
        {
            if (bpf.PriceMap is not null)
            {
                var scale = bpf.FixedPoint.ScaleBits;
                var row = fibre.Rows[0];
                var defaults = bpf.FixedPoint;
                bpf.Configure(defaults with
                {
                    Step = FixedPoint.ToFixed(fibre.Step, scale),
                    Budget = FixedPoint.ToFixed(row.Budget, scale),
                    LoadMax = double.IsFinite(fibre.LoadMax) ? FixedPoint.ToFixed(fibre.LoadMax, scale) : defaults.LoadMax,
                    PriceMax = double.IsFinite(fibre.PriceMax) ? FixedPoint.ToFixed(fibre.PriceMax, scale) : defaults.PriceMax,
                });
            }

            return new BpfKernelFibre(fibre, bpf, scope ?? [], procRoot);
        }
        catch
        {
            bpf.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Attach()
    {
        try
        {
            _bpf.Load();
            _bpf.Disarm();
            _bpf.Scope(_scope);
            if (_bpf.PriceMap is not null)
            {
                var scale = _bpf.FixedPoint.ScaleBits;
                var throttle = _fibre.Rules.FirstOrDefault(r => r.Kind == ActionKind.Throttle)?.Threshold;
                var kill = _fibre.Rules.FirstOrDefault(r => r.Kind == ActionKind.Kill)?.Threshold;
                _bpf.SetThresholds(throttle is { } t ? FixedPoint.ToFixed(t, scale) : 0, kill is { } k ? FixedPoint.ToFixed(k, scale) : 0);
            }

            _bpf.SendSamples(true);
            _events = _bpf.OpenEvents(_collector);
            _wake = _bpf.OpenWake();
            _links = _bpf.Attach();

            // Loading parsed the kernel's BTF (several MB of C heap, freed by now): hand it back.
            Libc.MallocTrim(0);
        }
        catch (Exception e) when (e is BpfException or InvalidDataException or InvalidOperationException or ArgumentException)
        {
            throw new IOException($"the kernel refused fibre '{_fibre.Name}': {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        _collector.Clear();
        _events?.Consume();
        var scale = KeepsPrices ? _bpf.FixedPoint.ScaleBits : 0;
        var agents = new List<AgentObservation>(_collector.Agents.Count);
        foreach (var (tgid, sample) in _collector.Agents)
        {
            // The event names the thread that closed the file; the agent is its process.
            var (start, comm) = Identity(tgid, sample.Comm);
            agents.Add(new AgentObservation(
                (int)tgid,
                start,
                comm,
                sample.Loads.Select(ns => ns / _nanosecondsPerUnit).ToArray(),
                KeepsPrices ? FixedPoint.ToDouble(sample.Price, scale) : null));
        }

        agents.Sort(static (a, b) => a.Agent.CompareTo(b.Agent));
        var stats = _bpf.ReadStats();
        return new SensorFrame(_fibre.Sensor.Variable, agents, new SensorCounters(stats.Seen, stats.Processed, stats.Filtered, stats.Dropped));
    }

    // A process's start time and name, read from /proc at most every two seconds per process:
    // busy hosts report thousands of samples a second from the same few processes.
    private (ulong Start, string Comm) Identity(uint tgid, string fallback)
    {
        var now = Environment.TickCount64;
        if (_identities.TryGetValue(tgid, out var known) && now - known.ReadAt < 2000)
        {
            return (known.Start, known.Comm);
        }

        var stat = ProcStat.TryRead((int)tgid, _procRoot);
        if (stat is null)
        {
            _identities.Remove(tgid);
            return (0, fallback);
        }

        if (_identities.Count > 65_536)
        {
            _identities.Clear();
        }

        _identities[tgid] = (stat.StartTime, stat.Comm, now);
        return (stat.StartTime, stat.Comm);
    }

    /// <inheritdoc/>
    public bool CanWait => _wake is not null;

    /// <inheritdoc/>
    public bool WaitForDecision(TimeSpan timeout)
    {
        if (_wake is null)
        {
            throw new InvalidOperationException("the kernel object has no wake ring (or is not attached)");
        }

        var milliseconds = (int)Math.Clamp(Math.Ceiling(timeout.TotalMilliseconds), 0, int.MaxValue);
        return _wake.Poll(milliseconds) > 0;
    }

    /// <inheritdoc/>
    public void WritePrice(int tgid, double price)
    {
        if (_bpf.PriceMap is { } map)
        {
            map.Update((uint)tgid, FixedPoint.ToFixed(price, _bpf.FixedPoint.ScaleBits));
        }
    }

    /// <inheritdoc/>
    public void SetArmed(bool armed, int daemonTgid) => _bpf.SetArmed(armed, (uint)daemonTgid);

    /// <inheritdoc/>
    public void Allow(int tgid) => _bpf.Allow((uint)tgid);

    /// <summary>The mode of the pin folders: root's alone.</summary>
    public const int PinFolderMode = 0x1C0; // 0700

    /// <inheritdoc/>
    /// <remarks>
    /// The folder and its parent (<c>sigil/</c>) are created 0700 and must be root's and writable by
    /// no one else (bpffs may be mounted world-writable); the map is pinned and unpinned by name
    /// relative to the folder's descriptor, never through a path another user could swap.
    /// </remarks>
    public string? PinPriceMap(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (_bpf.PriceMap is not { } map || _pin is not null)
        {
            return _pin;
        }

        var full = Path.GetFullPath(folder).TrimEnd('/');
        var parent = Path.GetDirectoryName(full);
        _pinParent = parent is not null && Path.GetFileName(parent) == "sigil" ? SecureDirectory.Open(parent, PinFolderMode) : null;
        _pinFolder = SecureDirectory.Open(full, PinFolderMode);

        // A pin a killed predecessor left: this daemon holds the fibre's lock, so it is stale. Only
        // a map of this one's shape and name is taken for that; anything else pinned there is not
        // the daemon's to remove, and hooks would read it as the price map: refused.
        using (var existing = BpfMap.OpenPinnedIn(_pinFolder, map.Name))
        {
            if (existing is not null && (!existing.HasShapeOf(map) || !IsKernelNameOf(existing.Name, map.Name)))
            {
                var refused = $"refused: '{_pinFolder.Combine(map.Name)}' holds {existing}, not the price map {map} this daemon pins: remove it if it is stale";
                _pinFolder.Dispose();
                _pinParent?.Dispose();
                _pinFolder = _pinParent = null;
                throw new UnsafeFileException(refused);
            }
        }

        _pinFolder.Delete(map.Name);
        BpfPin.Pin(map.Fd, _pinFolder, map.Name);
        _pin = _pinFolder.Combine(map.Name);
        return _pin;
    }

    /// <summary>True when <paramref name="kernelName"/> is what the kernel keeps of <paramref name="name"/> (BPF_OBJ_NAME_LEN: 15 characters).</summary>
    private static bool IsKernelNameOf(string kernelName, string name) =>
        string.Equals(kernelName, name.Length > 15 ? name[..15] : name, StringComparison.Ordinal);

    /// <inheritdoc/>
    public void Dispose()
    {
        _bpf.DisarmIfLoaded();
        Unpin();
        _links?.Dispose();
        _events?.Dispose();
        _wake?.Dispose();
        _bpf.Dispose();
    }

    private void Unpin()
    {
        try
        {
            if (_pin is not null && _pinFolder is not null)
            {
                _pinFolder.Delete(Path.GetFileName(_pin));

                // The fibre's folder, then the shared sigil/ folder above it, when nothing else is pinned there.
                var fibreFolder = _pinFolder.Path;
                if (_pinParent is null)
                {
                    SecureDirectory.DeleteEmptyDirectory(Path.GetDirectoryName(fibreFolder)!, Path.GetFileName(fibreFolder));
                }
                else if (_pinParent.DeleteDirectory(Path.GetFileName(fibreFolder)))
                {
                    SecureDirectory.DeleteEmptyDirectory(Path.GetDirectoryName(_pinParent.Path)!, Path.GetFileName(_pinParent.Path));
                }
            }
        }
        catch (IOException)
        {
            // Removed meanwhile: leave it.
        }

        _pinFolder?.Dispose();
        _pinParent?.Dispose();
        _pinFolder = _pinParent = null;
        _pin = null;
    }

    private static BpfFibreDescriptor Describe(DaemonFibre fibre, string objectPath)
    {
        var prefix = fibre.Name + "_";
        string? programs;
        bool wakes;
        using (var probe = BpfObject.Open(objectPath))
        {
            programs = string.Join('\n', probe.Programs.Select(p => p.Name));
            wakes = probe.Maps.Any(m => m.Name == prefix + "wake");
        }

        return new BpfFibreDescriptor(
            fibre.Name,
            Path.GetFileName(objectPath),
            fibre.AgentKey == AgentKeyKind.Tid ? "tid" : "tgid",
            prefix + fibre.AgentIndex,
            prefix + "stats",
            prefix + "control",
            prefix + "allow",
            prefix + "scope",
            prefix + "events",
            wakes ? prefix + "wake" : null,
            fibre.PriceMaps.TryGetValue(fibre.Rows[0].Resource, out var price) ? price : null,
            null,
            null,
            null,
            programs.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Collects the samples of one tick from the ring buffer, per agent, in order.</summary>
    private sealed class Collector : IBpfEventHandler<SigilEvent>
    {
        public Dictionary<uint, AgentSamples> Agents { get; } = [];

        public void Clear() => Agents.Clear();

        public void OnEvent(in SigilEvent record)
        {
            if (record.EventKind != SigilEventKind.Sample)
            {
                return;
            }

            if (!Agents.TryGetValue(record.Tgid, out var samples))
            {
                Agents[record.Tgid] = samples = new AgentSamples(record.CommandName);
            }

            samples.Loads.Add(record.LoadNs);
            samples.Price = record.Price;
        }
    }

    private sealed class AgentSamples(string comm)
    {
        public string Comm { get; } = comm;

        public List<double> Loads { get; } = [];

        public long Price { get; set; }
    }
}
