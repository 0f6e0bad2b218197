using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Hosting.Placement;

namespace Sigil.Runtime.Hosting.Kernel;

/// <summary>
/// The kernel side of a placement fibre over the eBPF backend (<see cref="BpfFibre"/>): its
/// programs accumulate each thread's on-CPU time (the <c>oncpu</c> sensor on
/// <c>sched:sched_switch</c>) in the per-thread state map, and the daemon writes the per-domain
/// prices into the fibre's exported price maps (arrays keyed by the domain's member number, fixed
/// point). The state map is read once per window (the placement period), not every tick: one
/// lookup per thread is the sensor's cost, and a placement only needs the window's totals.
/// </summary>
/// <remarks>
/// The value layout of the state map is the fibre's own generated struct
/// (<c>struct &lt;fibre&gt;_&lt;index&gt;_state</c>): its <c>start_time</c> and
/// <c>&lt;variable&gt;_total</c> fields are found by name in the object's BTF, so nothing here
/// depends on one fibre. The ring buffer carries only exit events here (per-sample events stay
/// off); they are consumed every tick so that it never fills.
/// </remarks>
public sealed class BpfPlacementKernelFibre : IKernelFibre, IPlacementPriceWriter
{
    private readonly DaemonFibre _fibre;
    private readonly PlacementDescription _placement;
    private readonly BpfFibre _bpf;
    private readonly Dictionary<string, BpfMap> _priceMaps;
    private readonly int _startOffset;
    private readonly int _totalOffset;
    private readonly ThreadDirectory _threads;
    private uint[] _kernelScope = [];
    private readonly Dictionary<uint, (ulong Start, ulong Total)> _previous = [];
    private readonly ExitCollector _exits = new();
    private readonly double _nanosecondsPerUnit;
    private readonly long _windowTicks;
    private BpfLinkSet? _links;
    private BpfRingBuffer? _events;
    private long _windowStart;

    private BpfPlacementKernelFibre(DaemonFibre fibre, BpfFibre bpf, Dictionary<string, BpfMap> priceMaps, int startOffset, int totalOffset, IEnumerable<int> scopeRoots, string procRoot, TimeSpan window)
    {
        _fibre = fibre;
        _placement = fibre.Placement!;
        _bpf = bpf;
        _priceMaps = priceMaps;
        _startOffset = startOffset;
        _totalOffset = totalOffset;
        _threads = new ThreadDirectory(procRoot, scopeRoots);
        _nanosecondsPerUnit = fibre.Sensor.NanosecondsPerUnit > 0 ? fibre.Sensor.NanosecondsPerUnit : 1;
        _windowTicks = Math.Max(1, (long)(window.TotalSeconds * Stopwatch.Frequency));
    }

    /// <inheritdoc/>
    public string Name => "kernel";

    /// <inheritdoc/>
    public string Description =>
        $"{_bpf.Object.FileName}: {_bpf.Object.Programs.Count} program(s) on {string.Join(", ", _fibre.Sensor.Tracepoints)}, "
        + $"on-CPU time per thread read every {TimeSpan.FromSeconds((double)_windowTicks / Stopwatch.Frequency).TotalSeconds:0.###} s"
        + (_threads.ScopeRoots.Count == 0 ? ", every process" : $", processes {string.Join(',', _threads.ScopeRoots)} and their descendants only (scoped in the kernel)")
        + $"; per-domain prices written to {string.Join(", ", _priceMaps.Values.Select(m => m.Name))}";

    /// <inheritdoc/>
    public bool KeepsPrices => false;

    /// <inheritdoc/>
    public bool KillsInKernel => false;

    /// <summary>The underlying object.</summary>
    public BpfFibre Bpf => _bpf;

    /// <summary>
    /// Opens <paramref name="objectPath"/> for the placement fibre <paramref name="fibre"/>: the maps
    /// its descriptor (<c>&lt;fibre&gt;.bpf.json</c> beside the object) names and one exported price
    /// map per placement resource, each an array with a slot per domain.
    /// </summary>
    /// <param name="fibre">A fibre with a <see cref="DaemonFibre.Placement"/>.</param>
    /// <param name="objectPath">The fibre's compiled eBPF object.</param>
    /// <param name="scopeRoots">Sense only these processes and their descendants (empty: every process).</param>
    /// <param name="procRoot">Where procfs is mounted.</param>
    /// <param name="window">How often the per-thread totals are read (the placement period).</param>
    /// <exception cref="IOException">The object or its descriptor is missing, or is not this fibre's (a map is missing or has another shape).</exception>
    public static BpfPlacementKernelFibre Open(DaemonFibre fibre, string objectPath, IEnumerable<int>? scopeRoots = null, string procRoot = "/proc", TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        var placement = fibre.Placement ?? throw new ArgumentException($"fibre '{fibre.Name}' is not a placement fibre", nameof(fibre));
        if (!File.Exists(objectPath))
        {
            throw new IOException($"the eBPF object {objectPath} does not exist (dotnet build compiles it; or pass --bpf-object)");
        }

        BpfFibre bpf;
        try
        {
            var descriptor = BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(objectPath));
            if (descriptor.Fibre != fibre.Name)
            {
                throw new InvalidDataException($"{descriptor.ObjectFile} is the object of fibre '{descriptor.Fibre}', not of '{fibre.Name}'");
            }

            bpf = BpfFibre.Open(objectPath, descriptor);
        }
        catch (Exception e) when (e is BpfException or InvalidDataException or KeyNotFoundException)
        {
            throw new IOException($"cannot open the eBPF object of fibre '{fibre.Name}': {e.Message}", e);
        }

        try
        {
            var maps = new Dictionary<string, BpfMap>(StringComparer.Ordinal);
            foreach (var resource in placement.Resources)
            {
                if (!fibre.PriceMaps.TryGetValue(resource.Name, out var name))
                {
                    continue;
                }

                var map = bpf.Object.Maps.FirstOrDefault(m => m.Name == name)
                    ?? throw new IOException($"{bpf.Object.FileName} has no map '{name}' for ^{resource.Name}: it is not the object of this fibre (rebuild it, or pass --bpf-object)");
                if (map.Type != BpfMapType.Array || map.KeySize != 4 || map.ValueSize != 8)
                {
                    throw new IOException($"{bpf.Object.FileName}: map '{name}' is {map}; ^{resource.Name} needs an array of 8-byte prices keyed by the domain number");
                }

                if (map.MaxEntries < placement.DomainCount)
                {
                    throw new IOException(
                        $"{bpf.Object.FileName}: map '{name}' holds {map.MaxEntries} domain(s) but fibre '{fibre.Name}' has {placement.DomainCount}: "
                        + "the object was compiled from another version of the fibre (rebuild it with dotnet build, or pass --bpf-object)");
                }

                maps[resource.Name] = map;
            }

            // The state struct by the descriptor's layout of the state map's value.
            var stateValue = bpf.Descriptor.Maps.First(m => m.Name == bpf.Descriptor.StateMap).Value;
            var structName = stateValue.StartsWith("struct ", StringComparison.Ordinal) ? stateValue["struct ".Length..] : stateValue;
            var layout = bpf.Object.Btf?.FindStruct(structName)
                ?? throw new IOException($"{bpf.Object.FileName} has no BTF for struct {structName} (build it with -g)");
            var start = layout.Members.FirstOrDefault(m => m.Name == "start_time");
            var total = layout.Members.FirstOrDefault(m => m.Name == fibre.Sensor.Variable + "_total");
            if (start is null || total is null || layout.Size != bpf.StateMap.ValueSize || start.Offset + 8 > layout.Size || total.Offset + 8 > layout.Size)
            {
                throw new IOException($"{bpf.Object.FileName}: struct {structName} has no start_time and {fibre.Sensor.Variable}_total fields of 8 bytes: it is not the object of this fibre");
            }

            return new BpfPlacementKernelFibre(fibre, bpf, maps, start.Offset, total.Offset, scopeRoots ?? [], procRoot, window ?? TimeSpan.FromSeconds(1));
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
            Rescope();
            _bpf.SendSamples(false);
            _events = _bpf.OpenEvents(_exits);
            _links = _bpf.Attach();
            _windowStart = Stopwatch.GetTimestamp();
        }
        catch (Exception e) when (e is BpfException or InvalidDataException or InvalidOperationException)
        {
            throw new IOException($"the kernel refused fibre '{_fibre.Name}': {e.Message}", e);
        }
    }

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        _exits.Exited.Clear();
        _events?.Consume();
        foreach (var tid in _exits.Exited)
        {
            _threads.Forget((int)tid);
        }

        var stats = _bpf.ReadStats();
        var counters = new SensorCounters(stats.Seen, stats.Processed, stats.Filtered, stats.Dropped);
        var now = Stopwatch.GetTimestamp();
        if (now - _windowStart < _windowTicks)
        {
            return new SensorFrame(_fibre.Sensor.Variable, [], counters);
        }

        var window = Stopwatch.GetElapsedTime(_windowStart, now);
        _windowStart = now;
        return new SensorFrame(_fibre.Sensor.Variable, ReadWindow(), counters) { Window = window };
    }

    /// <summary>Every thread's on-CPU time since the previous window, in the variable's unit, busiest first.</summary>
    private List<AgentObservation> ReadWindow()
    {
        _threads.BeginWindow();
        var observations = new List<AgentObservation>();
        var alive = new HashSet<int>();
        var map = _bpf.StateMap;
        Span<byte> key = stackalloc byte[4];
        Span<byte> value = stackalloc byte[map.ValueSize];
        foreach (var tid in map.Keys<uint>())
        {
            BinaryPrimitives.WriteUInt32LittleEndian(key, tid);
            if (!map.TryLookup(key, value))
            {
                continue;
            }

            var start = BitConverter.ToUInt64(value[_startOffset..]);
            var total = BitConverter.ToUInt64(value[_totalOffset..]);
            var before = _previous.TryGetValue(tid, out var seen) && seen.Start == start ? seen.Total : 0;
            _previous[tid] = (start, total);
            alive.Add((int)tid);
            if (total <= before || tid > int.MaxValue)
            {
                continue;
            }

            if (!_threads.TryGet((int)tid, start, out var info) || !info.Placeable || !_threads.InScope(info.Tgid))
            {
                continue;
            }

            observations.Add(new AgentObservation((int)tid, info.StartTime, info.Comm, [(total - before) / _nanosecondsPerUnit]));
        }

        if (_previous.Count > alive.Count)
        {
            foreach (var tid in _previous.Keys.Where(t => !alive.Contains((int)t)).ToList())
            {
                _previous.Remove(tid);
            }
        }

        _threads.Prune(alive);
        Rescope();
        observations.Sort(static (a, b) => b.Completed[0].CompareTo(a.Completed[0]) is var c && c != 0 ? c : a.Agent.CompareTo(b.Agent));
        return observations;
    }

    /// <summary>
    /// Scopes the kernel to the processes of the scope's trees as they are now (the roots and their
    /// descendants), so that the kernel neither updates nor keeps state for any other thread; the
    /// set is refreshed every window, and the userspace filter stays for threads that appear in
    /// between. More processes than the kernel's scope set holds: the kernel senses every process.
    /// </summary>
    private void Rescope()
    {
        if (_threads.ScopeRoots.Count == 0)
        {
            return;
        }

        // No live process in scope: a tgid no process can have keeps the kernel from sensing any.
        uint[] wanted = [.. _threads.ScopedProcesses().Select(static p => (uint)p)];
        wanted = wanted.Length == 0 ? [uint.MaxValue] : wanted;
        if (wanted.AsSpan().SequenceEqual(_kernelScope))
        {
            return;
        }

        try
        {
            _bpf.Scope(wanted);
            _kernelScope = wanted;
        }
        catch (ArgumentException)
        {
            _bpf.Scope([]);
            _kernelScope = [];
        }
    }

    /// <inheritdoc/>
    public void WriteDomainPrices(string resource, ReadOnlySpan<double> prices)
    {
        if (!_priceMaps.TryGetValue(resource, out var map))
        {
            return;
        }

        for (var d = 0; d < prices.Length && d < map.MaxEntries; d++)
        {
            map.Update((uint)d, FixedPoint.ToFixed(prices[d], _placement.PriceScaleBits));
        }
    }

    /// <summary>The price of <paramref name="resource"/> at domain <paramref name="domain"/> as the kernel holds it (fixed point).</summary>
    public long ReadDomainPrice(string resource, int domain) =>
        _priceMaps.TryGetValue(resource, out var map) ? map.Lookup<uint, long>((uint)domain) : throw new KeyNotFoundException($"^{resource} is not exported");

    /// <summary>A placement fibre's kernel keeps no per-agent price: nothing to write.</summary>
    public void WritePrice(int tgid, double price)
    {
    }

    /// <inheritdoc/>
    public void SetArmed(bool armed, int daemonTgid) => _bpf.SetArmed(armed, (uint)daemonTgid);

    /// <inheritdoc/>
    public void Allow(int tgid) => _bpf.Allow((uint)tgid);

    /// <inheritdoc/>
    public void Dispose()
    {
        _bpf.DisarmIfLoaded();
        _links?.Dispose();
        _events?.Dispose();
        _bpf.Dispose();
    }

    /// <summary>Collects the threads that exited (their state left the map) since the last tick.</summary>
    private sealed class ExitCollector : IBpfEventHandler<SigilEvent>
    {
        public List<uint> Exited { get; } = [];

        public void OnEvent(in SigilEvent record)
        {
            if (record.EventKind == SigilEventKind.Exit && Exited.Count < 65_536)
            {
                Exited.Add(record.Tid);
            }
        }
    }
}

/// <summary>
/// Opens the kernel side of a fibre: placement fibres get a <see cref="BpfPlacementKernelFibre"/>,
/// every other fibre is opened by the inner factory (<see cref="BpfKernelFibreFactory"/>), which
/// also finds the object file.
/// </summary>
public sealed class PlacementAwareKernelFibreFactory : IKernelFibreFactory
{
    private readonly BpfKernelFibreFactory _inner;

    /// <summary>A factory over <paramref name="inner"/>.</summary>
    public PlacementAwareKernelFibreFactory(BpfKernelFibreFactory inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Placement fibres sense only these processes and their descendants (empty: every process).</summary>
    public IReadOnlyList<int> ScopeRoots { get; init; } = [];

    /// <summary>How often a placement fibre's per-thread totals are read (the placement period).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Where procfs is mounted.</summary>
    public string ProcRoot { get; init; } = "/proc";

    /// <inheritdoc/>
    public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        if (fibre.Placement is null)
        {
            return _inner.Open(fibre, bpfFs, traceFs);
        }

        var path = _inner.Find(fibre) ?? throw new IOException(
            $"no eBPF object for fibre '{fibre.Name}': build it (dotnet build compiles {fibre.Name}.bpf.o) and pass --bpf-object, or run with --sensor procfs");
        return BpfPlacementKernelFibre.Open(fibre, path, ScopeRoots, ProcRoot, Window);
    }
}
