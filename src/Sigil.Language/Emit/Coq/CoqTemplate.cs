using System;
using System.IO;
using System.Reflection;
using HandlebarsDotNet;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// The Handlebars template of a fibre's Coq file, read once from the assembly's resources
/// (<c>templates/coq/fibre.v.hbs</c>). HTML escaping is off: every value is escaped for Coq in
/// code before it reaches the template.
/// </summary>
internal static class CoqTemplate
{
    private const string ResourceName = "templates/coq/fibre.v.hbs";

    private static readonly Lazy<HandlebarsTemplate<object, object>> s_fibre = new(Compile);

    public static string Render(object model) => s_fibre.Value(model);

    private static HandlebarsTemplate<object, object> Compile()
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        return handlebars.Compile(ReadResource());
    }

    private static string ReadResource()
    {
        var assembly = typeof(CoqTemplate).GetTypeInfo().Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the template {ResourceName} is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
