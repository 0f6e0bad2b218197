using Sigil.Language.Emit.Templates;

namespace Sigil.Language.Emit.Coq;

/// <summary>
/// The template of a fibre's Coq file (<c>templates/coq/fibre.v.scriban</c>), rendered by the
/// shared <see cref="TemplateSet"/>. Every value is escaped for Coq in code before it reaches the
/// template.
/// </summary>
internal static class CoqTemplate
{
    public static string Render(object model) => TemplateSet.Embedded("coq").Render("fibre.v", model);
}
