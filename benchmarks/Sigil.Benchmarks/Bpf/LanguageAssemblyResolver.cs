using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Sigil.Benchmarks.Bpf;

/// <summary>
/// Sigil.Language.dll is copied to the benchmark's output but missing from its deps.json (the
/// generator's project reference marks it private), so the host would not load it. The bpf suite
/// compiles fibres with it: load it from the output folder when the host cannot resolve it.
/// </summary>
internal static class LanguageAssemblyResolver
{
    [ModuleInitializer]
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "Sigil.Language")
        {
            return null;
        }

        var path = Path.Combine(AppContext.BaseDirectory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
