using Sigil.Language.Emit.Bpf;
using Sigil.Language.Model;

namespace Sigil.Daemon.Tests.Infrastructure;

/// <summary>
/// The eBPF object of a fibre that is not shipped, built the way the build builds one: the
/// emitter's C is written to a folder and eng/bpf.targets compiles it (the same target and clang
/// command line as src/Sigil.Fibres; Sigil.Bpf.Tests' BpfObjects runs it the same way).
/// </summary>
internal static class EmittedBpf
{
    /// <summary>Writes and compiles <paramref name="spec"/>'s eBPF C under <paramref name="folder"/>; returns the object's path.</summary>
    public static string Build(FibreSpec spec, string folder)
    {
        string? source = null;
        foreach (var artefact in BpfEmitter.Emit(spec))
        {
            var path = Path.Combine(folder, artefact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, artefact.Content);
            if (path.EndsWith(".bpf.c", StringComparison.Ordinal))
            {
                source = path;
            }
        }

        Assert.True(source is not null, $"fibre '{spec.Name}' has no eBPF program");
        var root = Path.GetDirectoryName(ShippedFibres.Folder)!;
        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [
            "msbuild", Path.Combine(root, "eng", "bpf.targets"), "-nologo", "-v:m", "-t:SigilBpfCompile",
            $"-p:SigilBpfSourceFiles=\"{source}\"", $"-p:SigilBpfIntermediateDir={Path.Combine(folder, "obj")}/"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var objectPath = Path.ChangeExtension(source, ".o");
        Assert.True(process.ExitCode == 0 && File.Exists(objectPath), $"eng/bpf.targets failed ({process.ExitCode}):\n{output.Result}\n{error}");
        return objectPath;
    }
}
