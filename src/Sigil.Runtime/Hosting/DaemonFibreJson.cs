using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sigil.Runtime.Hosting;

/// <summary>
/// A <see cref="DaemonFibre"/> as JSON (<c>&lt;fibre&gt;.daemon.json</c>, written by <c>sigil emit</c>):
/// what a host needs to run the daemon without the compiler. Reading is strict: unknown
/// properties and missing required ones are errors with a line and column.
/// </summary>
public static class DaemonFibreJson
{
    // Statements hold '<', '>' and '&'; the file is not HTML, so they are written as they are.
    private static readonly JsonSerializerOptions s_writeOptions = new(DaemonFibreJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text of <paramref name="fibre"/> (indented, deterministic).</summary>
    public static string Write(DaemonFibre fibre) =>
        JsonSerializer.Serialize(fibre, s_writeOptions.GetTypeInfo(typeof(DaemonFibre))) + "\n";

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
            if (fibre is null || fibre.Rows is null || fibre.Rules is null || fibre.Sensor is null || fibre.Metrics is null || fibre.PriceMaps is null || fibre.Name is null)
            {
                problem = $"{path}: error: the descriptor is incomplete";
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
internal sealed partial class DaemonFibreJsonContext : JsonSerializerContext
{
}
