using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>A node's sensed draw fed back: a node that draws more than its model is still held to its share.</summary>
public sealed class ClusterSensedLoadTests(ITestOutputHelper output)
{
    private const double Budget = 600;

    /// <summary>
    /// Node n0 really draws 1.5 times what its model says (its sensor reads 1.5 x the modelled load
    /// of the allocation it applied). It learns the gain, publishes and caps its sensed draw, and
    /// the cluster total of real draws stays within the budget once the gain is learnt. Without the
    /// correction n0 would draw 1.5 times its share.
    /// </summary>
    [Fact]
    public async Task Cluster_NodeDrawingMoreThanItsModel_IsHeldToItsShare()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        await using var cluster = new LocalCluster(etcd.Url, ClusterInstance.Settings(3, Budget, "/sigil-test/" + Guid.NewGuid().ToString("N")[..10]));
        const double truth = 1.5;
        var model = ClusterInstance.Jobs(0).Select(j => j.ClusterCoefficient).ToArray();
        double modelled = 0;
        var n0 = cluster.Add(0);
        n0.Applied += (solution, _) => modelled = solution.X.Select((x, j) => model[j] * x).Sum();
        n0.SensedLoad = () => truth * modelled;
        cluster.Add(1);
        cluster.Add(2);

        await cluster.WaitAsync(r => r.Search.Converged && r.Nodes.Count == 3 && Math.Abs(n0.Status.Gain - truth) < 1e-3 * truth, TimeSpan.FromSeconds(30), "three nodes converge with n0's gain learnt");
        var clock = Stopwatch.StartNew();
        double maxReal = 0, maxOwn = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            var nodes = cluster.Nodes;
            var real = (truth * modelled) + nodes.Where(n => n != n0).Sum(n => n.Status.Applied);
            maxReal = Math.Max(maxReal, real);
            maxOwn = Math.Max(maxOwn, (truth * modelled) - n0.Status.Share);
            await Task.Delay(20);
        }

        output.WriteLine($"gain {n0.Status.Gain:F4}; n0 share {n0.Status.Share:F2} W, real draw {truth * modelled:F2} W, model {modelled:F2} W; largest real total {maxReal:F2} W");
        Assert.True(maxReal <= Budget * 1.001, $"real total {maxReal} within the budget {Budget}");
        Assert.True(maxOwn <= 1e-3 * Budget, $"n0 draws at most its share (excess {maxOwn})");
        Assert.True(n0.Status.Share > 1.2 * modelled, "n0's model sits well below its share: uncorrected it would draw 1.5 x its model up to its share");
    }
}
