using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sigil.Cluster;

/// <summary>
/// The node's power draw: from the RAPL energy counters under <c>/sys/class/powercap</c> where the
/// hardware exposes them (the top-level <c>intel-rapl:N</c> / <c>amd-rapl:N</c> packages, summed,
/// with counter wrap-around), else from a model of CPU time: <c>watts per busy CPU x busy CPUs</c>
/// from <c>/proc/stat</c>, which is what the fibre's rows count. <see cref="Source"/> says which.
/// </summary>
public sealed class NodePowerSensor
{
    private readonly string[] _zones;
    private readonly string _procStat;
    private readonly double _wattsPerCpu;
    private readonly TimeProvider _time;
    private double[]? _lastEnergy;
    private double _lastBusy;
    private long _lastStamp;

    /// <summary>A sensor reading <paramref name="sysRoot"/> (normally <c>/sys</c>) and <paramref name="procRoot"/>.</summary>
    public NodePowerSensor(double wattsPerCpu, string sysRoot = "/sys", string procRoot = "/proc", TimeProvider? time = null)
    {
        _wattsPerCpu = wattsPerCpu;
        _procStat = Path.Combine(procRoot, "stat");
        _time = time ?? TimeProvider.System;
        var powercap = Path.Combine(sysRoot, "class", "powercap");
        _zones = Directory.Exists(powercap)
            ? Directory.GetDirectories(powercap)
                .Where(d => Path.GetFileName(d).Count(c => c == ':') == 1 && File.Exists(Path.Combine(d, "energy_uj")) && CanRead(Path.Combine(d, "energy_uj")))
                .Order(StringComparer.Ordinal).ToArray()
            : [];
        Source = _zones.Length > 0
            ? $"RAPL energy counters ({string.Join(", ", _zones.Select(Path.GetFileName))})"
            : $"a model of CPU time ({_wattsPerCpu.ToString("G", CultureInfo.InvariantCulture)} W per busy CPU; no readable RAPL counter under {powercap})";
    }

    /// <summary>True when the counters are RAPL's.</summary>
    public bool Rapl => _zones.Length > 0;

    /// <summary>Where the reading comes from, for the start-up line.</summary>
    public string Source { get; }

    /// <summary>Watts since the previous call (null on the first call, which only sets the baseline).</summary>
    public double? Read()
    {
        var now = _time.GetTimestamp();
        var seconds = _lastStamp == 0 ? 0 : _time.GetElapsedTime(_lastStamp, now).TotalSeconds;
        double? watts = null;
        if (Rapl)
        {
            var energy = _zones.Select(z => ReadNumber(Path.Combine(z, "energy_uj"))).ToArray();
            if (_lastEnergy is not null && seconds > 0)
            {
                double joules = 0;
                for (var i = 0; i < energy.Length; i++)
                {
                    var delta = energy[i] - _lastEnergy[i];
                    if (delta < 0)
                    {
                        // The counter wrapped at max_energy_range_uj.
                        delta += ReadNumber(Path.Combine(_zones[i], "max_energy_range_uj"));
                    }

                    joules += delta / 1e6;
                }

                watts = joules / seconds;
            }

            _lastEnergy = energy;
        }
        else
        {
            var busy = BusySeconds();
            if (_lastStamp != 0 && seconds > 0)
            {
                watts = _wattsPerCpu * Math.Max(0, busy - _lastBusy) / seconds;
            }

            _lastBusy = busy;
        }

        _lastStamp = now;
        return watts;
    }

    // Busy CPU seconds of the whole node: /proc/stat's first line less idle and iowait (USER_HZ = 100).
    private double BusySeconds()
    {
        var line = File.ReadLines(_procStat).First();
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Take(8).Sum();
        return (total - fields[3] - fields[4]) / 100.0;
    }

    private static double ReadNumber(string path) => double.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture);

    private static bool CanRead(string path)
    {
        try
        {
            ReadNumber(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }
}
