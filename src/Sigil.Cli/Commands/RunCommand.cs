using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sigil.Cli.Output;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil run &lt;fibre.sigil | fibre.daemon.json&gt; [--arm] [--metrics-url URL]</c>: the fibre's
/// daemon. Observation mode unless <c>--arm</c>; metrics on 127.0.0.1:9464 unless configured.
/// It reads what the build wrote (<see cref="BuiltFibres"/>) and never compiles.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var fibre = new Argument<string>("fibre") { Description = "A built fibre: its .sigil file (the build of that very text is found among the build outputs), or the daemon descriptor (.daemon.json) the build or 'sigil emit' wrote." };
        var arm = new Option<bool>("--arm") { Description = "Enforce: throttle, kill, pin threads. Without it the daemon only observes (dry run)." };
        var metricsUrl = new Option<string?>("--metrics-url") { Description = "Serve /metrics and /healthz at http://ip:port ('none' to disable). Default http://127.0.0.1:9464." };
        var config = new Option<string?>("--config") { Description = "A JSON configuration file (command-line options override it)." };
        var stateDir = new Option<string?>("--state-dir") { Description = "Checkpoint directory (default /var/lib/sigil)." };
        var sensor = new Option<string?>("--sensor") { Description = "kernel (the fibre's eBPF programs, default) or procfs (the /proc fallback)." };
        sensor.AcceptOnlyFromAmong("kernel", "procfs");
        var scope = new Option<int[]>("--scope") { Description = "Sense only these pids (kernel sensor: these processes; procfs sensor and placement fibres: these and their descendants).", AllowMultipleArgumentsPerToken = true };
        var allowPid = new Option<int[]>("--allow-pid") { Description = "Never act on these pids.", AllowMultipleArgumentsPerToken = true };
        var allowComm = new Option<string[]>("--allow-comm") { Description = "Never act on processes with these command names.", AllowMultipleArgumentsPerToken = true };
        var exeWeight = new Option<string[]>("--exe-weight") { Description = "Behaviour fibres: PATH=WEIGHT gives an executable a class weight in the kernel (0.1 for archivers: ten times the budget; 0 spares it).", AllowMultipleArgumentsPerToken = true };
        var tick = new Option<string?>("--tick") { Description = "Tick period (default 250ms)." };
        var procfsInterval = new Option<string?>("--procfs-interval") { Description = "procfs sensor: time between scans (default 1s)." };
        var checkpoint = new Option<string?>("--checkpoint-interval") { Description = "Checkpoint period (default 5s)." };
        var grace = new Option<string?>("--kill-grace") { Description = "SIGTERM to SIGKILL grace (default 2s)." };
        var bpffs = new Option<string?>("--bpffs") { Description = "bpffs mount (default /sys/fs/bpf)." };
        var tracefs = new Option<string?>("--tracefs") { Description = "tracefs mount (default /sys/kernel/tracing)." };
        var bpfObject = new Option<string?>("--bpf-object") { Description = "The fibre's compiled eBPF object (default: the build's, found beside this program or in the repository)." };
        var mountinfo = new Option<string?>("--mountinfo") { Description = "Mount table to read (default /proc/self/mountinfo).", Hidden = true };
        var logFormat = new Option<string?>("--log-format") { Description = "json (default), simple or none." };
        logFormat.AcceptOnlyFromAmong("json", "simple", "none");
        var table = new Option<bool?>("--table") { Description = "Show the live table (default: when the output is a terminal)." };
        var placementPeriod = new Option<string?>("--placement-period") { Description = "Placement fibres: time between two solves (default 1s)." };
        var placementThreads = new Option<int?>("--placement-threads") { Description = "Placement fibres: place at most this many threads per solve, the busiest (default 256)." };
        var placementHold = new Option<int?>("--placement-hold") { Description = "Placement fibres: move a thread only when the same new domain wins this many solves in a row (default 2)." };
        var sysfs = new Option<string?>("--sysfs") { Description = "sysfs mount, for the CPU topology and, for cluster fibres, the RAPL counters under class/powercap (default /sys).", Hidden = true };
        var pricePage = new Option<string?>("--price-page") { Description = "The shared price page for instrumented programs (default /run/sigil/<fibre>.prices, in a folder of root's that no one else can write; none: keep no page)." };
        var pinFolder = new Option<string?>("--pin-folder") { Description = "eBPF sensor: the bpffs folder where the price map is pinned for hooks (default {bpffs}/sigil/{fibre}; none: pin nothing)." };
        var wake = new Option<bool?>("--wake-on-decision") { Description = "eBPF sensor: tick at once when the kernel decides (default true; false waits for the next tick)." };
        var etcd = new Option<string?>("--etcd") { Description = "Cluster fibres: etcd client URLs, comma-separated (http://host:2379 or https://… with --etcd-ca/--etcd-cert/--etcd-key)." };
        var node = new Option<string?>("--node") { Description = "Cluster fibres: this node's name (default: the host name)." };
        var etcdCa = new Option<string?>("--etcd-ca") { Description = "Cluster fibres: PEM CA of the etcd servers." };
        var etcdCert = new Option<string?>("--etcd-cert") { Description = "Cluster fibres: PEM client certificate." };
        var etcdKey = new Option<string?>("--etcd-key") { Description = "Cluster fibres: PEM client key." };
        var round = new Option<string?>("--round") { Description = "Cluster fibres: time between two cluster rounds (default 500ms).", Hidden = true };
        var lease = new Option<string?>("--lease") { Description = "Cluster fibres: the node lease's time to live (default 3s).", Hidden = true };
        var powerFit = new Option<string?>("--power-fit") { Description = "Cluster fibres: on (default) fits the sensed power as gain x model + offset and solves in sensed units; off keeps the fibre's model and only reports the sensed power." };
        var duration = new Option<string?>("--duration") { Description = "Stop this long after the daemon is ready (default: run until SIGTERM or Ctrl+C).", Hidden = true };

        var command = new Command("run", "Run a fibre's daemon: sense, solve, act; metrics and health over HTTP.")
        {
            fibre, arm, metricsUrl, config, stateDir, sensor, scope, allowPid, allowComm, exeWeight, tick, procfsInterval, checkpoint, grace, bpffs, tracefs, bpfObject, mountinfo, logFormat, table, wake, pricePage, pinFolder, duration,
            placementPeriod, placementThreads, placementHold, sysfs, etcd, node, etcdCa, etcdCert, etcdKey, round, lease, powerFit,
        };
        command.SetAction((parse, token) => CommandRunner.RunAsync(async () =>
        {
            using var stopCluster = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (parse.GetValue(duration) is { } runFor)
            {
                stopCluster.CancelAfter(Durations.Parse(runFor, "--duration"));
            }

            var fibrePath = parse.GetValue(fibre)!;
            var built = BuiltFibres.Load(fibrePath);
            if (built.Cluster is { } cluster)
            {
                // A cluster node has no host to catch SIGTERM and Ctrl+C: stop its rounds, so that its
                // jobs are put back and its cgroups removed, rather than exit with them throttled.
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Stop(c, stopCluster));
                using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Stop(c, stopCluster));
                return await ClusterRun.RunAsync(fibrePath, ClusterFibre.From(cluster), new ClusterRunOptions(
                    parse.GetValue(etcd), parse.GetValue(node), parse.GetValue(etcdCa), parse.GetValue(etcdCert), parse.GetValue(etcdKey),
                    parse.GetValue(round) is { } r ? Durations.Parse(r, "--round") : null,
                    parse.GetValue(lease) is { } l ? Durations.Parse(l, "--lease") : null,
                    parse.GetValue(scope) ?? [], parse.GetValue(arm), parse.GetValue(allowPid) ?? [], parse.GetValue(allowComm) ?? [],
                    parse.GetValue(sysfs) ?? "/sys", parse.GetValue(metricsUrl),
                    parse.GetValue(powerFit) switch
                    {
                        null or "on" => true,
                        "off" => false,
                        var other => throw new CliException(CliExitCodes.BadInput, $"--power-fit takes on or off, not '{other}'"),
                    }), stopCluster.Token).ConfigureAwait(false);
            }

            var options = new DaemonOptions();
            if (parse.GetValue(config) is { } configPath)
            {
                options = DaemonConfigFile.Read(configPath).ApplyTo(options, configPath);
            }

            options = options with
            {
                Arm = parse.GetValue(arm),
                MetricsUrl = parse.GetValue(metricsUrl) is { } url ? (url == "none" ? null : url) : options.MetricsUrl,
                StateDirectory = parse.GetValue(stateDir) ?? options.StateDirectory,
                Sensor = parse.GetValue(sensor) switch { "procfs" => SensorChoice.Procfs, "kernel" => SensorChoice.Kernel, _ => options.Sensor },
                Scope = parse.GetValue(scope) is { Length: > 0 } s ? s : options.Scope,
                AllowPids = parse.GetValue(allowPid) is { Length: > 0 } p ? p : options.AllowPids,
                AllowComms = parse.GetValue(allowComm) is { Length: > 0 } c ? c : options.AllowComms,
                ExecutableWeights = parse.GetValue(exeWeight) is { Length: > 0 } w ? ExecutableWeights(w) : options.ExecutableWeights,
                Tick = parse.GetValue(tick) is { } t ? Durations.Parse(t, "--tick") : options.Tick,
                WakeOnDecision = parse.GetValue(wake) ?? options.WakeOnDecision,
                PricePage = parse.GetValue(pricePage) is { } page ? (page == "none" ? null : page) : options.PricePage,
                PinFolder = parse.GetValue(pinFolder) is { } pins ? (pins == "none" ? null : pins) : options.PinFolder,
                ProcfsInterval = parse.GetValue(procfsInterval) is { } pi ? Durations.Parse(pi, "--procfs-interval") : options.ProcfsInterval,
                CheckpointInterval = parse.GetValue(checkpoint) is { } ci ? Durations.Parse(ci, "--checkpoint-interval") : options.CheckpointInterval,
                KillGrace = parse.GetValue(grace) is { } g ? Durations.Parse(g, "--kill-grace") : options.KillGrace,
                BpfFs = parse.GetValue(bpffs) ?? options.BpfFs,
                TraceFs = parse.GetValue(tracefs) ?? options.TraceFs,
                MountInfo = parse.GetValue(mountinfo) ?? options.MountInfo,
                PlacementPeriod = parse.GetValue(placementPeriod) is { } pp ? Durations.Parse(pp, "--placement-period") : options.PlacementPeriod,
                PlacementThreads = parse.GetValue(placementThreads) ?? options.PlacementThreads,
                PlacementHold = parse.GetValue(placementHold) ?? options.PlacementHold,
                SysRoot = parse.GetValue(sysfs) ?? options.SysRoot,
                LogFormat = parse.GetValue(logFormat) switch { "simple" => LogFormat.Simple, "none" => LogFormat.None, "json" => LogFormat.Json, _ => options.LogFormat },
            };

            var bad = options.Validate();
            if (bad.Count > 0)
            {
                throw new CliException(CliExitCodes.BadInput, string.Join("; ", bad));
            }

            var daemon = built.Daemon!;
            var interactive = parse.GetValue(table) ?? Terminal.IsInteractive;
            if (interactive && options.LogFormat != LogFormat.None)
            {
                // The live table owns the terminal; only warnings and errors are logged beside it.
                options = options with { LogFormat = LogFormat.Simple };
            }

            // --duration counts from the moment the daemon is ready, so a slow start (a loaded
            // machine, a cold JIT) does not eat the run it asked for.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var readyFor = parse.GetValue(duration) is { } d ? Durations.Parse(d, "--duration") : (TimeSpan?)null;

            // Off a terminal the logs carry each action; the table is printed once at the end.
            var view = new LiveView(Terminal.Out, interactive, printActions: options.LogFormat == LogFormat.None);
            var launcher = new DaemonLauncher(Console.Error)
            {
                KernelFactory = new PlacementAwareKernelFibreFactory(KernelFibres.Factory(parse.GetValue(bpfObject) ?? built.BpfObject, options.Scope))
                {
                    ScopeRoots = options.Scope,
                    Window = options.PlacementPeriod,
                    ProcRoot = options.ProcRoot,
                },
                Started = app =>
                {
                    view.Attach(app);
                    if (readyFor is { } length)
                    {
                        stop.CancelAfter(length);
                    }
                },
                Logging = interactive ? l => l.SetMinimumLevel(LogLevel.Warning) : null,
            };
            var code = await view.RunAsync(launcher.RunAsync(daemon, options, stop.Token)).ConfigureAwait(false);
            return code;
        }));
        return command;
    }

    /// <summary>Parses <c>--exe-weight PATH=WEIGHT</c> values.</summary>
    private static Dictionary<string, double> ExecutableWeights(IEnumerable<string> values)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var at = value.LastIndexOf('=');
            if (at <= 0 || !double.TryParse(value.AsSpan(at + 1), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight))
            {
                throw new CliException(CliExitCodes.BadInput, $"--exe-weight '{value}': expected PATH=WEIGHT, e.g. /usr/bin/gzip=0.1");
            }

            weights[value[..at]] = weight;
        }

        return weights;
    }

    /// <summary>True when <paramref name="path"/> names a readable file.</summary>
    public static bool Exists(string path) => File.Exists(path);

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
