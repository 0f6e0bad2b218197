using System;
using Sigil.Language.Emit.Templates;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// The LLVM backend's templates (<c>templates/llvm/*.scriban</c>), rendered by the shared
/// <see cref="TemplateSet"/>. The model carries text already escaped for C and C++.
/// </summary>
internal static class LlvmTemplates
{
    /// <summary>The pass plugin's C++ source.</summary>
    public static string Plugin(LlvmFibreModel model) => Render("plugin.cpp", model);

    /// <summary>The hook's C header.</summary>
    public static string HookHeader(LlvmFibreModel model) => Render("hook.h", model);

    /// <summary>The hook's C source.</summary>
    public static string HookSource(LlvmFibreModel model) => Render("hook.c", model);

    private static string Render(string name, LlvmFibreModel model)
    {
        var text = TemplateSet.Embedded("llvm").Render(name, model);
        return text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n";
    }
}
