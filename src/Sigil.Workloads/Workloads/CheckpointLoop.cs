using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Sigil.Runtime.State;

namespace Sigil.Runtime.Workloads;

/// <summary>
/// A process that checkpoints in a tight loop, for crash tests: it restores the latest
/// checkpoint, then saves states whose every number is a function of the sequence, printing
/// <c>saved N</c> once each save has returned. A checker that kills it at any moment can then
/// require that the checkpoint loads, is internally consistent (<see cref="IsConsistent"/>), and
/// is not older than the last save reported.
/// </summary>
public static class CheckpointLoop
{
    /// <summary>The fibre name the loop checkpoints under.</summary>
    public const string Fibre = "crashloop";

    /// <summary>The state of sequence <paramref name="sequence"/>.</summary>
    public static DaemonState StateAt(long sequence, int agents = 64)
    {
        var prices = Enumerable.Range(0, agents).Select(i => new PriceState("dwell", 1000 + i, (ulong)i, (sequence * 0.25) + i)).ToList();
        var counters = new List<CounterState> { new("sigil_actions_total|kill", sequence), new("sigil_ticks_total", 2.0 * sequence) };
        return new DaemonState(Fibre, sequence, sequence, prices, counters);
    }

    /// <summary>True when every number in <paramref name="state"/> matches its sequence.</summary>
    public static bool IsConsistent(DaemonState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var expected = StateAt(state.Sequence, state.Prices.Count);
        return state.Fibre == Fibre && state.SavedAtUnixMilliseconds == state.Sequence
            && state.Prices.SequenceEqual(expected.Prices) && state.Counters.SequenceEqual(expected.Counters);
    }

    /// <summary>Runs until cancelled or <paramref name="saves"/> saves (0: no limit).</summary>
    public static long Run(string directory, TextWriter output, long saves = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var store = new CheckpointStore(directory, Fibre);
        using var held = store.AcquireLock();
        var loaded = store.Load();
        foreach (var problem in loaded.Problems)
        {
            output.WriteLine("problem " + problem);
        }

        var sequence = loaded.State?.Sequence ?? 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {sequence} {loaded.Source.ToString().ToLowerInvariant()} {(loaded.State is null || IsConsistent(loaded.State) ? "consistent" : "INCONSISTENT")}"));
        output.Flush();
        for (long n = 0; (saves == 0 || n < saves) && !cancellationToken.IsCancellationRequested; n++)
        {
            sequence++;
            store.Save(StateAt(sequence));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"saved {sequence}"));
            output.Flush();
        }

        return sequence;
    }
}
