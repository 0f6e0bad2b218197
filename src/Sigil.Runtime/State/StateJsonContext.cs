using System.Text.Json.Serialization;

namespace Sigil.Runtime.State;

/// <summary>System.Text.Json source-generated metadata for the checkpoint payload (no reflection at run time).</summary>
[JsonSourceGenerationOptions(
    AllowDuplicateProperties = false,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DaemonState))]
internal sealed partial class StateJsonContext : JsonSerializerContext
{
}
