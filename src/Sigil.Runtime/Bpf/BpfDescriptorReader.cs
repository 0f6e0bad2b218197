using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;

namespace Sigil.Runtime.Bpf;

/// <summary>
/// Reads the descriptor file the build writes beside a fibre's eBPF object
/// (<c>&lt;fibre&gt;.bpf.json</c>, <see cref="BpfDescriptorFile"/>) into the compiler's own
/// <see cref="BpfObjectDescription"/>. The daemon runs as root and reads it from disk, so reading is
/// strict: a size cap, no unknown, duplicate or missing properties, no nulls where the record has
/// none, and every name and number checked (<see cref="Validate"/>). Bad input is an
/// <see cref="InvalidDataException"/> that names the file (and the line and column), never a crash.
/// </summary>
public static class BpfDescriptorReader
{
    /// <summary>The largest descriptor read, in bytes.</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly Dictionary<string, BpfMapType> s_mapTypes = new(StringComparer.Ordinal)
    {
        ["BPF_MAP_TYPE_HASH"] = BpfMapType.Hash,
        ["BPF_MAP_TYPE_ARRAY"] = BpfMapType.Array,
        ["BPF_MAP_TYPE_PERCPU_HASH"] = BpfMapType.PerCpuHash,
        ["BPF_MAP_TYPE_PERCPU_ARRAY"] = BpfMapType.PerCpuArray,
        ["BPF_MAP_TYPE_LRU_HASH"] = BpfMapType.LruHash,
        ["BPF_MAP_TYPE_LRU_PERCPU_HASH"] = BpfMapType.LruPerCpuHash,
        ["BPF_MAP_TYPE_RINGBUF"] = BpfMapType.RingBuffer,
        ["BPF_MAP_TYPE_TASK_STORAGE"] = BpfMapType.TaskStorage,
    };

    /// <summary>The descriptor's path beside the object at <paramref name="objectPath"/> (<c>dwell.bpf.o</c> to <c>dwell.bpf.json</c>).</summary>
    public static string PathBeside(string objectPath) =>
        Path.Combine(Path.GetDirectoryName(objectPath) ?? ".", BpfDescriptorFile.FileNameFor(Path.GetFileName(objectPath)));

    /// <summary>Reads and checks the descriptor at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, unreadable, too large, not a descriptor, or holds a bad value.</exception>
    public static BpfObjectDescription Read(string path)
    {
        string text;
        try
        {
            text = Security.BoundedFile.ReadText(path, MaxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: error: the eBPF object's descriptor cannot be read: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and checks descriptor <paramref name="text"/>; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The text is not a descriptor or holds a bad value.</exception>
    public static BpfObjectDescription Parse(string text, string path)
    {
        BpfObjectDescription? description;
        try
        {
            description = JsonSerializer.Deserialize(text, BpfDescriptorJsonContext.Default.BpfObjectDescription);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"({line + 1},{(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
            throw new InvalidDataException($"{path}{where}: error: not an eBPF object descriptor: {e.Message}", e);
        }

        if (description is null)
        {
            throw new InvalidDataException($"{path}: error: not an eBPF object descriptor: the file holds null");
        }

        var problems = Validate(description);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: error: bad eBPF object descriptor: {string.Join("; ", problems)}");
        }

        return description;
    }

    /// <summary>What is wrong with <paramref name="d"/>; empty when it can drive an object.</summary>
    public static IReadOnlyList<string> Validate(BpfObjectDescription d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var problems = new List<string>();
        if (d.Format != BpfDescriptorFile.FormatVersion)
        {
            problems.Add($"format {d.Format} is not {BpfDescriptorFile.FormatVersion} (rebuild the fibre with this version of sigil)");
        }

        Identifier(problems, "fibre", d.Fibre);
        if (d.ObjectFile != d.Fibre + ".bpf.o")
        {
            problems.Add($"objectFile '{d.ObjectFile}' is not '{d.Fibre}.bpf.o'");
        }

        if (d.AgentKey is not ("tgid" or "tid" or "tree"))
        {
            problems.Add($"agentKey '{d.AgentKey}' is not tgid, tid or tree");
        }

        var maps = new Dictionary<string, BpfMapDescription>(StringComparer.Ordinal);
        foreach (var map in d.Maps)
        {
            if (map is null)
            {
                problems.Add("a map is null");
                continue;
            }

            Identifier(problems, "map", map.Name);
            if (!maps.TryAdd(map.Name, map))
            {
                problems.Add($"map '{map.Name}' is listed twice");
            }

            if (!s_mapTypes.ContainsKey(map.Type))
            {
                problems.Add($"map '{map.Name}' has type '{map.Type}', which the runtime does not know");
            }

            if (map.MaxEntries is < 0 or > int.MaxValue || map.KeySize is < 0 or > 4096 || map.ValueSize is < 0 or > 65536)
            {
                problems.Add($"map '{map.Name}' has a size out of range (entries {map.MaxEntries}, key {map.KeySize} B, value {map.ValueSize} B)");
            }
        }

        foreach (var (role, name) in new[]
        {
            ("stateMap", d.StateMap), ("statsMap", d.StatsMap), ("controlMap", d.ControlMap), ("allowMap", d.AllowMap),
            ("scopeMap", d.ScopeMap), ("eventsMap", d.EventsMap), ("wakeMap", d.WakeMap), ("priceMap", d.PriceMap), ("membersMap", d.MembersMap),
        })
        {
            if (name is not null && !maps.ContainsKey(name))
            {
                problems.Add($"{role} '{name}' is not among the maps");
            }
        }

        if (d.PriceScaleBits is < 0 or > FixedPointSpec.MaxScaleBits)
        {
            problems.Add($"priceScaleBits {d.PriceScaleBits} is out of range (0 to {FixedPointSpec.MaxScaleBits})");
        }

        if (d.FixedPoint is { } fp)
        {
            if (d.PriceMap is null)
            {
                problems.Add("fixedPoint is set but the object keeps no price (priceMap is null)");
            }

            if (fp.ScaleBits != d.PriceScaleBits)
            {
                problems.Add($"fixedPoint.scaleBits {fp.ScaleBits} is not priceScaleBits {d.PriceScaleBits}");
            }

            if (fp.NanosecondsPerUnit is < 1 or > FixedPointSpec.MaxNanosecondsPerUnit)
            {
                problems.Add($"fixedPoint.nanosecondsPerUnit {fp.NanosecondsPerUnit} is out of range (1 to 2^32)");
            }

            if (fp.StepFixed < 0 || fp.BudgetFixed < 0 || fp.LoadMaxFixed < 0 || fp.PriceMaxFixed < 0)
            {
                problems.Add("fixedPoint holds a negative step, budget or bound");
            }
        }

        if (d.ThrottlePrice < 0 || d.KillPrice < 0)
        {
            problems.Add("a threshold price is negative");
        }

        if (d.Programs.Count == 0)
        {
            problems.Add("no programs");
        }

        foreach (var program in d.Programs)
        {
            Identifier(problems, "program", program);
        }

        if (d.Programs.Distinct(StringComparer.Ordinal).Count() != d.Programs.Count)
        {
            problems.Add("a program is listed twice");
        }

        foreach (var source in d.Sources)
        {
            if (source is null || string.IsNullOrEmpty(source.Path) || source.Sha256 is not { Length: 64 } || !source.Sha256.All(static c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                problems.Add($"source '{source?.Path}' has no SHA-256 of 64 lower-case hex digits");
            }
        }

        return problems;
    }

    /// <summary>
    /// Differences between the maps <paramref name="d"/> describes and those of <paramref name="obj"/>:
    /// a missing map, another type, key or value size or capacity means the object was built from
    /// another version of the fibre.
    /// </summary>
    public static IReadOnlyList<string> CompareMaps(BpfObjectDescription d, BpfObject obj)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(obj);
        var problems = new List<string>();
        foreach (var described in d.Maps)
        {
            var map = obj.Maps.FirstOrDefault(m => m.Name == described.Name);
            if (map is null)
            {
                problems.Add($"no map '{described.Name}'");
                continue;
            }

            // Task storage has no max_entries and a key libbpf sets to the fd type.
            var sizes = map.Type == BpfMapType.TaskStorage || (map.KeySize == described.KeySize && map.ValueSize == described.ValueSize && map.MaxEntries == described.MaxEntries);
            if (s_mapTypes[described.Type] != map.Type || !sizes)
            {
                problems.Add($"map '{described.Name}' is {map}, the descriptor says {described.Type}, key {described.KeySize} B, value {described.ValueSize} B, {described.MaxEntries} entries");
            }
        }

        return problems;
    }

    private static void Identifier(List<string> problems, string what, string? name)
    {
        if (name is null || !Sigil.Descriptors.Identifiers.IsPlain(name))
        {
            problems.Add($"{what} name '{name}' is not a C identifier");
        }
    }
}

/// <summary>Reads an <see cref="EquatableArray{T}"/> as a JSON array (null is an error).</summary>
internal sealed class EquatableArrayJsonConverter<T> : JsonConverter<EquatableArray<T>>
{
    public override EquatableArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected an array, found {reader.TokenType}");
        }

        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var item = JsonSerializer.Deserialize(ref reader, info) ?? throw new JsonException("an array item is null");
            items.Add(item);
        }

        return items.ToEquatableArray();
    }

    public override void Write(Utf8JsonWriter writer, EquatableArray<T> value, JsonSerializerOptions options)
    {
        var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        writer.WriteStartArray();
        foreach (var item in value)
        {
            JsonSerializer.Serialize(writer, item, info);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Source-generated, strict JSON metadata for <see cref="BpfObjectDescription"/>.</summary>
[JsonSourceGenerationOptions(
    AllowDuplicateProperties = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    Converters = [typeof(EquatableArrayJsonConverter<string>), typeof(EquatableArrayJsonConverter<BpfMapDescription>), typeof(EquatableArrayJsonConverter<BpfSourceDigest>)])]
[JsonSerializable(typeof(BpfObjectDescription))]
internal sealed partial class BpfDescriptorJsonContext : JsonSerializerContext
{
}
