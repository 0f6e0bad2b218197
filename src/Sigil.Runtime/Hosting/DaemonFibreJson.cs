using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// Reads a daemon descriptor (<c>daemon/&lt;fibre&gt;.daemon.json</c>, which the build and
/// <c>sigil emit</c> write with <see cref="DaemonFibreFile"/>): what a host needs to run the daemon
/// without the compiler. Reading is strict: unknown, duplicate and missing required properties are
/// errors with a line and column, and so is a format this runtime does not read.
/// </summary>
public static class DaemonFibreJson
{
    /// <summary>Reads a descriptor; on failure returns null and says where and why in <paramref name="problem"/>.</summary>
    public static DaemonFibre? TryRead(string path, out string? problem) =>
        Read(path, DaemonFibreJsonContext.Default.DaemonFibre, static f =>
            f.Rows is null || f.Rules is null || f.Sensor is null || f.Metrics is null || f.PriceMaps is null || f.Name is null || f.Sources is null ? "the descriptor is incomplete"
            : Format(f.Format), out problem);

    /// <summary>Reads a cluster fibre's node description (<c>daemon/&lt;fibre&gt;.cluster.json</c>, <see cref="ClusterDescriptionFile"/>) as strictly.</summary>
    public static ClusterDescription? TryReadCluster(string path, out string? problem) =>
        Read(path, DaemonFibreJsonContext.Default.ClusterDescription, static c =>
            c.Job is null || c.Sources is null || c.Fibre is null ? "the descriptor is incomplete" : Format(c.Format), out problem);

    private static string? Format(int format) =>
        format == DaemonFibreFile.FormatVersion ? null : $"descriptor format {format} is not {DaemonFibreFile.FormatVersion} (rebuild the fibre with this version of sigil)";

    // Reads, deserialises and checks one descriptor; every failure is a problem that names the
    // file (and the line and column), never an exception.
    private static T? Read<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Func<T, string?> check, out string? problem)
        where T : class
    {
        string text;
        try
        {
            text = Sigil.Runtime.Security.BoundedFile.ReadText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{path}: cannot be read: {e.Message}";
            return null;
        }

        try
        {
            var value = JsonSerializer.Deserialize(text, info);
            var bad = value is null ? "the descriptor is incomplete" : check(value);
            problem = bad is null ? null : $"{path}: error: {bad}";
            return bad is null ? value : null;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"({line + 1},{(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
            problem = $"{path}{where}: error: {e.Message}";
            return null;
        }
    }
}

/// <summary>Source-generated JSON metadata for <see cref="DaemonFibre"/>.</summary>
[JsonSourceGenerationOptions(
    AllowDuplicateProperties = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DaemonFibre))]
[JsonSerializable(typeof(ClusterDescription))]
internal sealed partial class DaemonFibreJsonContext : JsonSerializerContext
{
}
