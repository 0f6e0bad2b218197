using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Sigil.Cli;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Metrics;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.Security;

/// <summary>
/// Scope and ownership are absolute, and what the daemon reads (checkpoints, descriptors, the
/// configuration) is checked with the compiler's rules.
/// </summary>
public sealed class ScopeAndInputTests
{
    private static string UniqueFibre() => "sec" + Guid.NewGuid().ToString("N")[..10];

    private static DaemonEngine Engine(IReadOnlyList<int> scope, ScriptedSensor sensor)
    {
        var fibre = Fixtures.Dwell();
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), new EnforcerSettings(TimeSpan.FromMilliseconds(300)), throttler: null);
        var metrics = new DaemonMetrics(MetricsExposition.NewRegistry(), fibre, sensor.Name, 10);
        return new DaemonEngine(fibre, new DaemonOptions { Scope = scope }, sensor, new SensedDualStep(fibre), enforcer, metrics, NullLogger.Instance);
    }

    [Fact]
    public async Task Restore_OutOfScopeProcess_GetsNoPriceAndNoAction()
    {
        using var inside = Sacrificial.Sleeper();
        using var outside = Sacrificial.Sleeper();
        using var sensor = new ScriptedSensor();
        var engine = Engine([inside.Pid], sensor);
        var state = new DaemonState("dwell", 3, 0,
        [
            new PriceState("dwell", inside.Pid, ProcStat.TryRead(inside.Pid)!.StartTime, 6),
            new PriceState("dwell", outside.Pid, ProcStat.TryRead(outside.Pid)!.StartTime, 40),
        ], []);

        Assert.Equal(1, engine.Restore(state));
        Assert.Null(engine.Agents.Find(outside.Pid));
        await engine.TickAsync();
        Assert.Equal(1, engine.Metrics.Count(ActionKind.Throttle, ActionStatus.WouldApply));
        Assert.Equal(0, engine.Metrics.Count(ActionKind.Kill, ActionStatus.WouldApply));
    }

    [Fact]
    public async Task Plan_PricedProcessOutsideTheScope_IsNeverActedOn()
    {
        using var inside = Sacrificial.Sleeper();
        using var outside = Sacrificial.Sleeper();
        using var sensor = new ScriptedSensor();
        var engine = Engine([inside.Pid], sensor);

        // A sensor that reports an out-of-scope process (a forged or stale sample).
        sensor.Enqueue(new AgentObservation(outside.Pid, ProcStat.TryRead(outside.Pid)!.StartTime, "sleep", [20]));
        await engine.TickAsync();

        Assert.True(engine.Agents.Find(outside.Pid)!.Prices[0] >= 15);
        Assert.Equal(0, engine.Metrics.Count(ActionKind.Kill, ActionStatus.WouldApply));
        Assert.Equal(0, engine.Metrics.Count(ActionKind.Throttle, ActionStatus.WouldApply));
        Assert.True(engine.InScope(inside.Pid));
        Assert.False(engine.InScope(outside.Pid));
    }

    [Theory]
    [InlineData("/../cpuset/x", false)]
    [InlineData("/..", false)]
    [InlineData("/a/./b", false)]
    [InlineData("/a//b", false)]
    [InlineData("relative", false)]
    [InlineData("/user.slice", true)]
    [InlineData("/", true)]
    public void ThrottleOrigin_MustBeCanonicalAndInsideTheHierarchy(string cgroup, bool accepted)
    {
        var cpu = new CgroupCpu(CgroupVersion.V1, "/sys/fs/cgroup/cpu");
        using var throttler = new CpuThrottler(cpu, UniqueFibre(), 0.2);
        Assert.Equal(accepted, throttler.InsideHierarchy(cgroup) is not null);
        Assert.Equal(accepted ? 1 : 0, throttler.Adopt([new ThrottleOrigin(Environment.ProcessId, ProcStat.TryRead(Environment.ProcessId)!.StartTime, cgroup)]));
    }

    [Fact]
    public void TwoDaemonsOfOneFibre_ThrottleIntoGroupsOfTheirOwn()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var cpu = new CgroupCpu(CgroupVersion.V1, "/sys/fs/cgroup/cpu");
        var fibre = UniqueFibre();
        using var child = Sacrificial.Sleeper();
        using var first = new CpuThrottler(cpu, fibre, 0.2, instance: DaemonLauncher.Instance(a.Path));
        first.Throttle(new ProcessGuard(GuardPolicy.None).Check(child.Pid).Target!);
        Assert.True(first.IsThrottled(child.Pid));

        // Daemon B of the same fibre starts, releases what a killed predecessor left in its group,
        // and stops: daemon A's process stays throttled throughout.
        using (var second = new CpuThrottler(cpu, fibre, 0.2, instance: DaemonLauncher.Instance(b.Path)))
        {
            second.ReleaseAll();
            Assert.True(first.IsThrottled(child.Pid), "the second daemon's start released the first's process");
            Assert.NotEqual(first.GroupPath, second.GroupPath);
        }

        Assert.True(first.IsThrottled(child.Pid), "the second daemon's stop released the first's process");
        using var again = new CpuThrottler(cpu, fibre, 0.2, instance: DaemonLauncher.Instance(a.Path + "/"));
        Assert.Equal(first.GroupPath, again.GroupPath);
    }

    public static TheoryData<string, string, string> ForgedDescriptors => new()
    {
        { "threshold NaN", "\"threshold\": 15,", "threshold NaN must be finite" },
        { "zero nanoseconds per unit", "\"nanosecondsPerUnit\": 1000000000,", "0 nanoseconds per unit is out of range" },
        { "62 scale bits", "\"priceScaleBits\": 20", "price scale 2^62 is out of range" },
    };

    [Theory]
    [MemberData(nameof(ForgedDescriptors))]
    public void Descriptor_WithNumbersTheCompilerRefuses_IsRefused(string name, string field, string refusal)
    {
        var text = DaemonFibreFile.Write(Fixtures.Dwell());
        Assert.Contains(field, text, StringComparison.Ordinal);
        var forged = name switch
        {
            "threshold NaN" => text.Replace(field, "\"threshold\": \"NaN\",", StringComparison.Ordinal),
            "zero nanoseconds per unit" => text.Replace(field, "\"nanosecondsPerUnit\": 0,", StringComparison.Ordinal),
            _ => text.Replace(field, "\"priceScaleBits\": 62", StringComparison.Ordinal),
        };
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("d.json"), forged);

        // Refused for that number, by the reader or by the validation the launcher runs.
        var fibre = DaemonFibreJson.TryRead(dir.Combine("d.json"), out var problem);
        IReadOnlyList<string> problems = fibre is null ? [problem ?? string.Empty] : fibre.Validate();
        Assert.True(problems.Any(p => p.Contains(refusal, StringComparison.Ordinal)), $"{name}: not refused for it: [{string.Join("; ", problems)}]");
    }

    [Fact]
    public void Descriptor_DuplicateKeys_AreRefused()
    {
        var text = DaemonFibreFile.Write(Fixtures.Dwell());
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("d.json"), text.Replace("\"step\":", "\"step\": 1, \"step\":", StringComparison.Ordinal));

        Assert.Null(DaemonFibreJson.TryRead(dir.Combine("d.json"), out var problem));
        Assert.Contains("step", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_DuplicateScope_IsRefused()
    {
        // The last key would win and run the daemon unscoped.
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("c.json"), "{\"scope\":[1234],\"scope\":[]}");
        var e = Assert.Throws<CliException>(() => DaemonConfigFile.Read(dir.Combine("c.json")));
        Assert.Contains("scope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_ThatIsAFifo_IsRefusedWithoutHanging()
    {
        using var dir = new TempDirectory();
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [dir.Combine("c.json")])!)
        {
            mkfifo.WaitForExit();
        }

        var e = Assert.Throws<CliException>(() => DaemonConfigFile.Read(dir.Combine("c.json")));
        Assert.Contains("not a regular file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checkpoint_DuplicateKeys_AreRefused()
    {
        var encoded = CheckpointFormat.Encode(new DaemonState("dwell", 1, 0, [], []));
        var payload = System.Text.Encoding.UTF8.GetString(encoded, 16, encoded.Length - 48).Replace("\"sequence\":1", "\"sequence\":1,\"sequence\":2", StringComparison.Ordinal);
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        byte[] file = [.. encoded[..12], .. BitConverter.GetBytes(bytes.Length), .. bytes];
        file = [.. file, .. System.Security.Cryptography.SHA256.HashData(file)];

        Assert.False(CheckpointFormat.TryDecode(file, out _, out var problem));
        Assert.Contains("sequence", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Health_FailedCheckpoint_IsUnhealthyUntilOneSucceeds()
    {
        var health = new DaemonHealth(TimeSpan.FromMilliseconds(100));
        health.Beat();
        Assert.True(health.Check().Healthy);
        health.Checkpointed(false, "no space left on device");
        Assert.Equal((false, "checkpoint failed: no space left on device"), health.Check());
        health.Checkpointed(true);
        Assert.True(health.Check().Healthy);
    }

    /// <summary>
    /// A seeded mutation fuzz of the descriptor and configuration readers: every mutant is either
    /// read or refused with the documented error (a problem, a <see cref="CliException"/>), never
    /// another exception.
    /// </summary>
    [Fact]
    public void Readers_MutatedInput_GiveOnlyTheirValidationErrors()
    {
        using var dir = new TempDirectory();
        var descriptor = DaemonFibreFile.Write(Fixtures.Dwell());
        const string config = "{\"metricsUrl\":\"http://127.0.0.1:9464\",\"stateDirectory\":\"/var/lib/sigil\",\"sensor\":\"procfs\",\"scope\":[1,2],\"allowPids\":[3],\"allowComms\":[\"sshd\"],\"tick\":\"250ms\",\"pricePage\":\"none\",\"killGrace\":\"2s\",\"topAgents\":10,\"logFormat\":\"json\",\"placementThreads\":4}";
        var random = new Random(20261207);
        string[] tokens = ["NaN", "-1", "1e400", "\"\"", "null", "[]", "{}", "\"x\"", "true", "0", "9999999999999999999", ",", ":", "\"\\u0000\"", "\"../..\""];
        var path = dir.Combine("m.json");
        for (var n = 0; n < 1500; n++)
        {
            var source = n % 2 == 0 ? descriptor : config;
            var chars = source.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(4))
                {
                    case 0:
                        chars.RemoveRange(at, Math.Min(chars.Count - at, random.Next(1, 8)));
                        break;
                    case 1:
                        chars.InsertRange(at, tokens[random.Next(tokens.Length)]);
                        break;
                    case 2:
                        chars[at] = (char)random.Next(32, 127);
                        break;
                    default:
                        var from = random.Next(chars.Count);
                        chars.InsertRange(at, chars.Skip(from).Take(random.Next(1, 40)).ToList());
                        break;
                }
            }

            File.WriteAllText(path, new string([.. chars]));
            var mutant = $"mutant {n.ToString(CultureInfo.InvariantCulture)}: {new string([.. chars])}";
            try
            {
                if (n % 2 == 0)
                {
                    var fibre = DaemonFibreJson.TryRead(path, out var problem);
                    Assert.True((fibre is null) == (problem is not null), mutant);
                    fibre?.Validate();
                }
                else
                {
                    DaemonConfigFile.Read(path).ApplyTo(new DaemonOptions(), path).Validate();
                }
            }
            catch (CliException) when (n % 2 == 1)
            {
                // The configuration's documented error.
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"{mutant}\nthrew {e}");
            }
        }
    }
}

/// <summary>The tick loop survives passing failures and stops on a run of them.</summary>
[Collection(Sequential.Name)]
public sealed class TickFailureTests
{
    private sealed class FailingSensor(int failures) : ISensor
    {
        private int _left = failures;

        public string Name => "failing";

        public string Description => "fails its first senses";

        public SensorFrame Sense() => Interlocked.Decrement(ref _left) >= 0
            ? throw new IOException("Too many open files")
            : new SensorFrame("hold", [], default);

        public void Dispose()
        {
        }
    }

    private static DaemonApplication Build(ISensor sensor, TempDirectory state)
    {
        var fibre = Fixtures.Dwell();
        var options = new DaemonOptions { MetricsUrl = null, Tick = TimeSpan.FromMilliseconds(20), CheckpointInterval = TimeSpan.FromMilliseconds(100), LogFormat = LogFormat.None, StateDirectory = state.Path };
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        return DaemonApplication.Build(new DaemonParts(fibre, sensor, new SensedDualStep(fibre), enforcer, null, new CheckpointStore(state.Path, fibre.Name)), options);
    }

    [Fact]
    public async Task Loop_AFewFailedTicks_KeepsTicking()
    {
        using var state = new TempDirectory();
        await using var app = Build(new FailingSensor(DaemonService.MaxFailedTicks - 1), state);
        await app.StartAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!app.Health.Check().Healthy && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(app.Health.Check().Healthy, app.Health.Check().Text);
        Assert.Equal(0, app.Service.ExitCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Loop_ARunOfFailedTicks_StopsWithExitCode3()
    {
        using var state = new TempDirectory();
        await using var app = Build(new FailingSensor(int.MaxValue), state);
        await app.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.WaitForShutdownAsync(timeout.Token);
        Assert.Equal(DaemonExitCodes.Failed, app.Service.ExitCode);
        Assert.StartsWith("failed: Too many open files", app.Health.Check().Text, StringComparison.Ordinal);
    }
}
