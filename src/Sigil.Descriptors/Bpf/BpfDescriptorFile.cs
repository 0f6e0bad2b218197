using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Sigil.Descriptors;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The descriptor file of a fibre's eBPF object, <c>bpf/&lt;fibre&gt;.bpf.json</c>: the JSON text of
/// its <see cref="BpfObjectDescription"/>, written by the build and by <c>sigil emit</c> beside the
/// object's sources (and copied beside the object), read by the runtime. Indented, properties in
/// declaration order, deterministic.
/// </summary>
/// <remarks>
/// Written by hand (<c>JsonText</c>, shared with the daemon descriptor) rather than with
/// System.Text.Json: this assembly is netstandard2.0 and loads inside the compiler as the
/// generator's dependency, where a JSON package would have to travel too. The runtime reads the
/// file with System.Text.Json, strictly, into this same record; a test round-trips every shipped
/// fibre through both.
/// </remarks>
public static class BpfDescriptorFile
{
    /// <summary>The format version this compiler writes and the runtime accepts.</summary>
    public const int FormatVersion = 1;

    /// <summary>The descriptor's path among the artefacts, beside the object's source.</summary>
    public static string RelativePath(string fibre) => $"bpf/{fibre}.bpf.json";

    /// <summary>The descriptor's file name for an object file name (<c>dwell.bpf.o</c> to <c>dwell.bpf.json</c>).</summary>
    public static string FileNameFor(string objectFile) =>
        (objectFile.EndsWith(".o", StringComparison.Ordinal) ? objectFile.Substring(0, objectFile.Length - 2) : objectFile) + ".json";

    /// <summary>The SHA-256 of each file's text (UTF-8), sorted by path.</summary>
    public static EquatableArray<BpfSourceDigest> Digests(IEnumerable<KeyValuePair<string, string>>? files)
    {
        if (files is null)
        {
            return EquatableArray<BpfSourceDigest>.Empty;
        }

        using var sha = System.Security.Cryptography.SHA256.Create();
        return files
            .OrderBy(static f => f.Key, StringComparer.Ordinal)
            .Select(f => new BpfSourceDigest(f.Key, Hex(sha.ComputeHash(Encoding.UTF8.GetBytes(f.Value)))))
            .ToEquatableArray();
    }

    /// <summary>The JSON text of <paramref name="d"/>.</summary>
    public static string Write(BpfObjectDescription d) => JsonText.Object(
        1,
        ("format", JsonText.Int(d.Format)),
        ("fibre", JsonText.Str(d.Fibre)),
        ("objectFile", JsonText.Str(d.ObjectFile)),
        ("agentKey", JsonText.Str(d.AgentKey)),
        ("stateMap", JsonText.Str(d.StateMap)),
        ("statsMap", JsonText.Str(d.StatsMap)),
        ("controlMap", JsonText.Str(d.ControlMap)),
        ("allowMap", JsonText.Str(d.AllowMap)),
        ("scopeMap", JsonText.Str(d.ScopeMap)),
        ("eventsMap", JsonText.Str(d.EventsMap)),
        ("wakeMap", JsonText.Str(d.WakeMap)),
        ("priceMap", JsonText.Str(d.PriceMap)),
        ("membersMap", JsonText.Str(d.MembersMap)),
        ("priceScaleBits", JsonText.Int(d.PriceScaleBits)),
        ("fixedPoint", d.FixedPoint is not { } fp ? JsonText.Null : JsonText.Object(
            2,
            ("resource", JsonText.Str(fp.Resource)),
            ("scaleBits", JsonText.Int(fp.ScaleBits)),
            ("stepFixed", JsonText.Int(fp.StepFixed)),
            ("budgetFixed", JsonText.Int(fp.BudgetFixed)),
            ("loadMaxFixed", JsonText.Int(fp.LoadMaxFixed)),
            ("priceMaxFixed", JsonText.Int(fp.PriceMaxFixed)),
            ("nanosecondsPerUnit", JsonText.Int(fp.NanosecondsPerUnit)))),
        ("throttlePrice", d.ThrottlePrice is { } t ? JsonText.Int(t) : JsonText.Null),
        ("killPrice", d.KillPrice is { } k ? JsonText.Int(k) : JsonText.Null),
        ("programs", JsonText.Strings(1, d.Programs)),
        ("maps", JsonText.Array(1, d.Maps.Select(static m => JsonText.Object(
            2,
            ("name", JsonText.Str(m.Name)),
            ("type", JsonText.Str(m.Type)),
            ("maxEntries", JsonText.Int(m.MaxEntries)),
            ("key", JsonText.Str(m.Key)),
            ("keySize", JsonText.Int(m.KeySize)),
            ("value", JsonText.Str(m.Value)),
            ("valueSize", JsonText.Int(m.ValueSize)))))),
        ("sources", JsonText.Sources(d.Sources))) + "\n";

    private static string Hex(byte[] bytes)
    {
        var s = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            s.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return s.ToString();
    }
}
