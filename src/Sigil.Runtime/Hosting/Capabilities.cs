using System;
using System.Globalization;
using System.IO;

namespace Sigil.Runtime.Hosting;

/// <summary>The Linux capabilities the daemon may need, by number (linux/capability.h).</summary>
public enum Capability
{
    /// <summary>Send signals to other users' processes.</summary>
    Kill = 5,

    /// <summary>Set other processes' CPU affinity.</summary>
    SysNice = 23,

    /// <summary>Override resource limits (locked memory for BPF maps on older kernels).</summary>
    SysResource = 24,

    /// <summary>Everything else administrative; implies the BPF and perf capabilities on older kernels.</summary>
    SysAdmin = 21,

    /// <summary>Tracing and perf events (attach tracepoints).</summary>
    Perfmon = 38,

    /// <summary>Load BPF programs and create maps.</summary>
    Bpf = 39,
}

/// <summary>The process's effective capabilities, from <c>/proc/self/status</c> (CapEff).</summary>
public sealed class Capabilities
{
    private readonly ulong _effective;

    private Capabilities(ulong effective, int uid)
    {
        _effective = effective;
        Uid = uid;
    }

    /// <summary>The effective user id.</summary>
    public int Uid { get; }

    /// <summary>Reads the current process's capabilities.</summary>
    public static Capabilities Current(string procRoot = "/proc")
    {
        ulong effective = 0;
        var uid = -1;
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procRoot, "self", "status")))
            {
                if (line.StartsWith("CapEff:", StringComparison.Ordinal))
                {
                    effective = ulong.Parse(line.AsSpan(7).Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    // Uid: real effective saved fs
                    var fields = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length > 1)
                    {
                        uid = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }

        return new Capabilities(effective, uid);
    }

    /// <summary>True when <paramref name="capability"/> is effective.</summary>
    public bool Has(Capability capability) => (_effective & (1UL << (int)capability)) != 0;

    /// <summary>The name as in capabilities(7).</summary>
    public static string Name(Capability capability) => capability switch
    {
        Capability.Kill => "CAP_KILL",
        Capability.SysNice => "CAP_SYS_NICE",
        Capability.SysResource => "CAP_SYS_RESOURCE",
        Capability.SysAdmin => "CAP_SYS_ADMIN",
        Capability.Perfmon => "CAP_PERFMON",
        Capability.Bpf => "CAP_BPF",
        _ => capability.ToString(),
    };
}
