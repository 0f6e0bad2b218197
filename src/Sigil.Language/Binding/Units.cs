using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Binding;

/// <summary>
/// Unit algebra over <see cref="UnitSpec"/>: a unit is a product of integer powers of base names.
/// Names are canonicalised through a short alias table (<c>seconds</c> is <c>s</c>); any other
/// identifier is a base unit of its own (<c>mmol</c>, <c>gDW</c>). There are no conversions:
/// <c>s</c> and <c>ms</c> are different units, and mixing them is an error.
/// </summary>
internal static class Units
{
    private static readonly Dictionary<string, string> s_aliases = new()
    {
        ["s"] = "s",
        ["sec"] = "s",
        ["secs"] = "s",
        ["second"] = "s",
        ["seconds"] = "s",
        ["ms"] = "ms",
        ["msec"] = "ms",
        ["millisecond"] = "ms",
        ["milliseconds"] = "ms",
        ["us"] = "us",
        ["usec"] = "us",
        ["microsecond"] = "us",
        ["microseconds"] = "us",
        ["ns"] = "ns",
        ["nsec"] = "ns",
        ["nanosecond"] = "ns",
        ["nanoseconds"] = "ns",
        ["min"] = "min",
        ["minute"] = "min",
        ["minutes"] = "min",
        ["h"] = "h",
        ["hr"] = "h",
        ["hour"] = "h",
        ["hours"] = "h",
        ["B"] = "B",
        ["byte"] = "B",
        ["bytes"] = "B",
        ["KiB"] = "KiB",
        ["kibibyte"] = "KiB",
        ["kibibytes"] = "KiB",
        ["MiB"] = "MiB",
        ["mebibyte"] = "MiB",
        ["mebibytes"] = "MiB",
        ["GiB"] = "GiB",
        ["gibibyte"] = "GiB",
        ["gibibytes"] = "GiB",
        ["cpu"] = "cpu",
        ["cpus"] = "cpu",
    };

    private static readonly Dictionary<string, double> s_nanoseconds = new()
    {
        ["s"] = 1e9,
        ["ms"] = 1e6,
        ["us"] = 1e3,
        ["ns"] = 1,
        ["min"] = 60e9,
        ["h"] = 3600e9,
    };

    /// <summary>The unit names the alias table knows (every spelling), sorted; any other identifier is a unit of its own.</summary>
    public static IEnumerable<string> KnownNames => s_aliases.Keys.OrderBy(static n => n, System.StringComparer.Ordinal);

    public static string Canonical(string name) => s_aliases.TryGetValue(name, out var canonical) ? canonical : name;


    public static UnitSpec FromFactors(IEnumerable<KeyValuePair<string, int>> powers)
    {
        var merged = new SortedDictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var pair in powers)
        {
            merged[pair.Key] = (merged.TryGetValue(pair.Key, out var p) ? p : 0) + pair.Value;
        }

        return new UnitSpec(merged.Where(static p => p.Value != 0).Select(static p => new UnitFactor(p.Key, p.Value)).ToEquatableArray());
    }

    public static UnitSpec Multiply(UnitSpec a, UnitSpec b) =>
        FromFactors(a.Factors.Concat(b.Factors).Select(static f => new KeyValuePair<string, int>(f.Name, f.Power)));

    public static UnitSpec Divide(UnitSpec a, UnitSpec b) =>
        FromFactors(a.Factors.Select(static f => new KeyValuePair<string, int>(f.Name, f.Power))
            .Concat(b.Factors.Select(static f => new KeyValuePair<string, int>(f.Name, -f.Power))));

    public static UnitSpec Power(UnitSpec a, int power) =>
        FromFactors(a.Factors.Select(f => new KeyValuePair<string, int>(f.Name, f.Power * power)));

    public static UnitSpec Inverse(UnitSpec a) => Power(a, -1);

    /// <summary>Kernel nanoseconds per unit for a pure time unit (s, ms, us, ns, min, h), else null.</summary>
    public static double? NanosecondsPerUnit(UnitSpec unit) =>
        unit.Factors.Count == 1 && unit.Factors[0].Power == 1 && s_nanoseconds.TryGetValue(unit.Factors[0].Name, out var ns) ? ns : null;
}
