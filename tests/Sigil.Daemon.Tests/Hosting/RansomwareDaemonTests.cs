using System.Security.Cryptography;
using System.Text.Json;
using Sigil.Daemon.Tests.Infrastructure;

namespace Sigil.Daemon.Tests.Hosting;

/// <summary>
/// The ransomware fibre under the real daemon (<c>sigil run fibres/ransomware.sigil --arm</c>) on
/// this machine's kernel, through the demo's own driver (eng/ransomware/demo.py, which eng/demo.sh
/// runs): what the demo prints is checked here against the corpus manifests, the daemon's log,
/// its metrics and its final table, so the demo's table cannot claim what did not happen.
/// </summary>
[Collection(Sequential.Name)]
public sealed class RansomwareDaemonTests
{
    private static string Demo => Path.Combine(Path.GetDirectoryName(ShippedFibres.Folder)!, "eng", "ransomware", "demo.py");

    [Fact]
    public async Task Demo_UnderTheDaemon_StopsEachBehaviour_ReportsEachKernelKill_AndLeavesOrdinaryWorkAlone()
    {
        using var dir = new TempDirectory();
        var work = dir.Combine("work");
        var json = dir.Combine("demo.json");
        var run = await ProcessRunner.RunAsync(
            "python3",
            [Demo, "--sigil", $"dotnet {ProcessRunner.SigilDll}", "--fibre", ShippedFibres.PathOf("ransomware"), "--work", work, "--files", "30",
             "--behaviours", "inplace,process_per_file", "--benign", "atomic_save,gzip", "--json", json],
            timeout: TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, ProcessRunner.Describe(run));

        using var summary = JsonDocument.Parse(File.ReadAllText(json));
        var rows = summary.RootElement.GetProperty("rows").EnumerateArray().ToList();
        var log = File.ReadAllLines(Path.Combine(work, "daemon.out"));
        var actions = log.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("EventId").GetInt32() is 4 or 5 or 6).ToList();

        foreach (var row in rows.Where(r => r.GetProperty("kind").GetString() == "behaviour"))
        {
            var name = row.GetProperty("name").GetString()!;
            var pid = row.GetProperty("pid").GetInt32();

            // Files damaged, counted again from the manifest the demo wrote before the run.
            var manifest = File.ReadAllLines(Path.Combine(work, name, "manifest")).Where(l => l.Length > 66).Select(l => (Hash: l[..64], Path: l[66..])).ToList();
            var damaged = manifest.Count(m => !File.Exists(m.Path) || Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(m.Path))) != m.Hash);
            Assert.Equal(30, manifest.Count);
            Assert.Equal(damaged, row.GetProperty("damaged").GetInt32());
            Assert.Equal(1, damaged);
            Assert.Equal(-9, row.GetProperty("exit").GetInt32());
            // The kernel's first kill reached the daemon's log within a second and a tick (250 ms)
            // of the first write, and within a tick of the process's end; one process per file ends
            // at its next fork after a child's kill, a python start-up or two later.
            var stopped = row.GetProperty("stopped_after_ms").GetDouble();
            var reported = row.GetProperty("reported_after_ms").GetDouble();
            Assert.InRange(reported, 0, 1250);
            Assert.InRange(stopped, 0, name == "process_per_file" ? 3000 : 1000);
            Assert.True(reported <= stopped + 250, $"{name}: logged {reported} ms, ended {stopped} ms after the first write");
            var kill = actions.First(a => a.GetProperty("State").GetProperty("Pid").GetInt32() == pid);
            Assert.Equal(4, kill.GetProperty("EventId").GetInt32());
            Assert.Equal("kill", kill.GetProperty("State").GetProperty("Kind").GetString());
            var detail = kill.GetProperty("State").GetProperty("Detail").GetString()!;
            Assert.Contains("in the kernel: process ", detail);
            Assert.Matches(@"stopped at \d+ damaging events?; \^damage = [0-9.]+ >= 1\.5 \(act kill when \^damage\[a\] >= kill_price;\); decided at [0-9]+\.[0-9]{6} s \(monotonic clock\)$", detail);

            // The final table shows the agent killed, never throttled.
            var line = log.FirstOrDefault(l => l.Contains($"│ {pid} ", StringComparison.Ordinal) || l.Contains($" {pid} │", StringComparison.Ordinal));
            Assert.True(line is not null, $"agent {pid} is not on the final table:\n{string.Join('\n', log.Where(l => !l.StartsWith('{')))}");
            Assert.Contains("killed", line);
            Assert.DoesNotContain("throttled", line);
        }

        // The fibre's class statement, resolved at load and said in the log: gzip (benign here) is an archiver.
        Assert.Contains(log, static l => l.StartsWith("note: class archivers (weight 0.1): exe /usr/bin/gzip is device ", StringComparison.Ordinal));

        foreach (var row in rows.Where(r => r.GetProperty("kind").GetString() == "benign"))
        {
            var pid = row.GetProperty("pid").GetInt32();
            Assert.True(row.GetProperty("untouched").GetBoolean());
            Assert.Equal(0, row.GetProperty("exit").GetInt32());
            Assert.DoesNotContain(actions, a => a.GetProperty("State").GetProperty("Pid").GetInt32() == pid);
        }

        // Every kill the log carries is counted in sigil_actions_total{kind="kill"}, and no other action was taken.
        var kills = actions.Count(a => a.GetProperty("EventId").GetInt32() == 4 && a.GetProperty("State").GetProperty("Kind").GetString() == "kill");
        Assert.True(kills >= 2, $"{kills} kill(s) logged");
        Assert.Equal(kills, summary.RootElement.GetProperty("kills_logged").GetInt32());
        Assert.Equal(kills, summary.RootElement.GetProperty("kills_metric").GetDouble());
        Assert.Equal(kills, actions.Count);
    }
}
