using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sigil.Runtime.Enforcement;

namespace Sigil.Runtime.Hosting;

/// <summary>The outcome of <see cref="DaemonPreflight.Check"/>.</summary>
/// <param name="Errors">Problems that stop the daemon before it arms anything.</param>
/// <param name="Warnings">Problems that only limit observation mode.</param>
/// <param name="Cpu">The cgroup cpu controller, when found.</param>
public sealed record PreflightReport(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, CgroupCpu? Cpu)
{
    /// <summary>True when the daemon may start.</summary>
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// Everything the daemon checks before it starts, so that it never runs half-armed: the kernel
/// mounts its sensor needs (bpffs, tracefs), the privileges and cgroup controller enforcement
/// needs when armed, and a writable state directory. Nothing here changes the system except
/// creating the state directory.
/// </summary>
public static class DaemonPreflight
{
    /// <summary>Checks <paramref name="fibre"/> under <paramref name="options"/>.</summary>
    public static PreflightReport Check(DaemonFibre fibre, DaemonOptions options, Capabilities? capabilities = null)
    {
        ArgumentNullException.ThrowIfNull(fibre);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var warnings = new List<string>();
        var caps = capabilities ?? Capabilities.Current(options.ProcRoot);
        var mounts = ReadMounts(options.MountInfo, errors);

        if (options.Sensor == SensorChoice.Kernel)
        {
            CheckMount(mounts, options.BpfFs, ["bpf"], "bpffs", "mount -t bpf bpf " + options.BpfFs, errors);
            CheckMount(mounts, options.TraceFs, ["tracefs", "debugfs"], "tracefs", "mount -t tracefs tracefs " + options.TraceFs, errors);
            foreach (var cap in new[] { Capability.Bpf, Capability.Perfmon })
            {
                if (!caps.Has(cap) && !caps.Has(Capability.SysAdmin))
                {
                    errors.Add($"the kernel sensor needs {Capabilities.Name(cap)} (uid {caps.Uid} does not have it)");
                }
            }
        }
        else if (fibre.Sensor.Kind is not ("span" or "oncpu"))
        {
            errors.Add($"the /proc sensor measures span loads (file hold times) and on-CPU time per thread; fibre '{fibre.Name}' senses '{fibre.Sensor.Kind}', which needs the kernel sensor");
        }
        else if (!Directory.Exists(Path.Combine(options.ProcRoot, "self")))
        {
            errors.Add($"procfs is not mounted at {options.ProcRoot}");
        }

        CgroupCpu? cpu = null;
        if (fibre.Throttles)
        {
            cpu = CgroupCpu.Detect(out var problem, options.MountInfo);
            if (cpu is null)
            {
                (options.Arm ? errors : warnings).Add($"throttling needs the cgroup cpu controller: {problem}");
            }
        }

        if (options.Arm)
        {
            var needs = new List<Capability>();
            if (fibre.Rules.Any(r => r.Kind == ActionKind.Kill))
            {
                needs.Add(Capability.Kill);
            }

            if (fibre.Rules.Any(r => r.Kind == ActionKind.Affinity))
            {
                needs.Add(Capability.SysNice);
            }

            foreach (var cap in needs.Where(c => !caps.Has(c)))
            {
                errors.Add($"--arm needs {Capabilities.Name(cap)} to enforce '{fibre.Name}' (uid {caps.Uid} does not have it)");
            }

            if (cpu is not null && caps.Uid != 0)
            {
                errors.Add($"--arm needs root (uid 0) to create cgroups under {cpu.MountPoint} and move processes (uid {caps.Uid})");
            }
        }

        CheckStateDirectory(options.StateDirectory, errors);
        return new PreflightReport(errors, warnings, cpu);
    }

    private static List<(string MountPoint, string FsType)> ReadMounts(string mountInfo, List<string> errors)
    {
        var mounts = new List<(string, string)>();
        try
        {
            foreach (var line in File.ReadLines(mountInfo))
            {
                var fields = line.Split(' ');
                var dash = Array.IndexOf(fields, "-");
                if (fields.Length > 4 && dash > 4 && dash + 1 < fields.Length)
                {
                    mounts.Add((fields[4].Replace("\\040", " ", StringComparison.Ordinal), fields[dash + 1]));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"cannot read the mount table {mountInfo}: {e.Message}");
        }

        return mounts;
    }

    private static void CheckMount(List<(string MountPoint, string FsType)> mounts, string path, string[] types, string what, string fix, List<string> errors)
    {
        if (!Directory.Exists(path))
        {
            errors.Add($"{what} is not mounted: {path} does not exist (as root: {fix})");
            return;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!mounts.Any(m => m.MountPoint == full && types.Contains(m.FsType)))
        {
            errors.Add($"{what} is not mounted at {full} (as root: {fix})");
        }
    }

    private static void CheckStateDirectory(string directory, List<string> errors)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".sigil-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"the state directory {directory} is not writable: {e.Message}");
        }
    }
}
