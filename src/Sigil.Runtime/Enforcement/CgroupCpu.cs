using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Sigil.Runtime.Enforcement;

/// <summary>The cgroup hierarchy that holds the cpu controller.</summary>
public enum CgroupVersion
{
    /// <summary>cgroup v1: <c>cpu.cfs_quota_us</c> and <c>cpu.cfs_period_us</c>.</summary>
    V1,

    /// <summary>cgroup v2: <c>cpu.max</c>.</summary>
    V2,
}

/// <summary>Where the cpu controller is mounted, found from <c>/proc/self/mountinfo</c>.</summary>
/// <param name="Version">The hierarchy's version.</param>
/// <param name="MountPoint">Its mount point, e.g. <c>/sys/fs/cgroup/cpu</c> (v1) or <c>/sys/fs/cgroup</c> (v2).</param>
public sealed record CgroupCpu(CgroupVersion Version, string MountPoint)
{
    /// <summary>
    /// Finds the cpu controller: cgroup v2 when its <c>cgroup.controllers</c> lists <c>cpu</c>,
    /// else a v1 hierarchy mounted with the <c>cpu</c> option. Returns null and says what was
    /// found in <paramref name="problem"/> when there is neither.
    /// </summary>
    public static CgroupCpu? Detect(out string? problem, string mountInfoPath = "/proc/self/mountinfo")
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(mountInfoPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot read {mountInfoPath}: {e.Message}";
            return null;
        }

        var found = new List<string>();
        CgroupCpu? v1 = null;
        foreach (var line in lines)
        {
            if (!TryParseMount(line, out var mountPoint, out var fsType, out var superOptions))
            {
                continue;
            }

            if (fsType == "cgroup2")
            {
                var controllers = ReadControllers(mountPoint);
                found.Add($"cgroup2 at {mountPoint} with controllers [{string.Join(' ', controllers)}]");
                if (controllers.Contains("cpu"))
                {
                    problem = null;
                    return new CgroupCpu(CgroupVersion.V2, mountPoint);
                }
            }
            else if (fsType == "cgroup")
            {
                var options = superOptions.Split(',');
                found.Add($"cgroup v1 at {mountPoint} ({superOptions})");
                if (v1 is null && options.Contains("cpu"))
                {
                    v1 = new CgroupCpu(CgroupVersion.V1, mountPoint);
                }
            }
        }

        if (v1 is not null)
        {
            problem = null;
            return v1;
        }

        problem = found.Count == 0
            ? "no cgroup file system is mounted"
            : "no cgroup hierarchy has the cpu controller; found: " + string.Join("; ", found);
        return null;
    }

    /// <summary>The cgroup of <paramref name="pid"/> in this hierarchy (a path like <c>/user.slice</c>), or null.</summary>
    public string? CgroupOf(int pid, string procRoot = "/proc")
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cgroup"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        foreach (var line in lines)
        {
            // hierarchy-id:controller-list:path; v2 is "0::path".
            var first = line.IndexOf(':');
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line.Substring(first + 1, second - first - 1);
            var path = line[(second + 1)..];
            var matches = Version == CgroupVersion.V2
                ? controllers.Length == 0 && line.StartsWith("0:", StringComparison.Ordinal)
                : controllers.Split(',').Contains("cpu");
            if (matches)
            {
                return path;
            }
        }

        return null;
    }

    private static HashSet<string> ReadControllers(string mountPoint)
    {
        try
        {
            return [.. File.ReadAllText(Path.Combine(mountPoint, "cgroup.controllers")).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // mountinfo: id parent major:minor root mount-point options [optional...] - fstype source super-options
    private static bool TryParseMount(string line, out string mountPoint, out string fsType, out string superOptions)
    {
        mountPoint = fsType = superOptions = string.Empty;
        var fields = line.Split(' ');
        var dash = Array.IndexOf(fields, "-");
        if (fields.Length < 7 || dash < 6 || dash + 3 > fields.Length)
        {
            return false;
        }

        mountPoint = Unescape(fields[4]);
        fsType = fields[dash + 1];
        superOptions = dash + 3 < fields.Length ? fields[dash + 3] : string.Empty;
        return true;
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                text.Append((char)(((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0')));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
