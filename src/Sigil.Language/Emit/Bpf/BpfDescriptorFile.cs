using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The descriptor file of a fibre's eBPF object, <c>bpf/&lt;fibre&gt;.bpf.json</c>: the JSON text of
/// its <see cref="BpfObjectDescription"/>, written by the build and by <c>sigil emit</c> beside the
/// object's sources (and copied beside the object), read by the runtime. Indented, properties in
/// declaration order, deterministic.
/// </summary>
/// <remarks>
/// Written by hand (about sixty lines) rather than with System.Text.Json: this assembly is
/// netstandard2.0 and loads inside the compiler as the generator's dependency, where a JSON
/// package would have to travel too. The runtime reads the file with System.Text.Json, strictly,
/// into this same record; a test round-trips every shipped fibre through both.
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
    public static string Write(BpfObjectDescription d)
    {
        var w = new StringBuilder();
        w.Append("{\n");
        Property(w, 1, "format", Int(d.Format));
        Property(w, 1, "fibre", Str(d.Fibre));
        Property(w, 1, "objectFile", Str(d.ObjectFile));
        Property(w, 1, "agentKey", Str(d.AgentKey));
        Property(w, 1, "stateMap", Str(d.StateMap));
        Property(w, 1, "statsMap", Str(d.StatsMap));
        Property(w, 1, "controlMap", Str(d.ControlMap));
        Property(w, 1, "allowMap", Str(d.AllowMap));
        Property(w, 1, "scopeMap", Str(d.ScopeMap));
        Property(w, 1, "eventsMap", Str(d.EventsMap));
        Property(w, 1, "wakeMap", Str(d.WakeMap));
        Property(w, 1, "priceMap", Str(d.PriceMap));
        Property(w, 1, "membersMap", Str(d.MembersMap));
        Property(w, 1, "priceScaleBits", Int(d.PriceScaleBits));
        Property(w, 1, "fixedPoint", d.FixedPoint is not { } fp ? "null" : Object(2,
            ("resource", Str(fp.Resource)),
            ("scaleBits", Int(fp.ScaleBits)),
            ("stepFixed", Int(fp.StepFixed)),
            ("budgetFixed", Int(fp.BudgetFixed)),
            ("loadMaxFixed", Int(fp.LoadMaxFixed)),
            ("priceMaxFixed", Int(fp.PriceMaxFixed)),
            ("nanosecondsPerUnit", Int(fp.NanosecondsPerUnit))));
        Property(w, 1, "throttlePrice", d.ThrottlePrice is { } t ? Int(t) : "null");
        Property(w, 1, "killPrice", d.KillPrice is { } k ? Int(k) : "null");
        Property(w, 1, "programs", Array(1, d.Programs.Select(Str)));
        Property(w, 1, "maps", Array(1, d.Maps.Select(static m => Object(2,
            ("name", Str(m.Name)),
            ("type", Str(m.Type)),
            ("maxEntries", Int(m.MaxEntries)),
            ("key", Str(m.Key)),
            ("keySize", Int(m.KeySize)),
            ("value", Str(m.Value)),
            ("valueSize", Int(m.ValueSize))))));
        Property(w, 1, "sources", Array(1, d.Sources.Select(static s => Object(2, ("path", Str(s.Path)), ("sha256", Str(s.Sha256))))), last: true);
        w.Append("}\n");
        return w.ToString();
    }

    private static void Property(StringBuilder w, int depth, string name, string value, bool last = false) =>
        w.Append(' ', depth * 2).Append('"').Append(name).Append("\": ").Append(value).Append(last ? "\n" : ",\n");

    private static string Object(int depth, params (string Name, string Value)[] properties)
    {
        var w = new StringBuilder("{\n");
        for (var i = 0; i < properties.Length; i++)
        {
            Property(w, depth, properties[i].Name, properties[i].Value, i == properties.Length - 1);
        }

        return w.Append(' ', (depth - 1) * 2).Append('}').ToString();
    }

    private static string Array(int depth, IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count == 0)
        {
            return "[]";
        }

        var indent = new string(' ', (depth + 1) * 2);
        return "[\n" + string.Join(",\n", list.Select(i => indent + i.Replace("\n", "\n  "))) + "\n" + new string(' ', depth * 2) + "]";
    }

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    // JSON string escaping (RFC 8259, section 7): quote, backslash and control characters.
    private static string Str(string? value)
    {
        if (value is null)
        {
            return "null";
        }

        var s = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        s.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        s.Append(c);
                    }

                    break;
            }
        }

        return s.Append('"').ToString();
    }

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
