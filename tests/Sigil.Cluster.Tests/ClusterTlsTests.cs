using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>
/// etcd with TLS and client-certificate authentication (a throwaway CA made by openssl): a
/// <c>sigil run --arm</c> node with the client certificate joins, and when etcd goes it falls back
/// with its jobs' CPU quotas written in their cgroups at its last share; a node (and the client)
/// given another CA is refused with an error that says so.
/// </summary>
public sealed class ClusterTlsTests(ITestOutputHelper output)
{
    private const double Budget = 100;
    private const int Jobs = 3;

    [Fact]
    public async Task Tls_ClientCertificates_JoinFallBackWithQuotasAndRefuseAnotherCa()
    {
        if ((EtcdServer.Missing ?? TestCertificates.Missing) is { } missing)
        {
            output.WriteLine("skipped: " + missing);
            return;
        }

        using var certs = new TestCertificates();
        using var etcd = new EtcdServer(tls: certs);
        await etcd.StartAsync();

        // The client library: the right CA reads and writes; another CA is refused, and says why.
        using (var store = new EtcdClusterStore(etcd.Endpoint, TimeSpan.FromSeconds(2)))
        {
            await store.PutAsync("/sigil-tls/probe", "ok", 0, CancellationToken.None);
            Assert.Equal("ok", await store.GetAsync("/sigil-tls/probe", CancellationToken.None));
        }

        using (var wrong = new EtcdClusterStore(etcd.Endpoint with { CaFile = certs.OtherCaFile }, TimeSpan.FromSeconds(2)))
        {
            var refused = await Assert.ThrowsAsync<EtcdTlsException>(() => wrong.GetAsync("/sigil-tls/probe", CancellationToken.None));
            output.WriteLine("another CA: " + refused.Message);
            Assert.Contains($"does not chain to the CA in '{certs.OtherCaFile}'", refused.Message, StringComparison.Ordinal);
            Assert.Contains("CN=etcd", refused.Message, StringComparison.Ordinal);
        }

        var folder = Path.Combine(Path.GetTempPath(), $"sigil-cluster-tls-run-{Guid.NewGuid():N}");
        var fibre = ClusterNamespaceTests.Built(ClusterNamespaceTests.Fibre(folder, Budget, "dual"));
        var jobs = Enumerable.Range(0, Jobs).Select(_ => Process.Start(new ProcessStartInfo("sleep", "120"))!).ToList();
        var tls = $"--etcd {etcd.Url} --etcd-cert {certs.ClientCertFile} --etcd-key {certs.ClientKeyFile} --round 200ms --lease 2s --power-fit off --duration 60s";
        using var good = new CliNode($"run {fibre} {tls} --etcd-ca {certs.CaFile} --node tls0 --arm --metrics-url none --scope {string.Join(' ', jobs.Select(j => j.Id))}");
        using var bad = new CliNode($"run {fibre} {tls} --etcd-ca {certs.OtherCaFile} --node tls1 --metrics-url none --scope {jobs[0].Id}");
        try
        {
            var joined = await good.WaitAsync(s => s.Mode == "Joined" && s.Updater, TimeSpan.FromSeconds(40), "the TLS node joins and leads");
            Assert.Contains("(TLS)", good.Errors, StringComparison.Ordinal);
            output.WriteLine($"joined over TLS at round {joined.Round}: share {joined.Share:F2} W, applied {joined.Applied:F2} W");

            // Another CA: the node never joins and says why on stderr.
            var clock = Stopwatch.StartNew();
            while (!bad.Errors.Contains($"does not chain to the CA in '{certs.OtherCaFile}'", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }

            Assert.True(bad.Errors.Contains($"does not chain to the CA in '{certs.OtherCaFile}'", StringComparison.Ordinal), "the refusal says why; stderr: " + bad.Errors);
            Assert.DoesNotContain(bad.Lines, s => s.Mode == "Joined");
            Assert.Contains(bad.Lines.Last().Mode, new[] { "Fallback", "Floor" });

            // etcd goes: the node falls back on its share and its jobs' quotas stay at that share's allocation.
            etcd.Kill();
            var fallback = await good.WaitAsync(s => s.Mode == "Fallback", TimeSpan.FromSeconds(10), "the node falls back");
            Assert.True(fallback.Applied <= fallback.Share * (1 + 1e-9) && fallback.Applied <= Budget * (1 + 1e-9));
            var expected = Math.Max(JobQuotaActuator.Step, Math.Round(fallback.Applied / ClusterSimulation.WattsPerCpu / Jobs / JobQuotaActuator.Step) * JobQuotaActuator.Step);
            var groups = new List<string>();
            foreach (var job in jobs)
            {
                var (group, quota) = CpuQuota(job.Id);
                output.WriteLine($"fallback: job {job.Id} in {group}, quota {quota:F3} CPU (allocation {fallback.Applied / ClusterSimulation.WattsPerCpu / Jobs:F3}, step {JobQuotaActuator.Step})");
                Assert.Contains($"/sigil/power.{job.Id}.", group, StringComparison.Ordinal);
                Assert.Equal(expected, quota, 6);
                groups.Add(group);
            }

            // Stopped (SIGTERM), the node puts its jobs back and removes its cgroups.
            good.Terminate();
            Assert.All(groups, g => Assert.False(Directory.Exists(CpuRoot + g), $"{g} removed at exit"));
        }
        finally
        {
            foreach (var job in jobs)
            {
                job.Kill();
                job.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    internal const string CpuRoot = "/sys/fs/cgroup/cpu";

    // The job's cgroup v1 cpu group and its quota in CPUs (cfs_quota_us / cfs_period_us).
    internal static (string Group, double Cpus) CpuQuota(int pid)
    {
        var line = File.ReadAllLines($"/proc/{pid}/cgroup").Single(l => l.Split(':')[1].Split(',').Contains("cpu"));
        var group = line.Split(':', 3)[2];
        var quota = double.Parse(File.ReadAllText($"{CpuRoot}{group}/cpu.cfs_quota_us"), CultureInfo.InvariantCulture);
        var period = double.Parse(File.ReadAllText($"{CpuRoot}{group}/cpu.cfs_period_us"), CultureInfo.InvariantCulture);
        return (group, quota / period);
    }

    /// <summary>A <c>sigil run</c> process on this host, its status lines and its stderr.</summary>
    internal sealed class CliNode : IDisposable
    {
        private readonly Process _process;
        private readonly List<ClusterNamespaceTests.StatusLine> _lines = [];
        private readonly StringBuilder _errors = new();

        public CliNode(string args)
        {
            _process = Process.Start(new ProcessStartInfo("dotnet", Path.Combine(AppContext.BaseDirectory, "sigil.dll") + " " + args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line && line.StartsWith("{\"status\"", StringComparison.Ordinal))
                {
                    using var doc = JsonDocument.Parse(line);
                    var status = doc.RootElement.GetProperty("status").Deserialize<ClusterNamespaceTests.StatusLine>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
                    lock (_lines)
                    {
                        _lines.Add(status);
                    }
                }
            };
            _process.ErrorDataReceived += (_, e) =>
            {
                lock (_errors)
                {
                    _errors.AppendLine(e.Data);
                }
            };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public List<ClusterNamespaceTests.StatusLine> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public string Errors
        {
            get
            {
                lock (_errors)
                {
                    return _errors.ToString();
                }
            }
        }

        public async Task<ClusterNamespaceTests.StatusLine> WaitAsync(Func<ClusterNamespaceTests.StatusLine, bool> done, TimeSpan timeout, string what)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Lines.LastOrDefault() is { } last && done(last))
                {
                    return last;
                }

                await Task.Delay(50);
            }

            throw new Xunit.Sdk.XunitException($"{what}: not within {timeout.TotalSeconds} s; last status {JsonSerializer.Serialize(Lines.LastOrDefault())}; stderr: {Errors}");
        }

        /// <summary>SIGTERM, and waits for the exit.</summary>
        public void Terminate()
        {
            using (var kill = Process.Start("kill", $"-TERM {_process.Id}"))
            {
                kill.WaitForExit();
            }

            Assert.True(_process.WaitForExit(15_000), "the node exits on SIGTERM");
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                // SIGTERM first, so that a node stopped by a failing test still removes its cgroups.
                using (var term = Process.Start("kill", $"-TERM {_process.Id}"))
                {
                    term.WaitForExit();
                }

                _process.WaitForExit(10_000);
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }

            _process.Dispose();
        }
    }
}
