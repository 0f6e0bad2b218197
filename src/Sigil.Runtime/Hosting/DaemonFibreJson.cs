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
    public static DaemonFibre? TryRead(string path, out string? problem)
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
            var fibre = JsonSerializer.Deserialize(text, DaemonFibreJsonContext.Default.DaemonFibre);
            if (fibre is null || fibre.Rows is null || fibre.Rules is null || fibre.Sensor is null || fibre.Metrics is null || fibre.PriceMaps is null || fibre.Name is null || fibre.Sources is null)
            {
                problem = $"{path}: error: the descriptor is incomplete";
                return null;
            }

            if (fibre.Format != DaemonFibreFile.FormatVersion)
            {
                problem = $"{path}: error: descriptor format {fibre.Format} is not {DaemonFibreFile.FormatVersion} (rebuild the fibre with this version of sigil)";
                return null;
            }

            problem = null;
            return fibre;
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"({line + 1},{(e.BytePositionInLine ?? 0) + 1})" : string.Empty;
            problem = $"{path}{where}: error: {e.Message}";
            return null;
        }
    }
    /// <summary>Reads a cluster fibre's node description (<c>daemon/&lt;fibre&gt;.cluster.json</c>, <see cref="ClusterDescriptionFile"/>) as strictly.</summary>
    public static ClusterDescription? TryReadCluster(string path, out string? problem)
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
            var cluster = JsonSerializer.Deserialize(text, DaemonFibreJsonContext.Default.ClusterDescription);
            problem = cluster is null || cluster.Job is null || cluster.Sources is null || cluster.Fibre is null ? $"{path}: error: the descriptor is incomplete"
                : cluster.Format != DaemonFibreFile.FormatVersion ? $"{path}: error: descriptor format {cluster.Format} is not {DaemonFibreFile.FormatVersion} (rebuild the fibre with this version of sigil)"
                : null;
            return problem is null ? cluster : null;
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
