using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Sigil.Cli.Output;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Hosting.Kernel;
using Spectre.Console;

namespace Sigil.Cli.Commands;

/// <summary>
/// <c>sigil demo</c>: the main job end to end. Compile fibres/dwell.sigil, run its daemon, start a
/// simulated ransomware process (long file holds) and a benign one (many short opens), and show
/// the dwell prices rise for the first and stay at zero for the second, until the first is
/// throttled and killed (with <c>--arm</c>) or would be (observation mode). With the eBPF object
/// built, the kernel senses both workloads (only them: the program is scoped to their pids), keeps
/// their prices in fixed point and kills in the kernel; otherwise the /proc sensor stands in.
/// Every stage says what it uses.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var arm = new Option<bool>("--arm") { Description = "Enforce on the demo's own workloads (they are the only processes in scope)." };
        var fibre = new Option<string?>("--fibre") { Description = "The dwell fibre (default: fibres/dwell.sigil found from the current folder)." };
        var sensor = new Option<string>("--sensor") { Description = "kernel (default; the /proc sensor stands in when dwell.bpf.o is not built) or procfs.", DefaultValueFactory = _ => "kernel" };
        sensor.AcceptOnlyFromAmong("kernel", "procfs");
        var hold = new Option<string>("--hold") { Description = "How long the simulated ransomware holds each file.", DefaultValueFactory = _ => "8s" };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this long.", DefaultValueFactory = _ => "120s" };
        var metricsUrl = new Option<string>("--metrics-url") { Description = "Where the daemon serves metrics (port 0: any free port).", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var table = new Option<bool?>("--table") { Description = "Show the live table (default: when the output is a terminal)." };
        var bpfObject = new Option<string?>("--bpf-object") { Description = "The dwell fibre's compiled eBPF object (default: the build's)." };
        var command = new Command("demo", "Run the dwell fibre against a simulated ransomware process and a benign one.") { arm, fibre, sensor, hold, timeout, metricsUrl, table, bpfObject };
        command.SetAction((parse, token) => CommandRunner.RunAsync(() => RunAsync(
            parse.GetValue(arm),
            parse.GetValue(fibre),
            parse.GetValue(sensor)!,
            Durations.Parse(parse.GetValue(hold)!, "--hold"),
            Durations.Parse(parse.GetValue(timeout)!, "--timeout"),
            parse.GetValue(metricsUrl)!,
            parse.GetValue(table) ?? Terminal.IsInteractive,
            parse.GetValue(bpfObject),
            token)));
        return command;
    }

    private static async Task<int> RunAsync(bool arm, string? fibrePath, string sensorName, TimeSpan hold, TimeSpan timeout, string metricsUrl, bool interactive, string? bpfObject, CancellationToken token)
    {
        var console = Terminal.Out;
        // A rule spans the terminal; piped output (no width) gets the title as a plain line.
        if (Terminal.IsInteractive)
        {
            console.Write(new Rule("[bold]sigil demo: dwell[/]").LeftJustified());
        }
        else
        {
            console.MarkupLine("── sigil demo: dwell ──");
        }

        // 1. The fibre.
        var path = fibrePath ?? FibreSource.FindShipped("dwell")
            ?? throw new CliException(CliExitCodes.BadInput, "cannot find fibres/dwell.sigil from the current folder; pass --fibre");
        Stage(console, "build", path);
        var built = BuiltFibres.Load(path);
        var daemon = built.Daemon ?? throw new CliException(CliExitCodes.BadInput, $"{path}: the demo runs a fibre of per-agent rows, not a cluster fibre");
        var budget = daemon.Rows[0].Budget;
        Stage(console, "fibre", string.Create(CultureInfo.InvariantCulture, $"'{daemon.Name}': budget {budget} per agent, step {daemon.Step}; {string.Join("  ", daemon.Rules.Select(r => r.Statement))}"));

        // 2. The workloads, each in its own temporary folder.
        var work = Directory.CreateTempSubdirectory("sigil-demo-");
        using var ransomware = WorkloadProcess.Start("ransomware", "ransomware", "--dir", Path.Combine(work.FullName, "ransomware"), "--hold", hold.TotalSeconds.ToString("R", CultureInfo.InvariantCulture) + "s");
        using var benign = WorkloadProcess.Start("benign", "benign", "--dir", Path.Combine(work.FullName, "benign"), "--rate", "200");
        Stage(console, "workloads", $"ransomware pid {ransomware.Pid} (holds each file {hold.TotalSeconds:0.#} s), benign pid {benign.Pid} (200 short opens per second) in {work.FullName}");

        // 3. The sensor: the fibre's eBPF programs, else the /proc sensor, scoped to the two
        // workloads either way (the kernel then prices, and can kill, those processes only).
        var choice = SensorChoice.Procfs;
        int[] scope = [ransomware.Pid, benign.Pid];
        var factory = KernelFibres.Factory(bpfObject ?? built.BpfObject, scope);
        if (sensorName == "kernel")
        {
            if (factory.Find(daemon) is { } objectPath)
            {
                choice = SensorChoice.Kernel;
                Stage(console, "sensor", $"the fibre's eBPF programs in the kernel ({objectPath}), scoped to the demo's workloads");
            }
            else
            {
                console.MarkupLine("[yellow]not built[/] kernel sensor: no dwell.bpf.o found (dotnet build compiles it; or pass --bpf-object)");
                Stage(console, "sensor", "the /proc sensor instead (file holds sampled every half second), scoped to the demo's workloads");
            }
        }
        else
        {
            Stage(console, "sensor", "the /proc sensor (file holds sampled every half second), scoped to the demo's workloads");
        }

        Stage(console, "mode", arm ? "[red]ARMED[/]: throttle and kill the demo's workloads when their price says so" : "observation (dry run): actions are logged and counted, not done; pass --arm to enforce");

        // 4. The daemon, until the ransomware is dealt with (or the time is up).
        var options = new DaemonOptions
        {
            Arm = arm,
            Sensor = choice,
            Scope = scope,
            ProcfsInterval = TimeSpan.FromMilliseconds(500),
            MetricsUrl = metricsUrl,
            StateDirectory = Path.Combine(work.FullName, "state"),

            // Nothing outside the demo's folder: the hooks' price page stays in it, no map is pinned.
            PricePage = Path.Combine(work.FullName, "dwell.prices"),
            PinFolder = null,
            Tick = TimeSpan.FromMilliseconds(250),
            KillGrace = TimeSpan.FromSeconds(1),
            LogFormat = LogFormat.None,
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        stop.CancelAfter(timeout);
        var view = new LiveView(console, interactive);
        DaemonApplication? running = null;
        Runtime.Bpf.SigilStats? kernelStats = null;
        var stopping = false;
        var launcher = new DaemonLauncher(Console.Error)
        {
            KernelFactory = factory,
            Logging = l => l.SetMinimumLevel(LogLevel.Warning),
            Started = app =>
            {
                running = app;
                view.Attach(app);
                if (app.MetricsServer?.Address is { } address)
                {
                    console.MarkupLine($"[grey]metrics: {Markup.Escape(address.ToString().TrimEnd('/'))}/metrics   health: {Markup.Escape(address.ToString().TrimEnd('/'))}/healthz[/]");
                }

                app.Engine.TickCompleted += snapshot =>
                {
                    if (app.Engine.Sensor is BpfKernelFibre kernel)
                    {
                        kernelStats = kernel.Bpf.ReadStats();
                    }

                    // Armed, the ransomware is dealt with once it is gone (killed by the daemon, or by
                    // the kernel program); in observation, once the kill would have been done.
                    var agent = app.Engine.Agents.Find(ransomware.Pid);
                    var done = arm ? ransomware.HasExited : agent?.Level == EnforcementLevel.Killed;
                    if (done && !stopping)
                    {
                        // Once: CancelAfter re-arms its timer on every call.
                        stopping = true;
                        stop.CancelAfter(TimeSpan.FromSeconds(1));
                    }
                };
            },
        };
        var code = await view.RunAsync(launcher.RunAsync(daemon, options, stop.Token)).ConfigureAwait(false);
        if (code != DaemonExitCodes.Ok)
        {
            throw new CliException(code == DaemonExitCodes.Environment ? CliExitCodes.Environment : CliExitCodes.Failed, "the daemon did not run (see above)");
        }

        if (!interactive)
        {
            foreach (var line in ransomware.Output.Take(20))
            {
                console.MarkupLine($"[grey]ransomware: {Markup.Escape(line)}[/]");
            }
        }

        // 5. What happened, against what should have.
        var last = view.Latest;
        var ransomAgent = last?.Agents.FirstOrDefault(a => a.Agent == ransomware.Pid);
        var benignAgent = last?.Agents.FirstOrDefault(a => a.Agent == benign.Pid);
        var metrics = running?.Engine.Metrics;
        var ransomDealt = arm ? ransomware.HasExited && ransomware.Process.ExitCode > 128 : ransomAgent?.Level == EnforcementLevel.Killed;
        var benignLeft = (benignAgent is null || benignAgent.Level == EnforcementLevel.None) && !benign.HasExited;
        var summary = new Table().Border(TableBorder.Rounded).AddColumn("process").AddColumn("price").AddColumn("expected").AddColumn("observed").AddColumn("");
        summary.AddRow(
            $"ransomware ({ransomware.Pid})",
            (ransomAgent?.Price ?? 0).ToString("0.##", CultureInfo.InvariantCulture),
            arm ? "throttled, then killed" : "would be throttled, then killed",
            Markup.Escape(arm ? ransomware.ExitDescription() : ransomAgent?.LastAction ?? "not priced"),
            ransomDealt ? "[green]ok[/]" : "[red]NO[/]");
        summary.AddRow(
            $"benign ({benign.Pid})",
            (benignAgent?.Price ?? 0).ToString("0.##", CultureInfo.InvariantCulture),
            "left alone",
            benign.HasExited ? Markup.Escape(benign.ExitDescription()) : "running, untouched",
            benignLeft ? "[green]ok[/]" : "[red]NO[/]");
        console.Write(summary);
        if (metrics is not null)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"actions: {metrics.Count(Runtime.Enforcement.ActionKind.Throttle, Runtime.Enforcement.ActionStatus.Applied)} throttle, {metrics.Count(Runtime.Enforcement.ActionKind.Kill, Runtime.Enforcement.ActionStatus.Applied)} kill; would-be: {metrics.Count(Runtime.Enforcement.ActionKind.Throttle, Runtime.Enforcement.ActionStatus.WouldApply)} throttle, {metrics.Count(Runtime.Enforcement.ActionKind.Kill, Runtime.Enforcement.ActionStatus.WouldApply)} kill"));
        }

        if (choice == SensorChoice.Procfs)
        {
            console.MarkupLine("[yellow]not used[/]: the in-kernel price update and kill (eBPF backend); this run priced file holds from /proc in the daemon.");
        }
        else if (kernelStats is { } stats)
        {
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture, $"kernel: {stats.Samples} samples, {stats.PriceUpdates} price updates, {stats.Throttles} throttle and {stats.Kills} kill decision(s) in the kernel"));
        }

        TryDelete(work.FullName);
        return ransomDealt && benignLeft ? CliExitCodes.Ok : CliExitCodes.Failed;
    }

    private static void Stage(IAnsiConsole console, string stage, string text) =>
        console.MarkupLine($"[green]{Markup.Escape(stage),-9}[/] {(text.Contains("[red]", StringComparison.Ordinal) ? text : Markup.Escape(text))}");

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
