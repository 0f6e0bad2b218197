using System;
using System.Globalization;
using System.IO;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// The fields of <c>/proc/&lt;pid&gt;/stat</c> the daemon reads. The command name sits in parentheses
/// and may itself contain spaces and parentheses, so the fields after it are found from the last
/// closing parenthesis.
/// </summary>
/// <param name="Pid">Field 1.</param>
/// <param name="Comm">Field 2, without the parentheses.</param>
/// <param name="State">Field 3: R, S, D, Z, T, ...</param>
/// <param name="ParentPid">Field 4.</param>
/// <param name="Flags">Field 9: the kernel's PF_* flags.</param>
/// <param name="UserTicks">Field 14: user time in clock ticks.</param>
/// <param name="SystemTicks">Field 15: system time in clock ticks.</param>
/// <param name="StartTime">Field 22: start time in clock ticks after boot; with the pid, it names one process for good.</param>
public sealed record ProcStat(int Pid, string Comm, char State, int ParentPid, uint Flags, ulong UserTicks, ulong SystemTicks, ulong StartTime)
{
    /// <summary>PF_KTHREAD: the task is a kernel thread.</summary>
    public const uint KernelThreadFlag = 0x00200000;

    /// <summary>True for a kernel thread.</summary>
    public bool IsKernelThread => (Flags & KernelThreadFlag) != 0;

    /// <summary>User plus system time, in clock ticks.</summary>
    public ulong CpuTicks => UserTicks + SystemTicks;

    /// <summary>Reads <c>&lt;procRoot&gt;/&lt;pid&gt;/stat</c>; null when the process does not exist (or vanished).</summary>
    public static ProcStat? TryRead(int pid, string procRoot = "/proc")
    {
        string text;
        try
        {
            text = File.ReadAllText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return TryParse(text);
    }

    /// <summary>
    /// The value of field <paramref name="name"/> in <c>&lt;procRoot&gt;/&lt;pid&gt;/status</c>
    /// (the text after "name:", trimmed); null when the process is gone or has no such field.
    /// </summary>
    public static string? StatusField(int pid, string name, string procRoot = "/proc")
    {
        var prefix = name + ":";
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "status")))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line[prefix.Length..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Parses the text of a stat file; null when it is malformed.</summary>
    public static ProcStat? TryParse(string text)
    {
        var open = text.IndexOf('(');
        var close = text.LastIndexOf(')');
        if (open <= 0 || close < open || close + 2 >= text.Length)
        {
            return null;
        }

        if (!int.TryParse(text.AsSpan(0, open).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return null;
        }

        var comm = text.Substring(open + 1, close - open - 1);

        // Fields from 3 on, split on single spaces: index 0 is field 3 (state).
        var rest = text.AsSpan(close + 2);
        Span<Range> ranges = stackalloc Range[24];
        var count = rest.Split(ranges, ' ');
        if (count < 20)
        {
            return null;
        }

        var state = rest[ranges[0]].Length == 1 ? rest[ranges[0]][0] : '?';
        if (!int.TryParse(rest[ranges[1]], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ppid)
            || !uint.TryParse(rest[ranges[6]], NumberStyles.None, CultureInfo.InvariantCulture, out var flags)
            || !ulong.TryParse(rest[ranges[11]], NumberStyles.None, CultureInfo.InvariantCulture, out var utime)
            || !ulong.TryParse(rest[ranges[12]], NumberStyles.None, CultureInfo.InvariantCulture, out var stime)
            || !ulong.TryParse(rest[ranges[19]], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return null;
        }

        return new ProcStat(pid, comm, state, ppid, flags, utime, stime, start);
    }
}
