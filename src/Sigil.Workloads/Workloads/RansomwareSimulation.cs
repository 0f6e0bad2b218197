using System;
using System.Globalization;
using System.IO;
using System.Threading;

namespace Sigil.Runtime.Workloads;

/// <summary>
/// A simulated ransomware process, harmless by construction: it seeds its own victim files in a
/// <see cref="WorkloadDirectory"/>, then, file after file, reads each one and writes a scrambled
/// copy (<c>&lt;name&gt;.locked</c>) slowly, holding both open for the hold time. Long file holds
/// are the behaviour the dwell fibre prices. Originals are left in place.
/// </summary>
/// <remarks>
/// The work runs synchronously on the calling thread. Asynchronous I/O would grow the runtime's
/// thread pool, above all while the process is CPU-throttled, and each new pool thread costs the
/// process a few short file opens of its own (the runtime reads
/// <c>/sys/devices/system/cpu/possible</c> and names the thread through <c>/proc/self/task/*/comm</c>):
/// closes that the dwell fibre rightly counts as short holds and that pull the price back down.
/// </remarks>
public sealed class RansomwareSimulation
{
    private readonly WorkloadDirectory _directory;

    /// <summary>A simulation in <paramref name="directory"/>.</summary>
    public RansomwareSimulation(WorkloadDirectory directory, TimeSpan hold, int files = 8)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        if (hold < TimeSpan.Zero || hold > TimeSpan.FromHours(1))
        {
            throw new ArgumentOutOfRangeException(nameof(hold), hold, "the hold time must be between 0 and one hour");
        }

        if (files is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(files), files, "between 1 and 10000 files");
        }

        Hold = hold;
        Files = files;
    }

    /// <summary>How long each file is held open.</summary>
    public TimeSpan Hold { get; }

    /// <summary>Victim files seeded.</summary>
    public int Files { get; }

    /// <summary>Seeds the victims, then rewrites them round after round until cancelled (or <paramref name="rounds"/> are done).</summary>
    /// <param name="log">Receives one line per rewritten file.</param>
    /// <param name="rounds">Rounds over all files; 0 for no limit.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>The number of files rewritten.</returns>
    public int Run(TextWriter log, int rounds = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var victims = new string[Files];
        for (var i = 0; i < Files; i++)
        {
            victims[i] = string.Create(CultureInfo.InvariantCulture, $"document-{i:D4}.txt");
            var path = _directory.File(victims[i]);
            if (!File.Exists(path))
            {
                File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"quarterly report {i}\n") + new string('x', 16 * 1024));
            }
        }

        var buffer = new byte[4096];
        var rewritten = 0;
        for (var round = 0; rounds == 0 || round < rounds; round++)
        {
            foreach (var victim in victims)
            {
                var started = DateTime.UtcNow;
                using (var source = new FileStream(_directory.File(victim), FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (var target = new FileStream(_directory.File(victim + ".locked"), FileMode.Create, FileAccess.Write, FileShare.Read))
                {
                    var chunks = (int)Math.Max(1, Math.Ceiling(source.Length / (double)buffer.Length));
                    var pause = Hold / chunks;
                    int read;
                    while ((read = source.Read(buffer)) > 0)
                    {
                        for (var b = 0; b < read; b++)
                        {
                            buffer[b] ^= 0x5A;
                        }

                        target.Write(buffer.AsSpan(0, read));
                        target.Flush();
                        if (cancellationToken.WaitHandle.WaitOne(pause))
                        {
                            return rewritten;
                        }
                    }
                }

                rewritten++;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rewrote {victim} (held {(DateTime.UtcNow - started).TotalSeconds:0.0} s)"));
                log.Flush();
            }
        }

        return rewritten;
    }
}
