using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;
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
    private readonly bool _tree;
    private readonly Dictionary<uint, ulong> _totals = [];
    private readonly HashSet<uint> _priced = [];
    private BpfMap? _members;
    private long _drainPerSecond;
    private long _lastSenseNs;
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
        _tree = fibre.AgentKey == AgentKeyKind.Tree;
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

    /// <inheritdoc/>
    public IReadOnlyList<int> AgentProcesses(int agent)
    {
        // The root, and every process whose members entry names it and whose start time still
        // matches (a reused tgid is another process).
        var found = new List<int> { agent };
        if (_members is not { ValueSize: 24 } members)
        {
            return found;
        }

        foreach (var (tgid, member) in members.Entries<uint, MemberBytes>())
        {
            var copy = member;
            ReadOnlySpan<byte> bytes = copy;
            if (tgid == (uint)agent || System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes) != (uint)agent)
            {
                continue;
            }

            // self_start is the kernel's start_time (ns after boot); /proc gives clock ticks (USER_HZ,
            // 100 on Linux): they agree to a tick.
            var selfTicks = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]) / 10_000_000;
            if (ProcStat.TryRead((int)tgid, _procRoot) is { } stat && Math.Abs((long)stat.StartTime - (long)selfTicks) <= 1)
            {
                found.Add((int)tgid);
            }
        }

        return found;
    }


    /// <summary>The fixed-point constants the kernel uses (the descriptor's, loaded into the object).</summary>
    public FixedPointSpec Parameters => _bpf.FixedPoint;

    // The scale of the kernel's prices, from the object's descriptor.
    private int ScaleBits => _bpf.Descriptor.PriceScaleBits;

    /// <summary>The underlying object.</summary>
    public BpfFibre Bpf => _bpf;

    /// <summary>
    /// Opens <paramref name="objectPath"/> for <paramref name="fibre"/> with the object's descriptor
    /// (<paramref name="descriptor"/>, else the file the build wrote beside the object): the maps by
    /// the names it gives, and the kernel price update's constants exactly as it states them (the
    /// ones the fibre's proofs speak of), never recomputed from the fibre. A fibre whose numbers
    /// differ from the descriptor's was compiled into another object: that is an error.
    /// </summary>
    /// <param name="fibre">The fibre.</param>
    /// <param name="objectPath">The fibre's compiled eBPF object.</param>
    /// <param name="scope">Sense only these processes (null or empty: every process).</param>
    /// <param name="procRoot">Where procfs is mounted (for agents' start times).</param>
    /// <param name="descriptor">The object's descriptor; null reads <c>&lt;fibre&gt;.bpf.json</c> beside the object.</param>
    /// <exception cref="IOException">The object or its descriptor is missing or bad, or does not belong to <paramref name="fibre"/>.</exception>
    public static BpfKernelFibre Open(DaemonFibre fibre, string objectPath, IReadOnlyList<uint>? scope = null, string procRoot = "/proc", BpfObjectDescription? descriptor = null) =>
        OpenCore(fibre, objectPath, scope, procRoot, descriptor, holdTick: null);

    /// <summary>As the public overload; <paramref name="holdTick"/> (tests only) replaces the hold timer's compiled period.</summary>
    internal static BpfKernelFibre OpenCore(DaemonFibre fibre, string objectPath, IReadOnlyList<uint>? scope, string procRoot, BpfObjectDescription? descriptor, TimeSpan? holdTick)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        if (!File.Exists(objectPath))
        {
            throw new IOException($"the eBPF object {objectPath} does not exist (dotnet build compiles it; or pass --bpf-object)");
        }

        try
        {
            descriptor ??= BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(objectPath));
        }
        catch (InvalidDataException e)
        {
            throw new IOException(e.Message, e);
        }

        var mismatch = Mismatches(fibre, descriptor);
        if (mismatch.Count > 0)
        {
            throw new IOException($"{objectPath} was compiled from another version of fibre '{fibre.Name}' (rebuild it, or pass --bpf-object): {string.Join("; ", mismatch)}");
        }

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
            // A behaviour program (agents by tree) has its numbers compiled in from the same fibre;
            // its stop prices come from the daemon's rules (0: no such rule), so that a fibre that
            // freezes where the shipped one kills runs on the same object.
            if (fibre.AgentKey == AgentKeyKind.Tree)
            {
                foreach (var (tunable, kind) in new[] { ("kill_price", ActionKind.Kill), ("freeze_price", ActionKind.Freeze) })
                {
                    var rule = fibre.Rules.FirstOrDefault(r => r.Kind == kind);
                    bpf.Object.SetTunable(tunable, rule is null ? 0L : FixedPoint.ToFixed(rule.Threshold, descriptor.PriceScaleBits));
                }
            }
            else if (descriptor.FixedPoint is { } constants)
            {
                bpf.Configure(constants);
            }

            if (holdTick is { } tick)
            {
                bpf.Object.SetTunable("fx_tick_ns", (ulong)tick.Ticks * 100);
            }

            return new BpfKernelFibre(fibre, bpf, scope ?? [], procRoot);
        }
        catch
        {
            bpf.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where <paramref name="fibre"/> and the compiled object's <paramref name="descriptor"/> disagree:
    /// the name, the agent key, the kernel price map, and (to one unit of the fixed point) the step,
    /// the budget, the bounds and the thresholds the kernel applies.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(DaemonFibre fibre, BpfObjectDescription descriptor)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        ArgumentNullException.ThrowIfNull(descriptor);
        var problems = new List<string>();
        if (descriptor.Fibre != fibre.Name)
        {
            problems.Add($"the object is fibre '{descriptor.Fibre}'");
            return problems;
        }

        var key = fibre.AgentKey switch { AgentKeyKind.Tid => "tid", AgentKeyKind.Tree => "tree", _ => "tgid" };
        if (descriptor.AgentKey != key)
        {
            problems.Add($"agents are keyed by {descriptor.AgentKey} in the object, by {key} in the fibre");
        }

        if (fibre.Rows.Count > 0 && fibre.PriceMaps.TryGetValue(fibre.Rows[0].Resource, out var priceMap) && descriptor.PriceMap is { } kernelMap && kernelMap != priceMap)
        {
            problems.Add($"the price map is '{kernelMap}' in the object, '{priceMap}' in the fibre");
        }

        if (descriptor.FixedPoint is not { } fp || fibre.AgentKey == AgentKeyKind.Tree)
        {
            return problems;
        }

        var unit = Math.ScaleB(1, -fp.ScaleBits);
        void Compare(string what, double fibreValue, long objectValue)
        {
            if (double.IsFinite(fibreValue) && Math.Abs(fibreValue - FixedPoint.ToDouble(objectValue, fp.ScaleBits)) > unit)
            {
                problems.Add($"{what} is {FixedPoint.ToDouble(objectValue, fp.ScaleBits):R} in the object, {fibreValue:R} in the fibre");
            }
        }

        Compare("the step", fibre.Step, fp.StepFixed);
        Compare("the budget", fibre.Rows[0].Budget, fp.BudgetFixed);
        Compare("the load bound", fibre.LoadMax, fp.LoadMaxFixed);
        Compare("the price bound", fibre.PriceMax, fp.PriceMaxFixed);
        foreach (var (kind, price) in new[] { (ActionKind.Throttle, descriptor.ThrottlePrice), (ActionKind.Kill, descriptor.KillPrice) })
        {
            var rule = fibre.Rules.FirstOrDefault(r => r.Kind == kind);
            if (rule is not null && price is null)
            {
                problems.Add($"the fibre has a {kind.ToString().ToLowerInvariant()} rule the object's kernel does not apply");
            }
            else if (rule is not null)
            {
                Compare($"the {kind.ToString().ToLowerInvariant()} price", rule.Threshold, price!.Value);
            }
        }

        return problems;
    }

    /// <inheritdoc/>
    public void Attach()
    {
        try
        {
            _bpf.Load();
            _bpf.Disarm();
            _bpf.Scope(_scope);
            if (_tree && _bpf.PriceMap is not null)
            {
                var scale = ScaleBits;
                var throttle = _fibre.Rules.FirstOrDefault(r => r.Kind == ActionKind.Throttle)?.Threshold;
                var kill = _fibre.Rules.FirstOrDefault(r => r.Kind == ActionKind.Kill)?.Threshold;
                _bpf.SetThresholds(throttle is { } t ? FixedPoint.ToFixed(t, scale) : 0, kill is { } k ? FixedPoint.ToFixed(k, scale) : 0);
            }
            else if (_bpf.PriceMap is not null)
            {
                // The thresholds the compiler fixed, as the descriptor states them (0: none).
                _bpf.SetThresholds(_bpf.Descriptor.ThrottlePrice ?? 0, _bpf.Descriptor.KillPrice ?? 0);
            }

            if (_tree)
            {
                // The behaviour program prices every file write: the daemon reads its price map
                // once per tick instead of a sample per event. Its members map names each
                // process's agent (the root of its tree) for the kernel's decisions.
                _drainPerSecond = _bpf.Object.GetTunable<long>("fx_drain_per_s");
                _members = _bpf.Descriptor.MembersMap is { } members ? _bpf.Object.Map(members) : null;
            }

            _bpf.SendSamples(!_tree);
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
        var scale = KeepsPrices ? ScaleBits : 0;
        var decisions = Decisions(scale);
        if (_tree)
        {
            return SenseTree(scale, decisions);
        }

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
        return new SensorFrame(_fibre.Sensor.Variable, agents, new SensorCounters(stats.Seen, stats.Processed, stats.Filtered, stats.Dropped, stats.Contended)) { Decisions = decisions };
    }

    // The kernel's kills (and the kills it would have made) of this tick, one per agent and kind.
    private List<KernelDecision> Decisions(int scale)
    {
        var decisions = new List<KernelDecision>();
        foreach (var e in _collector.Decisions)
        {
            var agent = (int)AgentOf(e.Tgid);
            var done = e.Kind is SigilEventKind.Kill or SigilEventKind.Freeze;
            var kind = e.Kind is SigilEventKind.Freeze or SigilEventKind.FreezeSuppressed ? ActionKind.Freeze : ActionKind.Kill;
            var at = decisions.FindIndex(d => d.Agent == agent && d.Done == done && d.Kind == kind);
            var price = FixedPoint.ToDouble(e.Price, scale);
            if (at < 0)
            {
                decisions.Add(new KernelDecision(kind, done, agent, (int)e.Tgid, e.Comm, price, 1, e.TsNs));
            }
            else
            {
                decisions[at] = decisions[at] with { Process = (int)e.Tgid, Name = e.Comm, Price = Math.Max(price, decisions[at].Price), Count = decisions[at].Count + 1 };
            }
        }

        return decisions;
    }

    // The agent of a process: the root of its tree (from the members map, while the process's entry
    // is there), else the process itself.
    private uint AgentOf(uint tgid)
    {
        if (_members is null)
        {
            return tgid;
        }

        // struct <fibre>_member: u32 root, u32 pad, u64 root_start, u64 self_start (BpfBehaviourBuilder).
        Span<byte> key = stackalloc byte[sizeof(uint)];
        Span<byte> value = stackalloc byte[_members.ValueSize];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, tgid);
        return _members.ValueSize >= sizeof(uint) && _members.TryLookup(key, value)
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(value)
            : tgid;
    }

    // A behaviour fibre: every agent's price as it stands now (the kernel drains a price only at the
    // agent's next event: the daemon drains it for the time since), and the rate of the row's first
    // variable since the previous tick, from the agent state's running total.
    private SensorFrame SenseTree(int scale, List<KernelDecision> decisions)
    {
        var now = (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
        var seconds = _lastSenseNs > 0 ? Math.Max(1e-3, (now - _lastSenseNs) / 1e9) : 1;
        _lastSenseNs = now;
        var agents = new List<AgentObservation>();
        var state = _bpf.StateMap;
        Span<byte> key = stackalloc byte[sizeof(uint)];
        Span<byte> value = stackalloc byte[state.ValueSize];
        foreach (var (root, fixedPrice) in _bpf.Prices())
        {
            // struct <fibre>_agent_state: u64 start_time, u64 last_ns, then per sensed variable
            // u64 <variable>_total, u64 <variable>_samples, in fibre order (BpfBehaviourBuilder).
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, root);
            if (state.ValueSize < 24 || !state.TryLookup(key, value))
            {
                continue;
            }

            var lastNs = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(value[8..]);
            var total = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(value[16..]);
            var elapsed = Math.Max(0, now - lastNs) / 1e9;
            var price = Math.Max(0, FixedPoint.ToDouble(fixedPrice, scale) - (elapsed * _drainPerSecond / (1L << scale)));
            var delta = _totals.TryGetValue(root, out var before) && total >= before ? total - before : total;
            _totals[root] = total;
            if (price <= 0 && delta == 0 && !_priced.Contains(root) && !decisions.Any(d => d.Agent == (int)root))
            {
                continue;
            }

            if (price > 0)
            {
                _priced.Add(root);
            }
            else
            {
                _priced.Remove(root);
            }

            var (start, comm) = Identity(root, "?");
            agents.Add(new AgentObservation((int)root, start, comm, delta > 0 ? [delta / seconds] : [], price));
        }

        if (_totals.Count > 4 * _fibre.Capacity)
        {
            _totals.Clear();
        }

        agents.Sort(static (a, b) => a.Agent.CompareTo(b.Agent));
        var stats = _bpf.ReadStats();
        return new SensorFrame(_fibre.Sensor.Variable, agents, new SensorCounters(stats.Seen, stats.Processed, stats.Filtered, stats.Dropped, stats.Contended)) { Decisions = decisions };
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
    public void WarmDecisionPath()
    {
        // Each kind twice (the second joins the first's decision), for a tgid no process has.
        foreach (var kind in (ReadOnlySpan<SigilEventKind>)[SigilEventKind.Kill, SigilEventKind.KillSuppressed, SigilEventKind.Freeze, SigilEventKind.FreezeSuppressed])
        {
            var made = new SigilEvent { Kind = (uint)kind, Tgid = uint.MaxValue };
            _collector.OnEvent(in made);
            _collector.OnEvent(in made);
        }

        _ = Decisions(KeepsPrices ? ScaleBits : 0);
        _collector.Clear();

        // A decision comes with the first priced agent of a tree fibre: its identity, its running
        // total and its observation, through the same containers with a key no agent has.
        var self = (uint)Environment.ProcessId;
        var known = _identities.Remove(self, out var identity);
        var (start, comm) = Identity(self, "?");
        _ = new AgentObservation((int)self, start, comm, [1.0], 0.0);
        _identities.Remove(self);
        if (known)
        {
            _identities[self] = identity;
        }

        _ = _totals.TryGetValue(uint.MaxValue, out _);
        _totals[uint.MaxValue] = 0;
        _totals.Remove(uint.MaxValue);
        _ = _priced.Contains(uint.MaxValue);
    }

    /// <inheritdoc/>
    public void WritePrice(int tgid, double price)
    {
        if (_bpf.PriceMap is { } map)
        {
            map.Update((uint)tgid, FixedPoint.ToFixed(price, ScaleBits));
        }
    }

    /// <inheritdoc/>
    public void SetArmed(bool armed, int daemonTgid) => _bpf.SetArmed(armed, (uint)daemonTgid);

    /// <inheritdoc/>
    public void Allow(int tgid) => _bpf.Allow((uint)tgid);

    /// <inheritdoc/>
    /// <remarks>
    /// The class map (<c>&lt;fibre&gt;_classes</c>) is keyed by struct <c>&lt;fibre&gt;_exe_key</c>:
    /// u32 dev (the kernel's encoding, major &lt;&lt; 20 | minor), u32 pad, u64 ino; its value is
    /// the weight in the fibre's fixed point.
    /// </remarks>
    public bool Weigh(string path, double weight)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (BehaviourMap("_classes", 16, 8) is not { } classes)
        {
            return false;
        }

        classes.Update(ExeKey(path, "executable weight"), FixedPoint.ToFixed(weight, ScaleBits));
        return true;
    }

    /// <inheritdoc/>
    public bool WeighCgroup(ulong id, double weight)
    {
        if (BehaviourMap("_cgroup_classes", 8, 8) is not { } classes)
        {
            return false;
        }

        classes.Update(id, FixedPoint.ToFixed(weight, ScaleBits));
        return true;
    }

    /// <inheritdoc/>
    public bool AllowExecutable(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (BehaviourMap("_allow_exes", 16, 4) is not { } allowed)
        {
            return false;
        }

        allowed.Update(ExeKey(path, "allowed executable"), 1u);
        return true;
    }

    /// <inheritdoc/>
    public bool AllowCgroup(ulong id)
    {
        if (BehaviourMap("_allow_cgroups", 8, 4) is not { } allowed)
        {
            return false;
        }

        allowed.Update(id, 1u);
        return true;
    }

    // A behaviour program's map <fibre><suffix> of the given key and value sizes, or null.
    private BpfMap? BehaviourMap(string suffix, int keySize, int valueSize) =>
        _tree && _bpf.Object.Maps.FirstOrDefault(m => m.Name == _fibre.Name + suffix) is { } map && map.KeySize == keySize && map.ValueSize == valueSize ? map : null;

    // struct <fibre>_exe_key: u32 dev (the kernel's encoding), u32 pad, u64 ino.
    private static KeyBytes ExeKey(string path, string what)
    {
        var (dev, ino) = ProcessIdentity.Executable(path, out var problem) ?? throw new IOException($"{what}: cannot stat {path}: {problem}");
        Span<byte> key = stackalloc byte[16];
        key.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(key, dev);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(key[8..], ino);
        return MemoryMarshal.Read<KeyBytes>(key);
    }

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

    [System.Runtime.CompilerServices.InlineArray(16)]
    private struct KeyBytes
    {
        private byte _first;
    }

    // struct <fibre>_member: u32 root, u32 pad, u64 root_start, u64 self_start.
    [System.Runtime.CompilerServices.InlineArray(24)]
    private struct MemberBytes
    {
        private byte _first;
    }

    /// <summary>Collects the samples of one tick from the ring buffer, per agent, in order.</summary>
    private sealed class Collector : IBpfEventHandler<SigilEvent>
    {
        public Dictionary<uint, AgentSamples> Agents { get; } = [];

        public List<(SigilEventKind Kind, uint Tgid, string Comm, long Price, ulong TsNs)> Decisions { get; } = [];

        public void Clear()
        {
            Agents.Clear();
            Decisions.Clear();
        }

        public void OnEvent(in SigilEvent record)
        {
            if (record.EventKind is SigilEventKind.Kill or SigilEventKind.KillSuppressed or SigilEventKind.Freeze or SigilEventKind.FreezeSuppressed)
            {
                Decisions.Add((record.EventKind, record.Tgid, record.CommandName, record.Price, record.TsNs));
                return;
            }

            // A throttle or release event carries the price it crossed at: the kernel's hold timer
            // sends one for a process whose file is still open, which no close (no sample) shows.
            if (record.EventKind is not (SigilEventKind.Sample or SigilEventKind.Throttle or SigilEventKind.Release))
            {
                return;
            }

            if (!Agents.TryGetValue(record.Tgid, out var samples))
            {
                Agents[record.Tgid] = samples = new AgentSamples(record.CommandName);
            }

            if (record.EventKind == SigilEventKind.Sample)
            {
                samples.Loads.Add(record.LoadNs);
            }

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
