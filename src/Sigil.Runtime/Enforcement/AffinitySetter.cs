using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace Sigil.Runtime.Enforcement;

/// <summary>Sets a task's CPU affinity (sched_setaffinity), the actuator of placement fibres such as cache.</summary>
public sealed class AffinitySetter
{
    private const int MaskWords = 16; // 1024 CPUs, glibc's cpu_set_t

    /// <summary>Restricts <paramref name="target"/> to <paramref name="cpus"/>.</summary>
    /// <exception cref="ArgumentException">No CPU, or a CPU number out of range.</exception>
    /// <exception cref="IOException">The kernel refused (no privilege, CPUs offline).</exception>
    public unsafe void Apply(ProcessTarget target, IReadOnlyCollection<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(cpus);
        if (cpus.Count == 0)
        {
            throw new ArgumentException("an affinity needs at least one CPU", nameof(cpus));
        }

        var mask = stackalloc ulong[MaskWords];
        foreach (var cpu in cpus)
        {
            if (cpu < 0 || cpu >= MaskWords * 64)
            {
                throw new ArgumentException($"CPU {cpu} is out of range", nameof(cpus));
            }

            mask[cpu / 64] |= 1UL << (cpu % 64);
        }

        if (Libc.SchedSetAffinity(target.Pid, (nuint)(MaskWords * sizeof(ulong)), mask) != 0)
        {
            throw new IOException($"cannot set the affinity of {target}: {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>The CPUs task <paramref name="pid"/> may run on.</summary>
    public static unsafe IReadOnlyList<int> Get(int pid)
    {
        var mask = stackalloc ulong[MaskWords];
        if (Libc.SchedGetAffinity(pid, (nuint)(MaskWords * sizeof(ulong)), mask) != 0)
        {
            throw new IOException($"cannot read the affinity of pid {pid}: {Libc.Describe(Marshal.GetLastPInvokeError())}");
        }

        var cpus = new List<int>();
        for (var i = 0; i < MaskWords * 64; i++)
        {
            if ((mask[i / 64] & (1UL << (i % 64))) != 0)
            {
                cpus.Add(i);
            }
        }

        return cpus;
    }
}
