using System;
using System.Linq;
using System.Reflection;

namespace Sigil.Tests.Shared;

/// <summary>
/// The sigil command as the build made it: its assembly in its own output folder, beside its own
/// dependencies and runtime configuration, run as <c>dotnet sigil.dll</c>. The path is the resolved
/// project reference, recorded in the test assembly at build (tests/Directory.Build.targets).
/// </summary>
public static class SigilCommand
{
    public static string Dll { get; } =
        typeof(SigilCommand).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "SigilCommand")?.Value
        ?? throw new InvalidOperationException("the test assembly does not record the sigil command's path (tests/Directory.Build.targets)");
}
