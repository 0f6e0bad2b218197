using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sigil.Runtime.Bpf;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting.Kernel;
using Sigil.Runtime.Hosting.Placement;
using Sigil.Runtime.Hosting.Sensors;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// Starts a daemon in the one order that never leaves it half-armed: validate the options and
/// the fibre, run the preflight checks, open and attach the sensor, take the state lock and
/// restore the checkpoint, start the metrics server and the tick loop, and only then, when
/// <c>--arm</c> was given, arm the kernel and the enforcer. Any failure before the last step exits
/// with a clear message and nothing armed.
/// </summary>
public sealed class DaemonLauncher
{
    private readonly TextWriter _errors;

    /// <summary>A launcher reporting problems to <paramref name="errors"/>.</summary>
    public DaemonLauncher(TextWriter errors) => _errors = errors ?? throw new ArgumentNullException(nameof(errors));

    /// <summary>
    /// Opens the kernel side of a fibre (the eBPF backend); by default from the objects the build
    /// copies beside this program (<c>sigil/&lt;fibre&gt;/bpf/&lt;fibre&gt;.bpf.o</c>).
    /// </summary>
    public IKernelFibreFactory KernelFactory { get; init; } =
        new PlacementAwareKernelFibreFactory(new BpfKernelFibreFactory(null, Path.Combine(AppContext.BaseDirectory, "sigil")));

    /// <summary>Extra logging configuration (tests, the live table).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Called once the daemon runs (armed or not), before waiting for shutdown.</summary>
    public Action<DaemonApplication>? Started { get; init; }

    /// <summary>Runs <paramref name="fibre"/> until shutdown; returns a <see cref="DaemonExitCodes"/> value.</summary>
    public async Task<int> RunAsync(DaemonFibre fibre, DaemonOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        ArgumentNullException.ThrowIfNull(options);
        var bad = options.Validate().Concat(fibre.Validate()).Concat(Placement.PlacementSettings.Problems(fibre)).ToList();
        if (bad.Count > 0)
        {
            return Fail(DaemonExitCodes.BadInput, bad);
        }

        var preflight = DaemonPreflight.Check(fibre, options);
        foreach (var warning in preflight.Warnings)
        {
            _errors.WriteLine($"warning: {warning}");
        }

        if (!preflight.Ok)
        {
            return Fail(DaemonExitCodes.Environment, preflight.Errors);
        }

        DomainCpuMap? cpus = null;
        if (fibre.Placement is { } placement)
        {
            try
            {
                cpus = DomainCpuMap.Build(placement.Domains, options.SysRoot);
            }
            catch (IOException e)
            {
                return Fail(DaemonExitCodes.Environment, [$"cannot map the domains of fibre '{fibre.Name}' onto this machine's CPUs: {e.Message}"]);
            }

            // Said at start, before anything runs: where each domain's threads will be pinned.
            foreach (var note in cpus.Notes.Skip(cpus.IsApproximate ? 0 : 1))
            {
                _errors.WriteLine($"{(cpus.IsApproximate ? "warning" : "note")}: placement: {note}");
            }
        }

        if (fibre.AgentKey == AgentKeyKind.Tree && options.Sensor != SensorChoice.Kernel)
        {
            return Fail(DaemonExitCodes.BadInput, [$"fibre '{fibre.Name}' senses file behaviour of process trees, which only its eBPF program sees: run it with --sensor kernel"]);
        }

        IKernelFibre? kernel = null;
        ISensor sensor;
        var lists = GuardPolicy.None;
        try
        {
            if (options.Sensor == SensorChoice.Kernel)
            {
                // Attach loads the object disarmed: nothing is enforced before the last step below.
                kernel = KernelFactory.Open(fibre, options.BpfFs, options.TraceFs);
                kernel.Attach();
                lists = ApplyProcessLists(fibre, kernel, options.SysRoot);

                // --exe-weight comes after the fibre's classes: it adds an executable or overrides its class weight.
                foreach (var (path, weight) in options.ExecutableWeights)
                {
                    if (!kernel.Weigh(path, weight))
                    {
                        throw new InvalidOperationException($"executable weight '{path}': fibre '{fibre.Name}' has no class map (only behaviour fibres, index ... by tree, weigh executables)");
                    }
                }
                sensor = kernel;
            }
            else if (fibre.Sensor.Kind == "oncpu")
            {
                sensor = new ProcTaskOnCpuSensor(fibre.Sensor.Variable, fibre.Sensor.NanosecondsPerUnit / 1e9, options.ProcRoot, options.Scope, options.PlacementPeriod);
            }
            else
            {
                sensor = new ProcFdSpanSensor(fibre.Sensor.Variable, fibre.Sensor.NanosecondsPerUnit / 1e9, options.ProcRoot, options.Scope, options.ProcfsInterval);
            }
        }
        catch (Exception e) when (e is NotSupportedException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            kernel?.Dispose();
            return Fail(DaemonExitCodes.Environment, [e.Message]);
        }

        using var sensorLifetime = sensor;
        using var store = new CheckpointStore(options.StateDirectory, fibre.Name);
        IDisposable stateLock;
        try
        {
            stateLock = store.AcquireLock();
        }
        catch (IOException e)
        {
            return Fail(DaemonExitCodes.Environment, [e.Message]);
        }

        using var stateLockLifetime = stateLock;
        SharedPricePage? pricePage = null;
        using var pricePageLifetime = new Disposer(() => pricePage?.Dispose());
        var throttler = preflight.Cpu is { } cpu ? new CpuThrottler(cpu, fibre.Name, fibre.Rules.First(r => r.Kind == ActionKind.Throttle).CpuFraction, options.ProcRoot, Instance(options.StateDirectory)) : null;
        var guard = new ProcessGuard(GuardPolicy.From(options.AllowPids, options.AllowComms) with { AllowedExecutables = lists.AllowedExecutables, AllowedCgroups = lists.AllowedCgroups }, options.ProcRoot);
        var enforcer = new Enforcer(guard, new EnforcerSettings(options.KillGrace), throttler);
        ISolverStep solver = cpus is not null
            ? new PlacementStep(fibre, options, cpus, kernel as IPlacementPriceWriter)
            : fibre.Periodic is not null ? new PeriodicRowStep(fibre)
            : kernel is { KeepsPrices: true } ? new KernelPriceMirror(fibre) : new SensedDualStep(fibre);

        var loaded = store.Load();
        await using var app = DaemonApplication.Build(new DaemonParts(fibre, sensor, solver, enforcer, kernel, store), options, loaded.State?.Sequence ?? 0, Logging);
        var logger = app.Host.Services.GetService(typeof(ILoggerFactory)) is ILoggerFactory factory ? factory.CreateLogger("Sigil.Daemon") : null;
        foreach (var problem in loaded.Problems)
        {
            _errors.WriteLine($"warning: checkpoint: {problem}");
            if (logger is not null)
            {
                DaemonLog.CheckpointProblem(logger, fibre.Name, problem);
            }
        }

        if (loaded.State is { } state)
        {
            var restored = app.Engine.Restore(state);
            if (logger is not null)
            {
                DaemonLog.Restored(logger, fibre.Name, restored, state.Counters.Count, state.Sequence, loaded.Source.ToString().ToLowerInvariant());
            }
        }

        try
        {
            if (options.Arm && throttler is not null)
            {
                // Create the cgroup before anything runs: a refusal here is a clean start-up failure.
                // Processes a killed predecessor left throttled are released where they came from
                // (as its last checkpoint says, else to the root); prices re-throttle them.
                throttler.Prepare();
                throttler.Adopt(loaded.State?.Throttled ?? []);
                throttler.ReleaseAll();
            }

            // What instrumented programs' hooks read (docs/llvm.md): the pinned price map and the
            // shared price page. Both go at shutdown, and hooks then read price 0.
            if (kernel is not null && options.PinFolder is { } pins)
            {
                kernel.PinPriceMap(pins.Replace("{bpffs}", options.BpfFs.TrimEnd('/'), StringComparison.Ordinal).Replace("{fibre}", fibre.Name, StringComparison.Ordinal));
            }

            if (options.PricePage is { } page && fibre.Placement is null && fibre.Rows.Count > 0 && fibre.PriceMaps.ContainsKey(fibre.Rows[0].Resource))
            {
                pricePage = new SharedPricePage(page.Replace("{fibre}", fibre.Name, StringComparison.Ordinal), fibre.PriceScaleBits, fibre.Capacity);
                app.Engine.PricePage = pricePage;
            }

            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or UnauthorizedAccessException or InvalidOperationException or BpfException)
        {
            throttler?.Dispose();
            pricePage?.Dispose();
            var reason = e is IOException { InnerException: SocketException s } ? s.Message : e.Message;
            return Fail(DaemonExitCodes.Environment, [$"cannot start: {reason}"]);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting (SIGTERM, Ctrl+C, --duration on a slow machine): nothing was
            // armed; stop what started, as a stop after the start would.
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            return DaemonExitCodes.Ok;
        }

        if (logger is not null)
        {
            DaemonLog.Started(logger, fibre.Name, options.Arm ? "ARMED: enforcement on" : "observation mode (dry run; --arm enforces)", sensor.Name, sensor.Description, solver.Name, options.Tick.TotalMilliseconds);
            if (app.MetricsServer?.Address is { } address)
            {
                DaemonLog.Serving(logger, fibre.Name, address.ToString().TrimEnd('/'));
            }

            foreach (var note in cpus?.Notes ?? [])
            {
                DaemonLog.PlacementNote(logger, fibre.Name, note);
            }
        }

        if (options.Arm)
        {
            try
            {
                if (fibre.Rules.Any(r => r.Kind == ActionKind.Freeze))
                {
                    app.Engine.Freezer = new CgroupFreezer(CgroupFreezer.FindRoot(options.SysRoot)
                        ?? throw new InvalidOperationException($"fibre '{fibre.Name}' freezes agents, and {options.SysRoot}/fs/cgroup has no cgroup v2 hierarchy (cgroup.controllers)"));
                }

                if (kernel is not null)
                {
                    foreach (var pid in options.AllowPids)
                    {
                        kernel.Allow(pid);
                    }

                    kernel.SetArmed(true, Environment.ProcessId);
                }

                enforcer.Arm();
                app.Engine.Metrics.SetArmed(true);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or NotSupportedException)
            {
                enforcer.Disarm();
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
                return Fail(DaemonExitCodes.Environment, [$"cannot arm: {e.Message}"]);
            }
        }

        Started?.Invoke(app);
        try
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return app.Service.ExitCode;
    }

    /// <summary>
    /// The daemon's instance: its state directory (which its lock makes its own), hashed to eight
    /// hex digits. It names the daemon's throttled cgroup, so two daemons of one fibre keep apart
    /// and a restarted daemon finds what its predecessor throttled.
    /// </summary>
    public static string Instance(string stateDirectory) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(stateDirectory).TrimEnd('/'))))[..8];

    private sealed class Disposer(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private int Fail(int code, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            _errors.WriteLine($"error: {problem}");
        }

        return code;
    }

    /// <summary>
    /// Resolves the fibre's classes and allow statements on this host and writes them to the kernel:
    /// executables by (dev, ino), cgroups by id under the cgroup v2 mount. Says on the error stream
    /// what each path resolved to, and warns about paths that are not here (they are skipped). Returns
    /// the allow-list resolved, for the daemon's own guard.
    /// </summary>
    private GuardPolicy ApplyProcessLists(DaemonFibre fibre, IKernelFibre kernel, string sysRoot)
    {
        if (fibre.Classes.Count == 0 && fibre.Allowed.Executables.Count == 0 && fibre.Allowed.Cgroups.Count == 0)
        {
            return GuardPolicy.None;
        }

        var root = CgroupFreezer.FindRoot(sysRoot);
        var executables = ImmutableHashSet.CreateBuilder<(uint Dev, ulong Ino)>();
        var cgroups = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        void Resolve(string what, ProcessList list, Func<(uint Dev, ulong Ino), string, bool> exe, Func<ulong, string, bool> cgroup)
        {
            foreach (var path in list.Executables)
            {
                if (ProcessIdentity.Executable(path, out var problem) is { } id)
                {
                    exe(id, path);
                    _errors.WriteLine($"note: {what}: exe {path} is device {id.Dev >> 20}:{id.Dev & 0xfffff} inode {id.Ino}");
                }
                else
                {
                    _errors.WriteLine($"warning: {what}: exe {path} is not here ({problem}); skipped");
                }
            }

            foreach (var path in list.Cgroups)
            {
                var found = root is null ? null : ProcessIdentity.Cgroup(root, path, out var problem2) is { } cid ? (ulong?)cid : null;
                if (found is { } id)
                {
                    cgroup(id, path);
                    _errors.WriteLine($"note: {what}: cgroup {path} is id {id} under {root}");
                }
                else
                {
                    _errors.WriteLine($"warning: {what}: cgroup {path} is not here ({(root is null ? "no cgroup v2 hierarchy" : "no such cgroup under " + root)}); skipped");
                }
            }
        }

        foreach (var c in fibre.Classes)
        {
            Resolve($"class {c.Name} (weight {c.Weight.ToString(CultureInfo.InvariantCulture)})", c.Members, (_, path) => kernel.Weigh(path, c.Weight), (id, _) => kernel.WeighCgroup(id, c.Weight));
        }

        Resolve("allow", fibre.Allowed, (id, path) => kernel.AllowExecutable(path) && executables.Add(id), (id, path) => kernel.AllowCgroup(id) && cgroups.Add(path));
        return GuardPolicy.None with { AllowedExecutables = executables.ToImmutable(), AllowedCgroups = cgroups.ToImmutable() };
    }
}
