using System;
using System.IO;

namespace Sigil.Runtime.Enforcement;

/// <summary>
/// How the kernel knows an executable and a cgroup: an executable by its file's device and inode
/// (what <c>task-&gt;mm-&gt;exe_file</c> holds, so a path resolves through symlinks), a cgroup v2 by
/// its id, which is the inode number of its directory on the cgroup2 file system.
/// </summary>
public static class ProcessIdentity
{
    /// <summary>
    /// The executable at <paramref name="path"/> as the kernel's (dev, ino): dev in the kernel's
    /// encoding (MKDEV, major &lt;&lt; 20 | minor); null when it cannot be stat'ed (<paramref name="problem"/> says why).
    /// </summary>
    public static unsafe (uint Dev, ulong Ino)? Executable(string path, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stat = stackalloc byte[256];
        if (Libc.Stat(path, stat) != 0)
        {
            problem = Libc.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            return null;
        }

        // glibc's st_dev (gnu_dev_major/minor) as the kernel's dev_t (MKDEV).
        var st = *(ulong*)stat;
        var major = (uint)(((st >> 8) & 0xfff) | ((st >> 32) & 0xfffff000));
        var minor = (uint)((st & 0xff) | ((st >> 12) & 0xffffff00));
        problem = null;
        return ((major << 20) | minor, *(ulong*)(stat + 8));
    }

    /// <summary>The cgroup v2 path of process <paramref name="pid"/> ("0::/path" in /proc/PID/cgroup), or null when it is gone.</summary>
    public static string? CgroupOf(int pid, string procRoot = "/proc")
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procRoot, pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "cgroup")))
            {
                if (line.StartsWith("0::", StringComparison.Ordinal))
                {
                    return line.Substring(3);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>
    /// The id of the cgroup v2 at <paramref name="path"/> (written from the hierarchy's root, as
    /// /proc/PID/cgroup shows it) under the mount <paramref name="root"/>; null when it is not there.
    /// </summary>
    public static unsafe ulong? Cgroup(string root, string path, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.Join(root, path.TrimStart('/'));
        if (!File.Exists(Path.Combine(full, "cgroup.procs")))
        {
            problem = $"{full} is not a cgroup v2 directory";
            return null;
        }

        var stat = stackalloc byte[256];
        if (Libc.Stat(full, stat) != 0)
        {
            problem = Libc.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
            return null;
        }

        problem = null;
        return *(ulong*)(stat + 8);
    }

    /// <summary>
    /// The PID namespace process <paramref name="tgid"/> lives in (the inode of
    /// <c>/proc/PID/ns/pid</c>) and its pid there (the last entry of <c>NSpid</c> in
    /// <c>/proc/PID/status</c>), as a hook inside learns them from its own <c>/proc</c>; null when
    /// the process is gone or the inode does not fit the 32 bits the kernel gives namespace inodes.
    /// </summary>
    public static unsafe (uint Namespace, int Pid)? PidNamespace(int tgid, string procRoot = "/proc")
    {
        var folder = Path.Combine(procRoot, tgid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var stat = stackalloc byte[256];
        if (Libc.Stat(Path.Combine(folder, "ns", "pid"), stat) != 0 || *(ulong*)(stat + 8) > uint.MaxValue)
        {
            return null;
        }

        var inode = (uint)*(ulong*)(stat + 8);
        var pids = ProcStat.StatusField(tgid, "NSpid", procRoot)?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return pids is { Length: > 0 } && int.TryParse(pids[^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && pid > 0
            ? (inode, pid)
            : null;
    }
}
