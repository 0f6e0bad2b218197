using System.Collections.Generic;
using System.Linq;

namespace Sigil.Benchmarks;

/// <summary>Summaries of repeated measurements.</summary>
internal static class Statistics
{
    /// <summary>The median: the middle value, or the mean of the two middle values of an even count.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
