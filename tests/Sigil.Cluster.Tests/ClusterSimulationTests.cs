using System;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Sigil.Cluster.Tests;

/// <summary>100 simulated nodes (tasks on one etcd client) against a real etcd: the benchmark's 1,000-node run, smaller, by the dual price search and by ADMM's sharing form.</summary>
public sealed class ClusterSimulationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("dual")]
    [InlineData("admm")]
    public async Task Simulation_HundredNodes_ConvergeToCentralizedPriceWithinBudget(string method)
    {
        using var etcd = new EtcdServer();
        await etcd.StartAsync();
        var admm = method == "admm";
        var result = await ClusterSimulation.RunAsync(etcd.Url, 100, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(admm ? 60 : 40), admm ? ClusterSimulation.AdmmRho : null);
        output.WriteLine(result.ToString());
        Assert.True(result.Rounds > 0, "converged in time");

        // ADMM's iteration waits for every live node: a round in which some of 100 node tasks have
        // not yet answered is not an iteration, so it takes more rounds than iterations.
        Assert.True(result.Rounds <= (admm ? 100 : 25), $"within {(admm ? 100 : 25)} rounds ({result.Rounds})");
        Assert.True(!admm || result.Iterations is > 0 and <= 30, $"ADMM within 30 iterations ({result.Iterations})");
        Assert.Equal(result.CentralizedPrice, result.Price, result.CentralizedPrice * (admm ? 5e-3 : 2e-3));
        Assert.True(result.MaxTotal <= result.Budget * (1 + 1e-9), $"total {result.MaxTotal} within {result.Budget}");
    }
}
