using System.Diagnostics;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Xunit.Abstractions;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// The daemon on this machine, armed, with the /proc sensor scoped to two real workloads: the
/// simulated ransomware (long file holds) is throttled into the daemon's cgroup and then killed;
/// the benign process (many short opens) is never touched.
/// </summary>
[Collection(Sequential.Name)]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ArmedDaemon_ThrottlesThenKillsTheRansomware_AndLeavesTheBenignProcessAlone()
    {
        using var work = new TempDirectory();
        using var ransomware = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "workload", "ransomware", "--dir", work.Combine("ransomware"), "--hold", "1.5s", "--files", "4");
        using var benign = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "workload", "benign", "--dir", work.Combine("benign"), "--rate", "300");
        try
        {
            // A small budget so that a 1.5 s hold prices quickly: the ransomware closes two files per
            // round (the original and its scrambled copy), each adding about 1 * (1.5 - 0.5) = 1.
            var fibre = Fixtures.Dwell(budget: 0.5, step: 1, throttle: 1, kill: 3.5, cpu: 0.1);
            var options = new DaemonOptions
            {
                Arm = true,
                Sensor = SensorChoice.Procfs,
                Scope = [ransomware.Id, benign.Id],
                Tick = TimeSpan.FromMilliseconds(100),
                ProcfsInterval = TimeSpan.FromMilliseconds(100),
                MetricsUrl = null,
                StateDirectory = work.Combine("state"),
                KillGrace = TimeSpan.FromSeconds(1),
                LogFormat = LogFormat.None,
            };
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            DaemonApplication? app = null;
            string? throttledCgroup = null;
            var stopping = false;
            var timeline = new List<string>();
            var clock = Stopwatch.StartNew();
            var launcher = new DaemonLauncher(TextWriter.Null)
            {
                Started = a =>
                {
                    app = a;
                    a.Engine.TickCompleted += snapshot =>
                    {
                        foreach (var action in snapshot.Actions)
                        {
                            timeline.Add($"{clock.Elapsed.TotalSeconds:0.0}s {action.Status} {action.Detail}");
                        }

                        var agent = a.Engine.Agents.Find(ransomware.Id);
                        if (agent?.Level == EnforcementLevel.Throttled && throttledCgroup is null && !ransomware.HasExited)
                        {
                            throttledCgroup = File.ReadAllLines($"/proc/{ransomware.Id}/cgroup").FirstOrDefault(l => l.Split(':')[1].Split(',').Contains("cpu"));
                        }

                        if (ransomware.HasExited && !stopping)
                        {
                            stopping = true;
                            timeline.Add($"{clock.Elapsed.TotalSeconds:0.0}s ransomware gone; stopping");
                            stop.CancelAfter(TimeSpan.FromMilliseconds(500));
                        }
                    };
                },
            };

            var code = await launcher.RunAsync(fibre, options, stop.Token);
            timeline.Add($"{clock.Elapsed.TotalSeconds:0.0}s daemon stopped");
            foreach (var line in timeline)
            {
                output.WriteLine(line);
            }

            Assert.Equal(DaemonExitCodes.Ok, code);
            Assert.NotNull(app);
            Assert.True(ransomware.HasExited, "the ransomware was not killed");
            Assert.Contains(ransomware.ExitCode, new[] { 128 + 9, 128 + 15 });
            Assert.False(benign.HasExited, "the benign process was touched");

            var metrics = app!.Engine.Metrics;
            Assert.Equal(1, metrics.Count(ActionKind.Throttle, ActionStatus.Applied));
            Assert.Equal(1, metrics.Count(ActionKind.Kill, ActionStatus.Applied));
            Assert.Equal(0, metrics.Count(ActionKind.Throttle, ActionStatus.Failed));
            Assert.NotNull(throttledCgroup);
            Assert.Matches("/sigil/dwell/throttled-[0-9a-f]{8}$", throttledCgroup);
            Assert.Equal(EnforcementLevel.None, app.Engine.Agents.Find(benign.Id)?.Level ?? EnforcementLevel.None);
            Assert.Equal(0, app.Engine.Agents.Find(benign.Id)?.Prices[0] ?? 0);

            // Shutdown released the cgroup it created (other instances' cgroups beside it are theirs).
            var created = "/sys/fs/cgroup/cpu" + throttledCgroup.Split(':', 3)[2];
            Assert.False(Directory.Exists(created), created + " is still there");
        }
        finally
        {
            foreach (var p in new[] { ransomware, benign })
            {
                if (!p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
        }
    }
}
