using System;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>100 simulated nodes (tasks on one etcd client) against a real etcd: the benchmark's 1,000-node run, smaller.</summary>
public sealed class ClusterSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Simulation_HundredNodes_ConvergeToCentralizedPriceWithinBudget()
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var result = await ClusterSimulation.RunAsync(etcd.Url, 100, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(40));
        output.WriteLine(result.ToString());
        Assert.True(result.Rounds > 0, "converged within 40 s");
        Assert.True(result.Rounds <= 25, $"within 25 rounds ({result.Rounds})");
        Assert.Equal(result.CentralizedPrice, result.Price, result.CentralizedPrice * 2e-3);
        Assert.True(result.MaxTotal <= result.Budget * (1 + 1e-9), $"total {result.MaxTotal} within {result.Budget}");
    }
}
