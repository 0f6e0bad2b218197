using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// A fibre's eBPF object, driven by its descriptor (<see cref="BpfObjectDescription"/>, the file the
/// build writes beside the object, read by <see cref="BpfDescriptorReader"/>): configure the
/// fixed point before load, load (checking the shared layouts against the object's BTF), attach,
/// arm and disarm enforcement, scope sensing, keep the allow-list, read prices, state and
/// counters, and consume events.
/// </summary>
/// <example>
/// <code>
/// using var fibre = BpfFibre.Open("bpf/dwell.bpf.o");   // reads bpf/dwell.bpf.json beside it
/// fibre.Load();
/// using var links = fibre.Attach();
/// fibre.Allow(sshdTgid);
/// fibre.Arm();                            // kill in the kernel from now on; the daemon is protected
/// foreach (var (tgid, price) in fibre.Prices()) { ... }
/// </code>
/// </example>
public sealed class BpfFibre : IDisposable
{
    private readonly BpfMap _control;
    private readonly BpfMap _stats;
    private readonly BpfMap _allow;
    private readonly BpfMap _scope;
    private readonly BpfMap _events;
    private readonly BpfMap? _wake;
    private readonly BpfMap _state;
    private readonly BpfMap? _price;

    private BpfFibre(BpfObject obj, BpfObjectDescription descriptor)
    {
        Object = obj;
        Descriptor = descriptor;
        _control = obj.Map(descriptor.ControlMap);
        _stats = obj.Map(descriptor.StatsMap);
        _allow = obj.Map(descriptor.AllowMap);
        _scope = obj.Map(descriptor.ScopeMap);
        _events = obj.Map(descriptor.EventsMap);
        _wake = descriptor.WakeMap is null ? null : obj.Map(descriptor.WakeMap);
        _state = obj.Map(descriptor.StateMap);
        _price = descriptor.PriceMap is null ? null : obj.Map(descriptor.PriceMap);
        foreach (var program in descriptor.Programs)
        {
            obj.Program(program);
        }
    }

    /// <summary>The object.</summary>
    public BpfObject Object { get; }

    /// <summary>The compiled object's descriptor: names, layouts and constants.</summary>
    public BpfObjectDescription Descriptor { get; }

    /// <summary>The per-agent state map (u32 key; the fibre's generated state struct as value).</summary>
    public BpfMap StateMap => _state;

    /// <summary>The kernel price map, or null when the fibre keeps no price in the kernel.</summary>
    public BpfMap? PriceMap => _price;

    /// <summary>
    /// Opens the fibre's object at <paramref name="objectPath"/> with the descriptor the build wrote
    /// beside it (<see cref="BpfDescriptorReader.PathBeside"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The descriptor is missing or bad.</exception>
    /// <exception cref="IOException">The object is not the one the descriptor describes.</exception>
    public static BpfFibre Open(string objectPath) => Open(objectPath, BpfDescriptorReader.Read(BpfDescriptorReader.PathBeside(objectPath)));

    /// <summary>
    /// Opens the fibre's object at <paramref name="objectPath"/> and checks it has the maps (with
    /// their types and layouts) and programs <paramref name="descriptor"/> names.
    /// </summary>
    public static BpfFibre Open(string objectPath, BpfObjectDescription descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var obj = BpfObject.Open(objectPath);
        try
        {
            var problems = BpfDescriptorReader.CompareMaps(descriptor, obj);
            if (problems.Count > 0)
            {
                throw new KeyNotFoundException(string.Join("; ", problems));
            }

            return new BpfFibre(obj, descriptor);
        }
        catch (KeyNotFoundException e)
        {
            obj.Dispose();
            throw new IOException($"{Path.GetFileName(objectPath)} is not the object of fibre {descriptor.Fibre} its descriptor describes (rebuild it): {e.Message}", e);
        }
    }

    /// <summary>
    /// The fixed-point constants the kernel will use: the object's tunables as they stand (the
    /// compiled-in values until <see cref="Configure"/>), for the descriptor's resource.
    /// </summary>
    public FixedPointSpec FixedPoint
    {
        get
        {
            RequirePrice();
            return new FixedPointSpec(
                Descriptor.FixedPoint?.Resource ?? string.Empty,
                (int)Object.GetTunable<uint>("fx_scale_bits"),
                Object.GetTunable<long>("fx_step"),
                Object.GetTunable<long>("fx_budget"),
                Object.GetTunable<long>("fx_load_max"),
                Object.GetTunable<long>("fx_price_max"),
                (long)Object.GetTunable<ulong>("fx_ns_per_unit"));
        }
    }

    /// <summary>Sets the constants of the kernel price update (before <see cref="Load"/>).</summary>
    public void Configure(FixedPointSpec constants)
    {
        RequirePrice();
        Sigil.Runtime.Bpf.FixedPoint.Validate(constants);
        Object.SetTunable("fx_scale_bits", (uint)constants.ScaleBits);
        Object.SetTunable("fx_step", constants.StepFixed);
        Object.SetTunable("fx_budget", constants.BudgetFixed);
        Object.SetTunable("fx_load_max", constants.LoadMaxFixed);
        Object.SetTunable("fx_price_max", constants.PriceMaxFixed);
        Object.SetTunable("fx_ns_per_unit", (ulong)constants.NanosecondsPerUnit);
    }

    /// <summary>Loads the object, then checks that the shared structs have the C# layouts (an <see cref="IOException"/> when not).</summary>
    public void Load()
    {
        Object.Load();
        var problems = VerifyLayouts();
        if (problems.Count > 0)
        {
            throw new IOException($"{Object.FileName} does not match this runtime's layouts: " + string.Join("; ", problems));
        }
    }

    /// <summary>Attaches every program; dispose the result to detach.</summary>
    public BpfLinkSet Attach() => Object.AttachAll();

    /// <summary>Differences between the object's shared structs and <see cref="SigilControl"/>, <see cref="SigilStats"/>, <see cref="SigilEvent"/>.</summary>
    public IReadOnlyList<string> VerifyLayouts()
    {
        var btf = Object.Btf ?? throw new IOException($"{Object.FileName} has no BTF (build it with -g)");
        return btf.CompareLayout<SigilControl>("sigil_control")
            .Concat(btf.CompareLayout<SigilStats>("sigil_stats"))
            .Concat(btf.CompareLayout<SigilEvent>("sigil_event"))
            .ToList();
    }

    /// <summary>The control map's value.</summary>
    public SigilControl ReadControl() => _control.Lookup<uint, SigilControl>(0);

    /// <summary>Replaces the control map's value.</summary>
    public void WriteControl(in SigilControl control) => _control.Update(0u, control);

    /// <summary>
    /// Arms enforcement: from now on a program may SIGKILL a process past the kill price, never
    /// <paramref name="daemonTgid"/> (this process by default), pid 1, kernel threads or the allow-listed.
    /// </summary>
    public void Arm(uint daemonTgid = 0)
    {
        var control = ReadControl();
        control.DaemonTgid = daemonTgid != 0 ? daemonTgid : (uint)Environment.ProcessId;
        control.Armed = 1;
        WriteControl(control);
    }

    /// <summary>Arms (<see cref="Arm"/>) or disarms (<see cref="Disarm"/>) enforcement.</summary>
    public void SetArmed(bool armed, uint daemonTgid = 0)
    {
        if (armed)
        {
            Arm(daemonTgid);
        }
        else
        {
            Disarm();
        }
    }

    /// <summary>Disarms when the object is loaded; before a load (or after a failed one) nothing can be armed.</summary>
    public void DisarmIfLoaded()
    {
        try
        {
            Disarm();
        }
        catch (Exception e) when (e is BpfException or InvalidOperationException)
        {
            // Not loaded: nothing armed.
        }
    }

    /// <summary>Disarms enforcement: the programs only report (dry run, the default).</summary>
    public void Disarm()
    {
        var control = ReadControl();
        control.Armed = 0;
        WriteControl(control);
    }

    /// <summary>
    /// A consumer of the wake ring: it becomes readable at once when the kernel makes a decision
    /// (throttle, release, kill), and <see cref="BpfRingBuffer.Poll"/> on it waits for one. Null
    /// when the fibre's kernel makes no decision.
    /// </summary>
    public BpfRingBuffer? OpenWake() => _wake is null ? null : BpfRingBuffer.Create<byte, WakeHandler>(_wake, default);

    /// <summary>Senses only process <paramref name="tgid"/>; 0 senses every process.</summary>
    public void Scope(uint tgid) => Scope(tgid == 0 ? [] : [tgid]);

    /// <summary>
    /// Senses only the processes <paramref name="tgids"/> (the first is the control's target, the
    /// others go into the scope set); none senses every process. The set is written before the
    /// target, so a widening never filters a process in the set.
    /// </summary>
    public void Scope(IReadOnlyList<uint> tgids)
    {
        ArgumentNullException.ThrowIfNull(tgids);
        if (tgids.Any(t => t == 0))
        {
            throw new ArgumentException("tgid 0 cannot be scoped (an empty scope senses every process)", nameof(tgids));
        }

        var capacity = _scope.MaxEntries;
        if (tgids.Count - 1 > capacity)
        {
            throw new ArgumentException($"{tgids.Count} processes in scope; the kernel's scope set holds {capacity} besides the target", nameof(tgids));
        }

        var wanted = tgids.Skip(1).ToHashSet();
        foreach (var stale in _scope.Keys<uint>().Where(k => !wanted.Contains(k)).ToList())
        {
            _scope.Delete(stale);
        }

        foreach (var tgid in wanted)
        {
            _scope.Update(tgid, 1u);
        }

        var control = ReadControl();
        control.TargetTgid = tgids.Count == 0 ? 0 : tgids[0];
        WriteControl(control);
    }

    /// <summary>The tgids sensed while scoped (the target first); empty when every process is sensed.</summary>
    public IReadOnlyList<uint> ScopeList()
    {
        var target = ReadControl().TargetTgid;
        return target == 0 ? [] : [target, .. _scope.Keys<uint>().Where(k => k != target).Order()];
    }

    /// <summary>Sends every load sample to the ring buffer (off by default).</summary>
    public void SendSamples(bool on)
    {
        var control = ReadControl();
        control.Flags = on ? control.Flags | (uint)SigilControlFlags.Samples : control.Flags & ~(uint)SigilControlFlags.Samples;
        WriteControl(control);
    }

    /// <summary>Overrides the throttle and kill prices (fixed point); 0 restores the compiled-in default.</summary>
    public void SetThresholds(long throttlePrice, long killPrice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(throttlePrice);
        ArgumentOutOfRangeException.ThrowIfNegative(killPrice);
        var control = ReadControl();
        control.ThrottlePrice = throttlePrice;
        control.KillPrice = killPrice;
        WriteControl(control);
    }

    /// <summary>Puts <paramref name="tgid"/> on the allow-list: the programs never signal it.</summary>
    public void Allow(uint tgid) => _allow.Update(tgid, 1u);

    /// <summary>Takes <paramref name="tgid"/> off the allow-list; false when it was not on it.</summary>
    public bool Disallow(uint tgid) => _allow.Delete(tgid);

    /// <summary>The allow-listed tgids.</summary>
    public IEnumerable<uint> AllowList() => _allow.Keys<uint>();

    /// <summary>The counters of every CPU, added up.</summary>
    public SigilStats ReadStats()
    {
        Span<SigilStats> perCpu = new SigilStats[BpfMap.PossibleCpus];
        return _stats.LookupPerCpu(0u, perCpu) ? SigilStats.Sum(perCpu) : default;
    }

    /// <summary>The kernel price of agent <paramref name="key"/> (fixed point); false when it has none.</summary>
    public bool TryGetPrice(uint key, out long price)
    {
        RequirePrice();
        return _price!.TryLookup(key, out price);
    }

    /// <summary>Every agent's kernel price (fixed point).</summary>
    public IEnumerable<KeyValuePair<uint, long>> Prices()
    {
        RequirePrice();
        return _price!.Entries<uint, long>();
    }

    /// <summary>The state of agent <paramref name="key"/>, as the fibre's generated state struct.</summary>
    public bool TryGetState<TState>(uint key, out TState state)
        where TState : unmanaged
        => _state.TryLookup(key, out state);

    /// <summary>A consumer of the fibre's events; poll it from one thread.</summary>
    public BpfRingBuffer OpenEvents<THandler>(THandler handler)
        where THandler : IBpfEventHandler<SigilEvent>
        => BpfRingBuffer.Create<SigilEvent, THandler>(_events, handler);

    /// <summary>
    /// Pins the fibre's shared maps under <paramref name="folder"/> (conventionally
    /// <c>/sys/fs/bpf/sigil/&lt;fibre&gt;</c>), each by its name: hooks and tools open them with
    /// <see cref="BpfMap.OpenPinned"/>.
    /// </summary>
    public IReadOnlyList<string> PinMaps(string folder)
    {
        Directory.CreateDirectory(folder);
        var pinned = new List<string>();
        foreach (var map in new[] { _price, _state, _control, _allow, _scope, _stats, _events })
        {
            if (map is null)
            {
                continue;
            }

            var path = Path.Combine(folder, map.Name);
            map.Pin(path);
            pinned.Add(path);
        }

        return pinned;
    }

    /// <summary>Unloads the object (links and pins keep what they hold).</summary>
    public void Dispose() => Object.Dispose();

    private void RequirePrice()
    {
        if (_price is null)
        {
            throw new InvalidOperationException($"fibre {Descriptor.Fibre} keeps no price in the kernel");
        }
    }

    /// <summary>Wake records carry nothing: reading them only re-arms the wait.</summary>
    private readonly struct WakeHandler : IBpfEventHandler<byte>
    {
        public void OnEvent(in byte record)
        {
        }
    }
}
