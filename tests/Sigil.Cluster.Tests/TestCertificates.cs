using System;
using System.Diagnostics;
using System.IO;

namespace Sigil.Cluster.Tests;

/// <summary>
/// A throwaway CA, a server certificate for 127.0.0.1 and a client certificate it signed, and a
/// second CA that signed nothing here, made by openssl in a fresh temporary folder (removed at dispose).
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sigil-cluster-tls-" + Guid.NewGuid().ToString("N")[..12]);

    public TestCertificates()
    {
        Directory.CreateDirectory(_dir);
        try
        {
            NewCa("ca", "sigil-test-ca");
            NewCa("other-ca", "sigil-other-ca");
            Issue("server", "etcd", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
            Issue("client", "sigil-node", "extendedKeyUsage=clientAuth\n");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public static string? Missing => File.Exists("/usr/bin/openssl") ? null : "/usr/bin/openssl is not installed (apt-get install openssl)";

    public string CaFile => In("ca.crt");

    public string OtherCaFile => In("other-ca.crt");

    public string ServerCertFile => In("server.crt");

    public string ServerKeyFile => In("server.key");

    public string ClientCertFile => In("client.crt");

    public string ClientKeyFile => In("client.key");

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private string In(string name) => Path.Combine(_dir, name);

    private void NewCa(string name, string cn) =>
        OpenSsl($"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {name}.key -out {name}.crt -days 1 -subj /CN={cn}");

    private void Issue(string name, string cn, string extensions)
    {
        File.WriteAllText(In(name + ".ext"), extensions);
        OpenSsl($"req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout {name}.key -out {name}.csr -subj /CN={cn}");
        OpenSsl($"x509 -req -in {name}.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out {name}.crt -days 1 -extfile {name}.ext");
    }

    private void OpenSsl(string args)
    {
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/openssl", args) { WorkingDirectory = _dir, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {args}: exit {p.ExitCode}: {error}");
        }
    }
}
