using System;
using System.Collections.Generic;
using System.IO;
using HandlebarsDotNet;

namespace Sigil.Language.Emit.Kubernetes;

/// <summary>
/// The Kubernetes templates (<c>templates/k8s/*.yaml.hbs</c>, embedded in this assembly), compiled
/// once. HTML escaping is off: every value a template places is already a YAML scalar made by
/// <see cref="YamlText"/>.
/// </summary>
internal static class KubernetesTemplates
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, HandlebarsTemplate<object, object>> s_compiled = new(StringComparer.Ordinal);
    private static readonly IHandlebars s_handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });

    /// <summary>Renders template <paramref name="name"/> (e.g. <c>daemonset.yaml</c>) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model)
    {
        HandlebarsTemplate<object, object> template;
        lock (s_lock)
        {
            if (!s_compiled.TryGetValue(name, out template!))
            {
                template = s_handlebars.Compile(Load(name));
                s_compiled[name] = template;
            }
        }

        var text = template(model).Replace("\r\n", "\n");
        return text.EndsWith("\n", StringComparison.Ordinal) ? text : text + "\n";
    }

    private static string Load(string name)
    {
        var resource = "templates/k8s/" + name + ".hbs";
        using var stream = typeof(KubernetesTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the template {resource} is not embedded in Sigil.Language");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
