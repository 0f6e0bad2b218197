using System;
using System.IO;
using HandlebarsDotNet;

namespace Sigil.Language.Emit.Llvm;

/// <summary>
/// The LLVM backend's Handlebars templates (templates/llvm/*.hbs, embedded in this assembly),
/// compiled once. HTML escaping is off: the model carries text already escaped for C and C++.
/// </summary>
internal static class LlvmTemplates
{
    private static readonly Lazy<HandlebarsTemplate<object, object>> s_plugin = new(() => Compile("plugin.cpp.hbs"));
    private static readonly Lazy<HandlebarsTemplate<object, object>> s_hookHeader = new(() => Compile("hook.h.hbs"));
    private static readonly Lazy<HandlebarsTemplate<object, object>> s_hookSource = new(() => Compile("hook.c.hbs"));

    /// <summary>The pass plugin's C++ source.</summary>
    public static string Plugin(LlvmFibreModel model) => Render(s_plugin.Value, model);

    /// <summary>The hook's C header.</summary>
    public static string HookHeader(LlvmFibreModel model) => Render(s_hookHeader.Value, model);

    /// <summary>The hook's C source.</summary>
    public static string HookSource(LlvmFibreModel model) => Render(s_hookSource.Value, model);

    private static string Render(HandlebarsTemplate<object, object> template, LlvmFibreModel model)
    {
        var text = template(model, new object()).Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n";
    }

    private static HandlebarsTemplate<object, object> Compile(string name)
    {
        var resource = "templates/llvm/" + name;
        using var stream = typeof(LlvmTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The template '{resource}' is not embedded in Sigil.Language.");
        using var reader = new StreamReader(stream);
        var handlebars = Handlebars.Create(new HandlebarsConfiguration
        {
            NoEscape = true,
            ThrowOnUnresolvedBindingExpression = true,
        });
        return handlebars.Compile(reader.ReadToEnd());
    }
}
