using System.Diagnostics;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using Sigil.Daemon.Tests.Infrastructure;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// The freeze action on the real kernel: the ransomware fibre with <c>act freeze</c> where the
/// shipped one kills, run by <c>sigil run --arm</c> on the shipped object (the loader sets its stop
/// prices from the fibre). The kernel stops the process at its damaging event, the daemon freezes
/// the agent in a cgroup of its own and says how to thaw it; while frozen the corpus does not change;
/// <c>sigil thaw</c> lists and thaws it, back into the cgroup it came from.
/// </summary>
[Collection(Sequential.Name)]
public sealed class FreezeTests
{
    private static string Behaviours => Path.Combine(Path.GetDirectoryName(ShippedFibres.Folder)!, "eng", "ransomware", "behaviours.py");

    [Fact]
    public async Task FreezeRule_StopsTheAgentInACgroup_NothingChangesWhileFrozen_AndThawReleasesIt()
    {
        using var dir = new TempDirectory();
        var fibre = dir.Combine("ransomware.sigil");
        var source = File.ReadAllText(ShippedFibres.PathOf("ransomware"));
        Assert.Contains("act kill when ^damage[a] >= kill_price;", source);
        File.WriteAllText(fibre, source.Replace("act kill when ^damage[a] >= kill_price;", "act freeze when ^damage[a] >= kill_price;", StringComparison.Ordinal));

        var corpus = await ProcessRunner.RunAsync("python3", [Behaviours, "corpus", dir.Combine("corpus"), "30", "5"]);
        Assert.True(corpus.ExitCode == 0, ProcessRunner.Describe(corpus));
        var manifest = corpus.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (Hash: l[..64], Path: l[66..])).ToList();
        await ProcessRunner.RunAsync("sync", []);

        // The behaviour waits behind a gate, so it is the root of its own tree, older than the program.
        var gate = dir.Combine("gate");
        Assert.Equal(0, (await ProcessRunner.RunAsync("mkfifo", [gate])).ExitCode);
        var attack = new ProcessStartInfo("bash") { UseShellExecute = false, WorkingDirectory = dir.Path };
        attack.ArgumentList.Add("-c");
        // It starts in a cgroup of its own, where sigil thaw must return it. Its shell stays on as the
        // tree's root after the behaviour (a small corpus is finished within the thaw command's own
        // run), so there is a process left to find back in that cgroup.
        var v2 = Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot()!;
        var home = "/sigil-test-freeze-" + Environment.ProcessId;
        Directory.CreateDirectory(v2 + home);
        attack.ArgumentList.Add($"echo $$ > {v2}{home}/cgroup.procs; read _ < {gate}; python3 {Behaviours} run inplace corpus < /dev/null > /dev/null; exec sleep 60");
        using var behaviour = Process.Start(attack)!;

        // sigil run reads a build: this variant of the shipped fibre is built by sigil emit.
        var descriptor = await ProcessRunner.EmitDaemonAsync(fibre, dir.Combine("built"));
        var port = Ports.FreeLoopbackPort();
        var daemonStart = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            ProcessRunner.SigilDll, "run", descriptor, "--arm", "--scope", behaviour.Id.ToString(), "--bpf-object", KernelObjects.Ransomware,
            "--tick", "250ms", "--log-format", "json", "--table", "false", "--metrics-url", $"http://127.0.0.1:{port}",
            "--state-dir", dir.Combine("state"), "--pin-folder", "none", "--price-page", "none", "--duration", "60s",
        })
        {
            daemonStart.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var daemon = Process.Start(daemonStart)!;
        daemon.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        string? cgroup = null;
        var checkedFrozen = false;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            Assert.True(await Until(async () => (await Scrape(http, port)).Contains("sigil_armed{fibre=\"ransomware\"} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), "the daemon did not arm:\n" + output);
            await File.WriteAllTextAsync(gate, "go\n");

            // At least one: the kernel may decide again while its stop lands (the rest of the stopped
            // write), and every kernel decision is logged and counted.
            Assert.True(await Until(async () => System.Text.RegularExpressions.Regex.IsMatch(await Scrape(http, port), "sigil_actions_total\\{fibre=\"ransomware\",kind=\"freeze\"\\} [1-9]"), TimeSpan.FromSeconds(20)), "no freeze:\n" + output);
            cgroup = File.ReadAllLines($"/proc/{behaviour.Id}/cgroup").Select(l => l.Split(':', 3)).Where(p => p[0] == "0").Select(p => p[2]).Single();
            Assert.StartsWith($"/{Sigil.Runtime.Enforcement.CgroupFreezer.Folder}/ransomware-{behaviour.Id}-", cgroup, StringComparison.Ordinal);
            var folder = Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot()! + cgroup;
            Assert.Equal("1", File.ReadAllText(Path.Combine(folder, "cgroup.freeze")).Trim());

            // Prevention: once the agent is stopped, nothing of the corpus changes.
            var before = Hashes(manifest);
            var damaged = manifest.Count(m => before[m.Path] != m.Hash);
            Assert.InRange(damaged, 1, 5);
            await Task.Delay(1000);
            Assert.Equal(before, Hashes(manifest));
            Assert.False(behaviour.HasExited);

            var list = await ProcessRunner.RunSigilAsync(["thaw"]);
            Assert.Contains($"agent {behaviour.Id} (ransomware): frozen in {folder}", list.StandardOutput);
            Assert.Contains($"thaw with: sigil thaw {behaviour.Id}", list.StandardOutput);
            checkedFrozen = true;
        }
        finally
        {
            if (!daemon.HasExited)
            {
                Signals.Kill(daemon.Id, 15);
            }

            daemon.WaitForExit(30_000);
            daemon.WaitForExit();
            if (!checkedFrozen)
            {
                behaviour.Kill();
                behaviour.WaitForExit();
                try
                {
                    new Sigil.Runtime.Enforcement.CgroupFreezer(Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot()!).Thaw(behaviour.Id.ToString());
                }
                catch (ArgumentException)
                {
                }
            }
        }

        // The log carries the decision, with the rule and how to thaw; the final table shows the agent frozen.
        var text = output.ToString();
        Assert.Contains($"\"Kind\":\"freeze\",\"Pid\":{behaviour.Id}", text);
        Assert.Matches(@"\(act freeze when \^damage\[a\] >= kill_price;\); decided at [0-9]+\.[0-9]{6} s \(monotonic clock\); agent frozen in ", text);
        Assert.Contains($"thaw with: sigil thaw {behaviour.Id}", text);
        Assert.Contains(text.Split('\n'), l => l.Contains($" {behaviour.Id} ", StringComparison.Ordinal) && l.Contains("frozen", StringComparison.Ordinal) && l.Contains("│", StringComparison.Ordinal));

        // Thawed: the cgroup is gone and the process runs on (the program is detached now); then it is stopped here.
        try
        {
            var thaw = await ProcessRunner.RunSigilAsync(["thaw", behaviour.Id.ToString()]);
            Assert.True(thaw.ExitCode == 0, ProcessRunner.Describe(thaw));
            Assert.Contains($"thawed agent {behaviour.Id} (ransomware)", thaw.StandardOutput);
            Assert.False(Directory.Exists(Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot()! + cgroup));
            Assert.Contains("0::" + home, File.ReadAllLines($"/proc/{behaviour.Id}/cgroup"));
            var frozenParent = Path.Combine(v2, Sigil.Runtime.Enforcement.CgroupFreezer.Folder);
            Assert.Equal(new Sigil.Runtime.Enforcement.CgroupFreezer(v2).List().Count > 0, Directory.Exists(frozenParent));
            var again = await ProcessRunner.RunSigilAsync(["thaw", behaviour.Id.ToString()]);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains($"no frozen agent '{behaviour.Id}'", again.StandardError);
        }
        finally
        {
            behaviour.Kill();
            behaviour.WaitForExit();
            try
            {
                // A failed check above may leave the cgroup: it goes with its (now dead) process.
                new Sigil.Runtime.Enforcement.CgroupFreezer(Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot()!).Thaw(behaviour.Id.ToString());
            }
            catch (ArgumentException)
            {
            }

            try
            {
                Directory.Delete(v2 + home);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public void Freeze_TwiceForOneAgent_ThawStillReturnsItToItsOwnCgroup()
    {
        var v2 = Sigil.Runtime.Enforcement.CgroupFreezer.FindRoot();
        if (v2 is null)
        {
            return; // no cgroup v2 hierarchy: the freezer is not available here (FreezeRule_... says so)
        }

        using var dir = new TempDirectory();
        var home = "/sigil-test-refreeze-" + Environment.ProcessId;
        Directory.CreateDirectory(v2 + home);
        using var sleeper = Process.Start(new ProcessStartInfo("bash", ["-c", $"echo $$ > {v2}{home}/cgroup.procs; exec sleep 30"]))!;
        try
        {
            Assert.True(SpinWait.SpinUntil(() => File.ReadAllLines($"/proc/{sleeper.Id}/cgroup").Contains("0::" + home), 5000));
            var freezer = new Sigil.Runtime.Enforcement.CgroupFreezer(v2) { OriginsFolder = dir.Combine("origins") };
            var start = Sigil.Runtime.Enforcement.ProcStat.TryRead(sleeper.Id)!.StartTime;

            // The second decision finds the process in the frozen cgroup already.
            freezer.Freeze("refreeze", sleeper.Id, start, [sleeper.Id]);
            freezer.Freeze("refreeze", sleeper.Id, start, [sleeper.Id]);
            freezer.Thaw(sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("0::" + home, File.ReadAllLines($"/proc/{sleeper.Id}/cgroup"));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
            try
            {
                Directory.Delete(v2 + home);
            }
            catch (IOException)
            {
            }
        }
    }

    private static Dictionary<string, string> Hashes(IEnumerable<(string Hash, string Path)> manifest) =>
        manifest.ToDictionary(m => m.Path, m => File.Exists(m.Path) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(m.Path))) : "gone");

    private static async Task<string> Scrape(HttpClient http, int port)
    {
        try
        {
            return await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        }
        catch (HttpRequestException)
        {
            return string.Empty;
        }
        catch (TaskCanceledException)
        {
            return string.Empty;
        }
    }

    private static async Task<bool> Until(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
