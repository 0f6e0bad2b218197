using System;
using System.Text;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// The names the LLVM backend gives a fibre's artefacts, symbols and run-time paths. One place,
/// so that the emitter, the build step, the tests and the daemon agree. Every method takes a
/// validated fibre name (a C identifier) and throws <see cref="ArgumentException"/> otherwise.
/// </summary>
public static class LlvmNames
{
    /// <summary>The artefact target of this backend.</summary>
    public const string Target = "llvm";

    /// <summary>The LLVM major version the plugin is written for.</summary>
    public const int LlvmMajor = 14;

    /// <summary>The folder of the shared price pages (<see cref="Sigil.Descriptors.Hooks.PricePages.Folder"/>).</summary>
    public const string PricePageFolder = Sigil.Descriptors.Hooks.PricePages.Folder;

    /// <summary>
    /// The ELF section in which the pass leaves, in every object it compiles, a record of the
    /// module's sites (non-allocated: the linker concatenates it over a program's objects and it
    /// is never loaded); <c>sigil sites &lt;program&gt;</c> reads it back as one summary line.
    /// </summary>
    public const string SummarySection = ".sigil.sites";

    /// <summary>The folder under which fibres pin their BPF maps.</summary>
    public const string PinFolder = "/sys/fs/bpf/sigil";

    /// <summary>The plugin's name, PascalCase: <c>dwell</c> is <c>SigilDwell</c>, <c>my_fibre</c> is <c>SigilMyFibre</c>.</summary>
    public static string PluginName(string fibre)
    {
        Identifier.Require(fibre, nameof(fibre));
        var name = new StringBuilder("Sigil");
        foreach (var part in fibre.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries))
        {
            name.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }

        return name.ToString();
    }

    /// <summary>The pass name for <c>opt -passes=</c>: <c>sigil-dwell</c> (underscores become dashes).</summary>
    public static string PassName(string fibre) => "sigil-" + Identifier.Required(fibre, nameof(fibre)).Replace('_', '-');

    /// <summary>The prefix of every C symbol of the hook: <c>sigil_dwell_</c>.</summary>
    public static string SymbolPrefix(string fibre) => "sigil_" + Identifier.Required(fibre, nameof(fibre)) + "_";

    /// <summary>The hook's slow path, called by instrumented code: <c>sigil_dwell_update</c>.</summary>
    public static string HookSymbol(string fibre) => SymbolPrefix(fibre) + "update";

    /// <summary>The process-local price instrumented code reads inline: <c>sigil_dwell_price</c>.</summary>
    public static string PriceSymbol(string fibre) => SymbolPrefix(fibre) + "price";

    /// <summary>The prefix of the hook's macros and environment variables: <c>SIGIL_DWELL</c>.</summary>
    public static string MacroPrefix(string fibre) => "SIGIL_" + Identifier.Required(fibre, nameof(fibre)).ToUpperInvariant();

    /// <summary>The plugin's source, relative to the fibre's artefact folder: <c>llvm/SigilDwell.cpp</c>.</summary>
    public static string PluginSourcePath(string fibre) => Target + "/" + PluginName(fibre) + ".cpp";

    /// <summary>The hook's header: <c>llvm/sigil_dwell_hook.h</c>.</summary>
    public static string HookHeaderPath(string fibre) => Target + "/" + HookStem(fibre) + ".h";

    /// <summary>The hook's source: <c>llvm/sigil_dwell_hook.c</c>.</summary>
    public static string HookSourcePath(string fibre) => Target + "/" + HookStem(fibre) + ".c";

    /// <summary>The plugin the build step produces beside its source: <c>SigilDwell.so</c>.</summary>
    public static string PluginLibraryFileName(string fibre) => PluginName(fibre) + ".so";

    /// <summary>The hook's static library: <c>libsigil_dwell_hook.a</c>.</summary>
    public static string HookArchiveFileName(string fibre) => "lib" + HookStem(fibre) + ".a";

    /// <summary>The hook's shared library: <c>libsigil_dwell_hook.so</c>.</summary>
    public static string HookSharedLibraryFileName(string fibre) => "lib" + HookStem(fibre) + ".so";

    /// <summary>The pinned price map: <c>/sys/fs/bpf/sigil/dwell/price_dwell</c>.</summary>
    public static string PriceMapPath(string fibre, string mapName) =>
        PinFolder + "/" + Identifier.Required(fibre, nameof(fibre)) + "/" + Identifier.Required(mapName, nameof(mapName));

    /// <summary>The shared price page: <c>/run/sigil/dwell.prices</c>.</summary>
    public static string PricePagePath(string fibre) => PricePageFolder + "/" + Identifier.Required(fibre, nameof(fibre)) + PricePageExtension;

    /// <summary>The extension of a price page's file name.</summary>
    public const string PricePageExtension = Sigil.Descriptors.Hooks.PricePages.Extension;

    private static string HookStem(string fibre) => SymbolPrefix(fibre) + "hook";
}
