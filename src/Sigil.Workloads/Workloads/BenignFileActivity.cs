using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Sigil.Runtime.Workloads;

/// <summary>
/// A benign process: many short file opens (open, read or append a little, close at once) in a
/// <see cref="WorkloadDirectory"/>, at a steady rate. Its files are held for microseconds, so the
/// dwell fibre should leave it alone.
/// </summary>
public sealed class BenignFileActivity
{
    private readonly WorkloadDirectory _directory;

    /// <summary>Activity in <paramref name="directory"/> at <paramref name="opensPerSecond"/>.</summary>
    public BenignFileActivity(WorkloadDirectory directory, double opensPerSecond = 200, int files = 16)
    {
        _directory = directory ?? throw new ArgumentNullException(nameof(directory));
        if (!(opensPerSecond > 0) || opensPerSecond > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(opensPerSecond), opensPerSecond, "between 0 and 100000 opens per second");
        }

        if (files is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(files), files, "between 1 and 10000 files");
        }

        OpensPerSecond = opensPerSecond;
        Files = files;
    }

    /// <summary>The target rate.</summary>
    public double OpensPerSecond { get; }

    /// <summary>Files cycled through.</summary>
    public int Files { get; }

    /// <summary>Opens files until cancelled or <paramref name="duration"/> has passed (zero: no limit); returns the number of opens.</summary>
    public async Task<long> RunAsync(TextWriter log, TimeSpan duration = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var buffer = new byte[512];
        long opens = 0;
        var lastReport = 0.0;
        try
        {
            while (duration == TimeSpan.Zero || clock.Elapsed < duration)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var name = string.Create(CultureInfo.InvariantCulture, $"note-{opens % Files:D3}.log");
                using (var file = new FileStream(_directory.File(name), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, 1))
                {
                    if (file.Length > 64 * 1024)
                    {
                        file.SetLength(0);
                    }

                    _ = file.Read(buffer);
                    file.Seek(0, SeekOrigin.End);
                    file.Write("ok\n"u8);
                }

                opens++;
                var due = opens / OpensPerSecond;
                var ahead = due - clock.Elapsed.TotalSeconds;
                if (ahead > 0.001)
                {
                    await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken).ConfigureAwait(false);
                }

                if (clock.Elapsed.TotalSeconds - lastReport >= 5)
                {
                    lastReport = clock.Elapsed.TotalSeconds;
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{opens} short opens")).ConfigureAwait(false);
                    await log.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return opens;
    }
}
