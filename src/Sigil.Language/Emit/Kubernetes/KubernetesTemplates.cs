using System;
using Sigil.Language.Emit.Templates;

namespace Sigil.Language.Emit.Kubernetes;

/// <summary>
/// The Kubernetes templates (<c>templates/k8s/*.yaml.scriban</c>), rendered by the shared
/// <see cref="TemplateSet"/>. Every value a template places is already a YAML scalar made by
/// <see cref="YamlText"/>.
/// </summary>
internal static class KubernetesTemplates
{
    /// <summary>Renders template <paramref name="name"/> (e.g. <c>daemonset.yaml</c>) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model)
    {
        var text = TemplateSet.Embedded("k8s").Render(name, model);
        return text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n";
    }
}
