using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Hosting;

namespace Sigil.Daemon.Tests.Cli;

/// <summary>The sigil command as a user runs it: bad input and a bad environment give one clear error and a non-zero exit, never a stack trace.</summary>
[Collection(Sequential.Name)]
public sealed class CliTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Descriptor()
    {
        var path = _dir.Combine("dwell.daemon.json");
        File.WriteAllText(path, DaemonFibreFile.Write(Fixtures.Dwell()));
        return path;
    }

    private static void AssertClean(ProcessResult result)
    {
        Assert.DoesNotContain("   at ", result.All);
        Assert.DoesNotContain("Unhandled exception", result.All);
    }

    [Fact]
    public async Task Run_MalformedConfig_PointsAtTheLine_AndExits1()
    {
        var config = _dir.Combine("bad.json");
        File.WriteAllText(config, "{\n  \"metricsUrl\": \"http://127.0.0.1:9999\",\n  \"tick\": 250ms\n}\n");
        var result = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--config", config, "--state-dir", _dir.Combine("state")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{config}(3,", result.StandardError);
        Assert.Contains("malformed configuration", result.StandardError);
        AssertClean(result);
    }

    [Theory]
    [InlineData("{ \"arm\": true }", "enforcement is armed only by the --arm flag")]
    [InlineData("{ \"colour\": \"blue\" }", "colour")]
    [InlineData("{ \"sensor\": \"magic\" }", "sensor 'magic' is not one of kernel, procfs")]
    [InlineData("{ \"tick\": \"soon\" }", "'soon' is not a duration")]
    [InlineData("{ \"metricsUrl\": \"ftp://x\" }", "not an http://host:port address")]
    [InlineData("[1, 2]", "malformed configuration")]
    public async Task Run_BadConfigValues_AreRejected(string json, string message)
    {
        var config = _dir.Combine("config.json");
        File.WriteAllText(config, json);
        var result = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--config", config, "--sensor", "procfs", "--state-dir", _dir.Combine("state")]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.StandardError);
        AssertClean(result);
    }

    [Fact]
    public async Task Run_AsNobody_WithArm_RefusesToStart_AndArmsNothing()
    {
        Directory.CreateDirectory(_dir.Combine("state"));
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1ff);
        File.SetUnixFileMode(_dir.Combine("state"), (UnixFileMode)0x1ff);
        var descriptor = Descriptor();
        File.SetUnixFileMode(descriptor, (UnixFileMode)0x1a4);
        var result = await ProcessRunner.RunAsync(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "dotnet", ProcessRunner.SigilDll, "run", descriptor, "--arm", "--sensor", "procfs", "--state-dir", _dir.Combine("state"), "--metrics-url", "none"],
            environment: new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == DaemonExitCodes.Environment, ProcessRunner.Describe(result));
        Assert.Contains("--arm needs CAP_KILL", result.StandardError);
        Assert.Contains("uid 65534", result.StandardError);
        Assert.DoesNotContain("ARMED", result.All);
        AssertClean(result);
    }

    [Fact]
    public async Task Run_BpffsOrTracefsNotMounted_IsAClearError()
    {
        var result = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--bpffs", "/nonexistent/bpf", "--tracefs", _dir.Path, "--state-dir", _dir.Combine("state")]);
        Assert.Equal(DaemonExitCodes.Environment, result.ExitCode);
        Assert.Contains("bpffs is not mounted: /nonexistent/bpf does not exist", result.StandardError);
        Assert.Contains($"tracefs is not mounted at {_dir.Path}", result.StandardError);
        AssertClean(result);
    }

    [Fact]
    public async Task Run_KernelSensorWithoutItsObject_SaysWhatIsMissing()
    {
        var result = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--bpf-object", _dir.Combine("missing.bpf.o"), "--state-dir", _dir.Combine("state"), "--metrics-url", "none"]);
        Assert.Equal(DaemonExitCodes.Environment, result.ExitCode);
        Assert.Contains("missing.bpf.o does not exist", result.StandardError);
        AssertClean(result);
    }

    [Fact]
    public async Task Run_ArmedWithoutCpuController_RefusesToStart_ButObservationRunsWithAWarning()
    {
        var mountinfo = _dir.Combine("mountinfo");
        File.WriteAllLines(mountinfo, File.ReadAllLines("/proc/self/mountinfo").Where(l => !l.Contains(" - cgroup ") && !l.Contains(" - cgroup2 ")));
        var armed = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--arm", "--sensor", "procfs", "--mountinfo", mountinfo, "--state-dir", _dir.Combine("state"), "--metrics-url", "none"]);
        Assert.Equal(DaemonExitCodes.Environment, armed.ExitCode);
        Assert.Contains("throttling needs the cgroup cpu controller: no cgroup file system is mounted", armed.StandardError);
        AssertClean(armed);

        var observing = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(), "--mountinfo", mountinfo, "--state-dir", _dir.Combine("state"), "--metrics-url", "none", "--duration", "1s", "--log-format", "simple"]);
        Assert.True(observing.ExitCode == 0, ProcessRunner.Describe(observing));
        Assert.Contains("warning: throttling needs the cgroup cpu controller", observing.StandardError);
        Assert.Contains("observation mode", observing.StandardError);
    }

    [Fact]
    public async Task Run_MetricsPortInUse_FailsCleanly_BeforeArming()
    {
        using var blocker = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        blocker.Start();
        var port = ((System.Net.IPEndPoint)blocker.LocalEndpoint).Port;
        var result = await ProcessRunner.RunSigilAsync(["run", Descriptor(), "--arm", "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(), "--state-dir", _dir.Combine("state"), "--metrics-url", $"http://127.0.0.1:{port}"]);
        Assert.Equal(DaemonExitCodes.Environment, result.ExitCode);
        Assert.Contains("cannot start", result.StandardError);
        Assert.DoesNotContain("ARMED", result.All);
        AssertClean(result);
    }

    [Fact]
    public async Task Run_Sigterm_StopsGracefully_WithAFinalCheckpoint()
    {
        var port = Ports.FreeLoopbackPort();
        var state = _dir.Combine("state");
        using var daemon = ProcessRunner.Start("dotnet", ProcessRunner.SigilDll, "run", Descriptor(), "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(), "--state-dir", state, "--metrics-url", $"http://127.0.0.1:{port}", "--table", "false");
        using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var healthy = false;
        while (!healthy && DateTime.UtcNow < deadline && !daemon.HasExited)
        {
            try
            {
                healthy = (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode;
            }
            catch (System.Net.Http.HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        Assert.True(healthy, "the daemon never became healthy");
        Assert.Equal(0, Signals.Kill(daemon.Id, Signals.SIGTERM));
        Assert.True(daemon.WaitForExit(20_000), "the daemon did not stop after SIGTERM");
        Assert.Equal(0, daemon.ExitCode);
        var loaded = new Sigil.Runtime.State.CheckpointStore(state, "dwell").Load();
        Assert.NotNull(loaded.State);
        Assert.True(loaded.State!.Counters.Single(c => c.Name == "sigil_ticks_total").Value >= 1);
    }

    [Fact]
    public async Task Sites_ProgramWithTwoUnitsRecords_PrintsOneLineAndJson_AndRejectsAPlainProgram()
    {
        // Two objects with the records the LLVM pass leaves (the pass itself is tested in
        // Sigil.Llvm.Tests); the site 0x1 and the wrapper of write are in both, once in the program.
        string Unit(string name, string records)
        {
            var source = _dir.Combine(name + ".c");
            File.WriteAllText(source, $"__asm__(\".pushsection .sigil.sites,\\\"\\\",%progbits\\n.ascii \\\"{records}\\\"\\n.popsection\");\nint {name}(void) {{ return 0; }}\n");
            return source;
        }

        // \\t and \\n: escapes for the assembler's .ascii, written into C source.
        var a = Unit("a", @"sigil-dwell\\tunit\\ta.c\\nsigil-dwell\\tsite\\t0x1\\nsigil-dwell\\tsite\\t0x2\\nsigil-dwell\\twrapped\\twrite\\n");
        var b = Unit("b", @"sigil-dwell\\tunit\\tb.c\\nsigil-dwell\\tsite\\t0x1\\nsigil-dwell\\twrapped\\twrite\\nsigil-dwell\\tuncovered\\tprintf\\n");
        var main = _dir.Combine("main.c");
        File.WriteAllText(main, "int main(void) { return 0; }\n");
        var program = _dir.Combine("program");
        var link = await ProcessRunner.RunAsync("clang-14", ["-O2", a, b, main, "-o", program]);
        Assert.True(link.ExitCode == 0, ProcessRunner.Describe(link));

        var text = await ProcessRunner.RunSigilAsync(["sites", program]);
        Assert.Equal(0, text.ExitCode);
        Assert.Equal($"sigil-dwell: {program}: 2 site(s) in 2 of 2 translation unit(s), 1 function(s) wrapped for calls through pointers; not covered through pointers (variadic): printf\n", text.StandardOutput);

        var json = await ProcessRunner.RunSigilAsync(["sites", program, "--format", "json"]);
        using (var document = System.Text.Json.JsonDocument.Parse(json.StandardOutput))
        {
            var summary = Assert.Single(document.RootElement.EnumerateArray().ToList());
            Assert.Equal("sigil-dwell", summary.GetProperty("pass").GetString());
            Assert.Equal(2, summary.GetProperty("sites").GetInt32());
            Assert.Equal(2, summary.GetProperty("units").GetInt32());
            Assert.Equal("printf", Assert.Single(summary.GetProperty("uncovered").EnumerateArray().ToList()).GetString());
        }

        // A program built without the pass, and a file that is not ELF: exit 1 and one line each.
        var plain = _dir.Combine("plain");
        Assert.Equal(0, (await ProcessRunner.RunAsync("clang-14", [main, "-o", plain])).ExitCode);
        var none = await ProcessRunner.RunSigilAsync(["sites", plain]);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains($"{plain}: no records of a Sigil pass", none.StandardError);
        var notElf = await ProcessRunner.RunSigilAsync(["sites", main]);
        Assert.Equal(1, notElf.ExitCode);
        Assert.Contains($"{main}: not an ELF program, library or object", notElf.StandardError);
        AssertClean(notElf);
    }

    [Fact]
    public async Task Commands_WithMissingOrBadFiles_ExitNonZero_WithoutStackTraces()
    {
        foreach (var args in new[]
        {
            new[] { "check", _dir.Combine("missing.sigil") },
            ["emit", _dir.Combine("missing.sigil"), "-o", _dir.Combine("out")],
            ["solve", _dir.Combine("missing.sigil")],
            ["prove", _dir.Combine("missing.sigil")],
            ["run", _dir.Combine("missing.daemon.json")],
            ["run", Descriptor(), "--tick", "fast"],
            ["run", Descriptor(), "--sensor", "magic"],
            ["workload", "benign", "--dir", "/etc"],
            ["nonsense"],
        })
        {
            var result = await ProcessRunner.RunSigilAsync(args);
            Assert.True(result.ExitCode != 0, string.Join(' ', args) + " exited 0");
            AssertClean(result);
            Assert.False(string.IsNullOrWhiteSpace(result.StandardError), string.Join(' ', args) + " printed no error");
        }
    }

    [Theory]
    [InlineData("check", 0, "fibre 'dwell' compiles")]
    [InlineData("solve", 1, "index 'task' is dynamic")]
    [InlineData("run", 2, "bpffs is not mounted")]
    public async Task Commands_OnDwell_RunOrSayWhatIsNotWiredYet(string command, int exitCode, string message)
    {
        string[] args = command == "run" ? [command, FibreFile(), "--state-dir", _dir.Combine("state"), "--bpffs", _dir.Combine("no-bpffs")] : [command, FibreFile()];
        var result = await ProcessRunner.RunSigilAsync(args);
        Assert.True(result.ExitCode == exitCode, ProcessRunner.Describe(result));
        Assert.Contains(message, result.All);
        AssertClean(result);
    }

    // Three links, four flows: flow 0 crosses every link, flow k only link k - 1; the route
    // matrix from a long CSV with an explicit zero. Proportional fairness with eps = 0.001 gives
    // Three links of capacity 1 and four flows over a route matrix from routes.csv.
    private const string NetFibre = """
        fibre net {
            index link in 0 .. 2;
            index flow in 0 .. 3;
            table R[link, flow] from "routes.csv";
            $rate[flow] : 1 in [0, 100];
            @cap[link] : 1 = 1;
            couple @cap[l] >= sum(f in flow) R[l, f] * $rate[f];
            utility $rate[f] ~ log($rate[f] + 0.001);
            solve dual { tolerance = 1e-9; }
        }
        """;

    // x0 = (1 - 2 eps) / 4 and xk = 1 - x0; A holds the 6 nonzeros only.
    [Fact]
    public async Task Solve_NetworkFromALongCsv_StoresNonzerosOnly_AndMeetsTheClosedForm()
    {
        File.WriteAllText(_dir.Combine("net.sigil"), NetFibre);
        File.WriteAllText(_dir.Combine("routes.csv"), "link,flow,value\n0,0,1\n0,1,1\n1,0,1\n1,2,1\n2,0,1\n2,3,1\n2,1,0\n");
        var result = await ProcessRunner.RunSigilAsync(["solve", _dir.Combine("net.sigil"), "--format", "json"]);
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("solved", root.GetProperty("status").GetString());
        Assert.Equal(6, root.GetProperty("nonzeros").GetInt32());
        var x = root.GetProperty("variables").EnumerateArray().Select(static v => v.GetProperty("value").GetDouble()).ToArray();
        var x0 = (1 - 0.002) / 4;
        Assert.Equal(new[] { x0, 1 - x0, 1 - x0, 1 - x0 }, x, (a, b) => Math.Abs(a - b) < 1e-6);
    }

    // The same fibre with other routes for this run (--table): flows 0 and 1 share link 0, flows 2
    // and 3 have links 1 and 2 to themselves; A holds the new 4 nonzeros.
    [Fact]
    public async Task Solve_TableReplacedForTheRun_SolvesTheNewData_FibreUnchanged()
    {
        File.WriteAllText(_dir.Combine("net.sigil"), NetFibre);
        File.WriteAllText(_dir.Combine("routes.csv"), "link,flow,value\n0,0,1\n0,1,1\n1,0,1\n1,2,1\n2,0,1\n2,3,1\n");
        var other = _dir.Combine("other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "today.csv"), "link,flow,value\n0,0,1\n0,1,1\n1,2,1\n2,3,1\n");
        var result = await ProcessRunner.RunSigilAsync(["solve", _dir.Combine("net.sigil"), "--table", "routes.csv=" + Path.Combine(other, "today.csv"), "--format", "json"]);
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        var root = json.RootElement;
        Assert.Equal("solved", root.GetProperty("status").GetString());
        Assert.Equal(4, root.GetProperty("nonzeros").GetInt32());
        var x = root.GetProperty("variables").EnumerateArray().Select(static v => v.GetProperty("value").GetDouble()).ToArray();
        Assert.Equal(new[] { 0.5, 0.5, 1, 1 }, x, (a, b) => Math.Abs(a - b) < 1e-6);

        var bad = await ProcessRunner.RunSigilAsync(["solve", _dir.Combine("net.sigil"), "--table", "routes.csv=" + _dir.Combine("none.csv")]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--table: " + _dir.Combine("none.csv") + ": no such file", bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BadFibre_PrintsFileLineColumnDiagnostics_AndExits1()
    {
        var fibre = _dir.Combine("broken.sigil");
        File.WriteAllText(fibre, "fibre broken {\n    index task by pid;\n    $hold[task] : s in [0, 10];\n    @dwell[task] : s = undefined_budget;\n}\n");
        var result = await ProcessRunner.RunSigilAsync(["check", fibre]);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"broken\.sigil\(\d+,\d+\): error SIG\d{4}: ", result.StandardError);
        AssertClean(result);
    }

    [Fact]
    public async Task Emit_Dwell_WritesKubernetesCSharpAndTheDescriptor_ThatRunAccepts()
    {
        var output = _dir.Combine("out");
        var emit = await ProcessRunner.RunSigilAsync(["emit", FibreFile(), "-o", output]);
        Assert.True(emit.ExitCode == 0, ProcessRunner.Describe(emit));
        foreach (var file in new[] { "k8s/daemonset.yaml", "k8s/adapter/config.yaml", "k8s/fibre/dwell.sigil", "csharp/DwellFibre.Fibre.g.cs", "daemon/dwell.daemon.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), file + " was not written");
        }

        var descriptor = DaemonFibreJson.TryRead(Path.Combine(output, "daemon/dwell.daemon.json"), out var problem);
        Assert.True(descriptor is not null, problem);
        Assert.Equal(5, descriptor!.Rows.Single().Budget);
        var run = await ProcessRunner.RunSigilAsync(["run", Path.Combine(output, "daemon/dwell.daemon.json"), "--sensor", "procfs", "--scope", Environment.ProcessId.ToString(), "--state-dir", _dir.Combine("state"), "--metrics-url", "none", "--duration", "1s", "--log-format", "simple"]);
        Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));
        Assert.Contains("observation mode", run.StandardError);
    }

    [Fact]
    public async Task Emit_LargeTable_WritesTheDataFileBesideTheCSharpThatReadsIt()
    {
        // 3,000 nonzeros store more values than a literal may hold, so the table leaves the C#.
        var fibre = Sigil.Tests.Shared.SparseTables.WriteSquare(_dir.Path, 100, 3_000);
        var output = _dir.Combine("out");
        var emit = await ProcessRunner.RunSigilAsync(["emit", fibre, "-o", output]);
        Assert.True(emit.ExitCode == 0, ProcessRunner.Describe(emit));
        var data = Path.Combine(output, Sigil.Language.Emit.TableDataFile.RelativePath("flow"));
        Assert.True(File.Exists(data), data + " was not written: " + emit.StandardOutput);
        Assert.Contains("wrote " + data, emit.StandardOutput, StringComparison.Ordinal);
        var solver = File.ReadAllText(Path.Combine(output, "csharp", "FlowFibre.Solver.g.cs"));
        Assert.Contains(Sigil.Language.Emit.TableDataFile.Digest(File.ReadAllBytes(data)), solver, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DescriptorWithUnknownField_IsRejectedWithItsPosition()
    {
        var path = _dir.Combine("bad.daemon.json");
        File.WriteAllText(path, DaemonFibreFile.Write(Fixtures.Dwell()).Replace("\"step\": 2,", "\"step\": 2,\n  \"stpe\": 3,"));
        var result = await ProcessRunner.RunSigilAsync(["run", path]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stpe", result.StandardError);
        Assert.Matches(@"bad\.daemon\.json\(\d+,\d+\): error", result.StandardError);
        AssertClean(result);
    }

    [Fact]
    public async Task Demo_Armed_OnTheKernel_TheKernelKillsTheSimulatedRansomware_AndLeavesTheBenignProcess()
    {
        var result = await ProcessRunner.RunSigilAsync(["demo", "--arm", "--fibre", FibreFile(), "--table", "false", "--timeout", "90s"], TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        var output = Flat(result.StandardOutput);
        // The hold timer's kill may not land at once (the kernel decides again at later updates until
        // it does: a known defect, docs/proofs.md), so the kills are counted at least once.
        Assert.Matches(@"actions: 1 throttle, [1-9]\d* kill", output);
        foreach (var expected in new[] { "eBPF programs in the kernel", "done: throttled", "ended by signal 9", "running, untouched" })
        {
            Assert.True(output.Contains(expected, StringComparison.Ordinal), $"'{expected}' not in: {output}");
        }

        // The kernel signals at every update at or above the kill price (sigil_guard.h) until the
        // process exits.
        Assert.Matches(@"kernel: \d+ samples, \d+ price updates, \d+ throttle and [1-9]\d* kill decision", output);
        AssertClean(result);
    }

    [Fact]
    public async Task Demo_Armed_OnProcfs_TheDaemonKillsTheSimulatedRansomware_AndLeavesTheBenignProcess()
    {
        var result = await ProcessRunner.RunSigilAsync(["demo", "--arm", "--sensor", "procfs", "--fibre", FibreFile(), "--table", "false", "--timeout", "90s"], TimeSpan.FromSeconds(120));
        Assert.True(result.ExitCode == 0, ProcessRunner.Describe(result));
        var output = Flat(result.StandardOutput);
        Assert.True(output.Contains("actions: 1 throttle, 1 kill", StringComparison.Ordinal), ProcessRunner.Describe(result));
        Assert.Contains("the /proc sensor", output);
        Assert.Contains("running, untouched", output);
        AssertClean(result);
    }

    /// <summary>The output with table borders and line wraps folded into single spaces.</summary>
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"[\s│]+", " ");

    private static string FibreFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "fibres", "dwell.sigil");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("fibres/dwell.sigil not found above the test folder");
    }
}
