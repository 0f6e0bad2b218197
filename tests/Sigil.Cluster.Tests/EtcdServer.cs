using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Cluster.Tests;

/// <summary>
/// A real etcd (Debian's etcd-server) on loopback, or inside a network namespace, on ephemeral
/// ports with a temporary data directory; started, stopped and restarted by the test, and killed
/// and removed at dispose.
/// </summary>
internal sealed class EtcdServer : IDisposable
{
    public const string Binary = "/usr/bin/etcd";
    // On tmpfs where there is one: etcd syncs its log on every write, and the tests measure the protocol, not the disk.
    private readonly string _dataDir = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "sigil-cluster-etcd-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string? _netns;
    private readonly string _listen;
    private Process? _process;

    private readonly TestCertificates? _tls;

    public EtcdServer(string? netns = null, string? address = null, TestCertificates? tls = null)
    {
        _netns = netns;
        _tls = tls;
        ClientPort = FreePort();
        PeerPort = FreePort();
        _listen = address ?? "127.0.0.1";
        Url = $"{(tls is null ? "http" : "https")}://{_listen}:{ClientPort}";
    }

    /// <summary>How a client reaches this server (with the test CA and client certificate under TLS).</summary>
    public EtcdEndpoint Endpoint => _tls is null ? new EtcdEndpoint(Url) : new EtcdEndpoint(Url, _tls.CaFile, _tls.ClientCertFile, _tls.ClientKeyFile);

    public int ClientPort { get; }

    public int PeerPort { get; }

    /// <summary>The client URL.</summary>
    public string Url { get; }

    public static string? Missing => File.Exists(Binary) ? null : $"{Binary} is not installed (apt-get install etcd-server; eng/setup.sh installs it)";

    public async Task StartAsync()
    {
        var name = "sigil-test";
        var args = $"--name {name} --data-dir {_dataDir} --listen-client-urls {Url} --advertise-client-urls {Url} " +
                   $"--listen-peer-urls http://127.0.0.1:{PeerPort} --initial-advertise-peer-urls http://127.0.0.1:{PeerPort} " +
                   $"--initial-cluster {name}=http://127.0.0.1:{PeerPort} --log-level error --logger zap"
                   + (_tls is null ? string.Empty : $" --cert-file {_tls.ServerCertFile} --key-file {_tls.ServerKeyFile} --trusted-ca-file {_tls.CaFile} --client-cert-auth");
        var info = _netns is null
            ? new ProcessStartInfo(Binary, args)
            : new ProcessStartInfo("ip", $"netns exec {_netns} {Binary} {args}");
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with {_process.ExitCode}");
            }

            using var store = new EtcdClusterStore(Endpoint, TimeSpan.FromMilliseconds(500));
            try
            {
                if (_netns is null)
                {
                    await store.GetAsync("/probe", CancellationToken.None);
                    return;
                }

                // From outside the namespace the server is out of reach: ask etcdctl inside it.
                using var probe = Process.Start(new ProcessStartInfo("ip", $"netns exec {_netns} /usr/bin/etcdctl --endpoints {Url} --dial-timeout 500ms endpoint health") { RedirectStandardOutput = true, RedirectStandardError = true })!;
                await probe.WaitForExitAsync();
                if (probe.ExitCode == 0)
                {
                    return;
                }
            }
            catch (Exception)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("etcd did not answer within 20 s");
    }

    /// <summary>The keys under <paramref name="prefix"/>, read by etcdctl (inside the namespace when there is one).</summary>
    public async Task<string[]> KeysAsync(string prefix)
    {
        var args = $"--endpoints {Url} --dial-timeout 1s --command-timeout 2s get --prefix --keys-only {prefix}";
        using var p = Process.Start(_netns is null
            ? new ProcessStartInfo("/usr/bin/etcdctl", args) { RedirectStandardOutput = true, RedirectStandardError = true }
            : new ProcessStartInfo("ip", $"netns exec {_netns} /usr/bin/etcdctl {args}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0 ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : throw new InvalidOperationException($"etcdctl get: exit {p.ExitCode}");
    }

    /// <summary>Stops etcd at once (SIGKILL); the data directory stays for a restart.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Kill();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
