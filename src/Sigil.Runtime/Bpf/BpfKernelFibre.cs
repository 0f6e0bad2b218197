using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Sensors;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// Opens a fibre's eBPF object for the daemon: <c>&lt;objects&gt;/&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c>,
/// where the fibre project's build puts it (by default the <c>sigil</c> folder beside the running
/// program).
/// </summary>
public sealed class BpfKernelFibreFactory : IKernelFibreFactory
{
    private readonly string _objects;

    /// <summary>A factory that finds objects under <paramref name="objectDirectory"/> (default: <c>sigil/</c> beside the program).</summary>
    public BpfKernelFibreFactory(string? objectDirectory = null) =>
        _objects = objectDirectory ?? Path.Combine(AppContext.BaseDirectory, "sigil");

    /// <inheritdoc/>
    /// <exception cref="IOException">The object is missing, unreadable or not the fibre's.</exception>
    public IKernelFibre Open(DaemonFibre fibre, string bpfFs, string traceFs)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        var path = Path.Combine(_objects, fibre.Name, "bpf", fibre.Name + ".bpf.o");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the eBPF object of fibre {fibre.Name} is not at {path}: build the fibre's project (clang-14 and bpftool build it; eng/setup.sh installs them)", path);
        }

        return new BpfKernelFibre(path, fibre, bpfFs);
    }
}

/// <summary>
/// A fibre's eBPF object as the daemon drives it (<see cref="IKernelFibre"/>): loaded, attached
/// and read once per tick from its maps (per-agent sample counts and sums, kernel prices,
/// counters); control writes made before <see cref="Attach"/> are applied at load. Maps are
/// pinned under <c>&lt;bpffs&gt;/sigil/&lt;fibre&gt;/</c> while attached.
/// </summary>
/// <remarks>
/// The names follow the eBPF emitter's conventions (<c>&lt;fibre&gt;_&lt;index&gt;</c>,
/// <c>&lt;fibre&gt;_stats</c>, ...), and the state fields are found by name in the object's BTF
/// (<c>&lt;variable&gt;_samples</c>, <c>_total</c>, <c>_last</c>), so one implementation serves
/// every fibre. A tick's samples are reported by their count (up to 4096), sum and last value:
/// n - 1 equal samples of the mean of the others, then the last.
/// </remarks>
public sealed class BpfKernelFibre : IKernelFibre
{
    private readonly DaemonFibre _fibre;
    private readonly BpfFibre _object;
    private readonly string _pinFolder;
    private readonly BtfStruct _state;
    private readonly int _samplesOffset;
    private readonly int _totalOffset;
    private readonly int _lastOffset;
    private readonly int _startOffset;
    private readonly double _nanosecondsPerUnit;
    private readonly Dictionary<uint, Previous> _previous = new();
    private readonly HashSet<uint> _allow = new();
    private readonly Drain _drain = new();
    private bool _armed;
    private int _daemonTgid;
    private BpfLinkSet? _links;
    private BpfRingBuffer? _events;
    private IReadOnlyList<string> _pins = Array.Empty<string>();

    internal BpfKernelFibre(string objectPath, DaemonFibre fibre, string bpfFs)
    {
        _fibre = fibre;
        using var probe = BpfObject.Open(objectPath);
        var descriptor = Describe(fibre, probe);
        _object = BpfFibre.Open(objectPath, descriptor);
        try
        {
            var structName = $"{fibre.Name}_{fibre.AgentIndex}_state";
            var variable = fibre.Sensor.Variable;
            _state = _object.Object.Btf?.FindStruct(structName) ?? throw new IOException($"{Path.GetFileName(objectPath)} has no struct {structName}");
            _samplesOffset = Offset(variable + "_samples");
            _totalOffset = Offset(variable + "_total");
            _lastOffset = Offset(variable + "_last");
            _startOffset = Offset("start_time");
        }
        catch
        {
            _object.Dispose();
            throw;
        }

        _nanosecondsPerUnit = fibre.Sensor.NanosecondsPerUnit > 0 ? fibre.Sensor.NanosecondsPerUnit : 1;
        _pinFolder = Path.Combine(bpfFs, "sigil", fibre.Name);
        Description = $"eBPF {Path.GetFileName(objectPath)}: {fibre.Sensor.Statement}" + (KeepsPrices ? " (prices kept in the kernel)" : string.Empty);

        int Offset(string member) =>
            _state.Members.FirstOrDefault(m => m.Name == member)?.Offset
            ?? throw new IOException($"struct {_state.Name} of {Path.GetFileName(objectPath)} has no member {member}");
    }

    /// <inheritdoc/>
    public string Name => "kernel";

    /// <inheritdoc/>
    public string Description { get; }

    /// <inheritdoc/>
    public bool KeepsPrices => _object.PriceMap is not null;

    /// <inheritdoc/>
    public bool KillsInKernel => _object.Descriptor.KillPrice is not null;

    /// <summary>The fibre's object.</summary>
    public BpfFibre Object => _object;

    /// <inheritdoc/>
    public void Attach()
    {
        if (_links is not null)
        {
            return;
        }

        _object.Load();
        ApplyControl();
        foreach (var tgid in _allow)
        {
            _object.Allow(tgid);
        }

        _events = _object.OpenEvents(_drain);
        _links = _object.Attach();
        _pins = Pin();
    }

    /// <inheritdoc/>
    public void WritePrice(int tgid, double price)
    {
        var map = _object.PriceMap ?? throw new InvalidOperationException($"fibre {_fibre.Name} keeps no price in the kernel");
        RequireLoaded();
        var p = _object.FixedPoint;
        var value = Math.Clamp(p.ToFixed(Math.Max(0, price)), 0, p.PriceMax);
        map.Update((uint)tgid, value);
    }

    /// <inheritdoc/>
    public void SetArmed(bool armed, int daemonTgid)
    {
        _armed = armed;
        _daemonTgid = daemonTgid;
        if (_object.Object.IsLoaded)
        {
            ApplyControl();
        }
    }

    /// <inheritdoc/>
    public void Allow(int tgid)
    {
        if (tgid <= 0)
        {
            return;
        }

        _allow.Add((uint)tgid);
        if (_object.Object.IsLoaded)
        {
            _object.Allow((uint)tgid);
        }
    }

    /// <inheritdoc/>
    public SensorFrame Sense()
    {
        RequireLoaded();
        _events!.Consume();
        var agents = new List<AgentObservation>();
        var seen = new HashSet<uint>();
        var value = new byte[_state.Size];
        var key = new byte[4];
        foreach (var agent in _object.StateMap.Keys<uint>().ToList())
        {
            BitConverter.TryWriteBytes(key, agent);
            if (!_object.StateMap.TryLookup(key, value))
            {
                continue;
            }

            seen.Add(agent);
            var start = BitConverter.ToUInt64(value, _startOffset);
            var samples = BitConverter.ToUInt64(value, _samplesOffset);
            var total = BitConverter.ToUInt64(value, _totalOffset);
            var last = BitConverter.ToUInt64(value, _lastOffset);
            var before = _previous.TryGetValue(agent, out var p) && p.KernelStart == start ? p : new Previous(start, 0, 0, 0, string.Empty);
            var n = samples - before.Samples;
            var sum = total - before.Total;
            var procStart = before.ProcStart;
            var name = before.Name;
            if (before.Samples == 0 && before.ProcStart == 0)
            {
                (procStart, name) = ReadProc((int)agent);
            }

            _previous[agent] = new Previous(start, samples, total, procStart, name);
            double? price = null;
            if (_object.PriceMap is not null && _object.TryGetPrice(agent, out var fixedPrice))
            {
                price = _object.FixedPoint.ToDouble(fixedPrice);
            }

            agents.Add(new AgentObservation((int)agent, procStart, name, Completed(n, sum, last), price));
        }

        foreach (var gone in _previous.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _previous.Remove(gone);
        }

        var stats = _object.ReadStats();
        return new SensorFrame(_fibre.Sensor.Variable, agents, new SensorCounters(stats.Seen, stats.Processed, stats.Filtered, stats.Dropped));
    }

    /// <summary>Detaches the programs, removes the pins and unloads the object.</summary>
    public void Dispose()
    {
        _links?.Dispose();
        foreach (var pin in _pins)
        {
            File.Delete(pin);
        }

        _events?.Dispose();
        _object.Dispose();
    }

    // The descriptor by the emitter's naming rules; defaults read from the object itself.
    private static BpfFibreDescriptor Describe(DaemonFibre fibre, BpfObject obj)
    {
        var name = fibre.Name;
        string? priceMap = fibre.Rows.Count > 0 && fibre.PriceMaps.TryGetValue(fibre.Rows[0].Resource, out var map) && obj.Maps.Any(m => m.Name == map) && obj.Btf?.FindVariable(".rodata", "fx_step") is not null ? map : null;
        long? Tunable(string tunable) => obj.Btf?.FindVariable(".rodata", tunable) is not null ? obj.GetTunable<long>(tunable) : null;
        return new BpfFibreDescriptor(
            name,
            Path.GetFileName(obj.Path),
            fibre.AgentKey == AgentKeyKind.Pid ? "tgid" : "tid",
            $"{name}_{fibre.AgentIndex}",
            $"{name}_stats",
            $"{name}_control",
            $"{name}_allow",
            $"{name}_events",
            priceMap,
            null,
            Tunable("throttle_price"),
            Tunable("kill_price"),
            obj.Programs.Select(p => p.Name).ToArray());
    }

    private static IReadOnlyList<double> Completed(ulong n, ulong sum, ulong last, double nanosecondsPerUnit)
    {
        if (n == 0)
        {
            return Array.Empty<double>();
        }

        var samples = new double[Math.Min(n, 4096UL)];
        var rest = n > 1 ? (double)(sum - Math.Min(sum, last)) / (n - 1) : 0;
        for (var i = 0; i < samples.Length - 1; i++)
        {
            samples[i] = rest / nanosecondsPerUnit;
        }

        samples[^1] = last / nanosecondsPerUnit;
        return samples;
    }

    private IReadOnlyList<double> Completed(ulong n, ulong sum, ulong last) => Completed(n, sum, last, _nanosecondsPerUnit);

    private static (ulong Start, string Name) ReadProc(int pid)
    {
        Span<byte> comm = stackalloc byte[64];
        return ProcFs.TryReadStat("/proc"u8, pid, out var stat, comm, out var length)
            ? (stat.StartTime, System.Text.Encoding.UTF8.GetString(comm[..length]))
            : (0, string.Empty);
    }

    private void ApplyControl()
    {
        var control = _object.ReadControl();
        control.Armed = _armed ? 1u : 0u;
        control.DaemonTgid = (uint)Math.Max(0, _daemonTgid);
        _object.WriteControl(control);
    }

    private IReadOnlyList<string> Pin()
    {
        if (!BpfSystem.IsBpffs(Path.GetDirectoryName(Path.GetDirectoryName(_pinFolder))!))
        {
            return Array.Empty<string>();
        }

        // A daemon killed with -9 leaves its pins: they name maps nobody writes any more.
        if (Directory.Exists(_pinFolder))
        {
            foreach (var stale in Directory.GetFiles(_pinFolder))
            {
                File.Delete(stale);
            }
        }

        return _object.PinMaps(_pinFolder);
    }

    private void RequireLoaded()
    {
        if (!_object.Object.IsLoaded)
        {
            throw new InvalidOperationException($"the eBPF object of fibre {_fibre.Name} is not attached yet");
        }
    }

    private sealed record Previous(ulong KernelStart, ulong Samples, ulong Total, ulong ProcStart, string Name);

    // Events are read by whoever needs them (BpfFibre.OpenEvents); the daemon drains the ring
    // so that it never fills and counts as dropped.
    private sealed class Drain : IBpfEventHandler<SigilEvent>
    {
        public void OnEvent(in SigilEvent record)
        {
        }
    }
}
