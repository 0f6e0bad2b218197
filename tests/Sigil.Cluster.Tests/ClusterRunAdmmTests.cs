using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>
/// <c>sigil run --arm</c> end to end with an ADMM cluster fibre: fibres/power.sigil solved by
/// <c>solve admm</c>, its budget 100 W, a cluster of one process against Debian's etcd on loopback,
/// three sleeping jobs in scope, with the fibre's alpha-fair utility or a linear one (2 per CPU:
/// bang-bang at the price 0.04, where the budget binds). The node converges to the price of the same
/// problem solved in one piece, and its jobs' CFS quotas are its allocation.
/// </summary>
public sealed class ClusterRunAdmmTests(ITestOutputHelper output)
{
    private const double Budget = 100;
    private const int Jobs = 3;

    [Theory]
    [InlineData("fair")]
    [InlineData("linear")]
    public async Task Run_AdmmFibre_ConvergesToTheCentralizedPriceAndSetsTheQuotas(string utility)
    {
        var linear = utility == "linear";
        if (EtcdServer.Missing is { } missing)
        {
            output.WriteLine("skipped: " + missing);
            return;
        }

        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), $"sigil-cluster-admm-run-{Guid.NewGuid():N}");
        var fibre = ClusterNamespaceTests.Fibre(folder, Budget, "admm", linear ? "2 * $cpu[j]" : null);
        var jobs = Enumerable.Range(0, Jobs).Select(_ => Process.Start(new ProcessStartInfo("sleep", "120"))!).ToList();

        // The fibre's jobs: fair($cpu + 0.1, 2) on [0, 4] CPUs, 50 W per CPU on the node row (400 W) and the cluster row.
        var job = linear
            ? new ClusterJob("job", 2, 0, 0, 0, 4, ClusterSimulation.WattsPerCpu, ClusterSimulation.WattsPerCpu)
            : new ClusterJob("job", 1, 2, 0.1, 0, 4, ClusterSimulation.WattsPerCpu, ClusterSimulation.WattsPerCpu);
        var (price, loads) = ClusterInstance.Centralized([Enumerable.Repeat(job, Jobs).ToArray()], Budget);
        var node = new ClusterTlsTests.CliNode($"run {ClusterNamespaceTests.Built(fibre)} --etcd {etcd.Url} --node admm0 --round 200ms --lease 2s --power-fit off --duration 60s --arm --metrics-url none --scope {string.Join(' ', jobs.Select(j => j.Id))}");
        var groups = new List<string>();
        try
        {
            var converged = await node.WaitAsync(s => s.Mode == "Joined" && s.Updater && Math.Abs(s.Price - price) <= 5e-3 * price, TimeSpan.FromSeconds(40), "the ADMM node converges to the centralized price");
            PriceRecord record;
            using (var store = new EtcdClusterStore(new EtcdEndpoint(etcd.Url), TimeSpan.FromSeconds(2)))
            {
                // Fibre 'power', resource 'power': the record under /sigil/power/power.
                record = (await ClusterRecordKeys.ReadAsync(store, ClusterInstance.Settings(1, Budget, null!), System.Threading.CancellationToken.None))!;
            }

            output.WriteLine($"{utility}: round {converged.Round}: price {converged.Price:G6} (centralized {price:G6}), applied {converged.Applied:F2} W of share {converged.Share:F2} W (centralized {loads[0]:F2} W); record iteration {record.Admm?.Iteration}");
            Assert.Contains($"cluster row by admm (rho {ClusterSimulation.AdmmRho:G6})", node.Errors, StringComparison.Ordinal);
            Assert.NotNull(record.Admm);
            Assert.Equal(loads[0], converged.Desired, 1.0);
            Assert.True(converged.Applied <= Budget * (1 + 1e-9), $"applied {converged.Applied} within the budget");

            // The quotas are the allocation of the applied load, in steps of 0.05 CPU (the status line a round later may differ by round-off only).
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            var applied = node.Lines.Last().Applied;
            var expected = Math.Max(JobQuotaActuator.Step, Math.Round(applied / ClusterSimulation.WattsPerCpu / Jobs / JobQuotaActuator.Step) * JobQuotaActuator.Step);
            foreach (var j in jobs)
            {
                var (group, quota) = ClusterTlsTests.CpuQuota(j.Id);
                output.WriteLine($"job {j.Id} in {group}: quota {quota:F3} CPU (allocation {applied / ClusterSimulation.WattsPerCpu / Jobs:F3})");
                Assert.Contains($"/sigil/power.{j.Id}.", group, StringComparison.Ordinal);
                Assert.Equal(expected, quota, 6);
                groups.Add(group);
            }

            node.Terminate();
            Assert.All(groups, g => Assert.False(Directory.Exists(ClusterTlsTests.CpuRoot + g), $"{g} removed at exit"));
        }
        finally
        {
            node.Dispose();
            foreach (var j in jobs)
            {
                j.Kill();
                j.Dispose();
            }

            Directory.Delete(folder, recursive: true);
        }
    }
}
