using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Sigil.Daemon.Tests.Infrastructure;
using Sigil.Runtime.Enforcement;
using Sigil.Runtime.Hosting;
using Sigil.Runtime.Security;
using Sigil.Runtime.State;

namespace Sigil.Daemon.Tests.Security;

/// <summary>The metrics server's limits: a descriptor budget, yet 1,000 concurrent scrapes answered.</summary>
[Collection(Sequential.Name)]
public sealed class MetricsLimitTests
{
    [Theory]
    [InlineData(20_000UL, 2048)]
    [InlineData(3_000UL, 988)]
    [InlineData(1_024UL, 16)]
    [InlineData(0UL, 16)]
    public void Budget_KeepsTheReserve_AndCapsConnections(ulong descriptors, int connections) =>
        Assert.Equal(connections, DescriptorBudget.Connections(descriptors));

    [Fact]
    public async Task Server_ThousandConcurrentScrapes_AreAllAnswered_AndConnectionsBeyondTheLimitAreClosed()
    {
        var fibre = Fixtures.Dwell();
        using var sensor = new ScriptedSensor();
        using var state = new TempDirectory();
        var options = new DaemonOptions { MetricsUrl = "http://127.0.0.1:0", Tick = TimeSpan.FromMilliseconds(50), LogFormat = LogFormat.None, StateDirectory = state.Path };
        var enforcer = new Enforcer(new ProcessGuard(GuardPolicy.None), EnforcerSettings.Default, throttler: null);
        await using var app = DaemonApplication.Build(new DaemonParts(fibre, sensor, new SensedDualStep(fibre), enforcer, null, new CheckpointStore(state.Path, fibre.Name)), options);
        await app.StartAsync();
        var server = app.MetricsServer!;
        Assert.Equal(DescriptorBudget.Connections(DescriptorBudget.RaiseToHard()), server.MaxConnections);

        using (var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1000 })
        using (var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) })
        {
            var scrapes = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => http.GetAsync("/metrics")));
            Assert.All(scrapes, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        // The scrapes' keep-alive connections are closed (the server may close idle ones on its
        // own, so their count is not known): idle connections up to the limit and a few beyond are
        // opened; the server holds at most the limit, and one more is closed at once.
        await Task.Delay(500);
        var idle = new List<TcpClient>();
        try
        {
            for (var i = 0; i < server.MaxConnections + 8; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, server.Address!.Port);
                idle.Add(client);
            }

            // Within the server's 5 s request-header timeout of the first idle connection, so that
            // no idle connection has been closed for its silence yet when the extra one comes.
            await Task.Delay(200);
            using var extra = new TcpClient();
            await extra.ConnectAsync(IPAddress.Loopback, server.Address!.Port);
            var buffer = new byte[1];
            extra.ReceiveTimeout = 2000; // well under the header timeout: a close now is the limit's
            int read;
            try
            {
                read = extra.GetStream().Read(buffer);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
            {
                read = 0;
            }

            Assert.Equal(0, read); // closed (FIN or reset), no response; an idle wait would time out instead
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }

        await app.StopAsync();
    }
}
