using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace Sigil.Cluster.Tests;

/// <summary>
/// A hub namespace with a bridge, and node namespaces each joined to it by a veth pair; every
/// address lives only inside these namespaces (169.254.77.0/24, link-local). Names carry a random
/// suffix; dispose deletes every namespace, which removes the links with them.
/// </summary>
internal sealed class NetworkNamespaces : IDisposable
{
    private readonly List<string> _created = [];

    public NetworkNamespaces(int nodes)
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        Hub = $"sgc{id}h";
        Nodes = new string[nodes];
        try
        {
            Add(Hub);
            Ip($"-n {Hub} link set lo up");
            Ip($"-n {Hub} link add br0 type bridge");
            Ip($"-n {Hub} addr add {HubAddress}/24 dev br0");
            Ip($"-n {Hub} link set br0 up");
            for (var i = 0; i < nodes; i++)
            {
                var ns = Nodes[i] = $"sgc{id}n{i}";
                Add(ns);
                Ip($"-n {ns} link set lo up");
                Ip($"-n {Hub} link add v{i} type veth peer name e{i}");
                Ip($"-n {Hub} link set e{i} netns {ns}");
                Ip($"-n {Hub} link set v{i} master br0");
                Ip($"-n {Hub} link set v{i} up");
                Ip($"-n {ns} addr add 169.254.77.{10 + i}/24 dev e{i}");
                Ip($"-n {ns} link set e{i} up");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public const string HubAddress = "169.254.77.1";

    public string Hub { get; }

    public string[] Nodes { get; }

    public static string? Missing =>
        Libc.GetEuid() != 0 ? "network namespaces need root"
        : !System.IO.File.Exists("/usr/sbin/ip") && !System.IO.File.Exists("/sbin/ip") && !System.IO.File.Exists("/usr/bin/ip") ? "iproute2's ip is not installed"
        : null;

    /// <summary>Cuts (or restores) node <paramref name="i"/>'s link at the hub.</summary>
    public void Link(int i, bool up) => Ip($"-n {Hub} link set v{i} {(up ? "up" : "down")}");

    public void Dispose()
    {
        foreach (var ns in _created)
        {
            Run("ip", $"netns del {ns}", check: false);
        }

        _created.Clear();
    }

    private void Add(string ns)
    {
        Ip($"netns add {ns}");
        _created.Add(ns);
    }

    private static void Ip(string args) => Run("ip", args, check: true);

    private static void Run(string file, string args, bool check)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args}: exit {p.ExitCode.ToString(CultureInfo.InvariantCulture)}: {error}");
        }
    }

    private static class Libc
    {
        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "geteuid")]
        public static extern uint GetEuid();
    }
}
