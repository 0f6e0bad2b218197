using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using HandlebarsDotNet;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The compiled templates of <c>templates/bpf</c>, embedded in the assembly (a generator may not
/// read files). HTML escaping is off: every value in the view model is already C text, escaped
/// in code by <see cref="BpfNames"/>.
/// </summary>
internal static class BpfTemplates
{
    private static readonly Lazy<Compiled> s_compiled = new(Compile);

    public static HandlebarsTemplate<object, object> Source => s_compiled.Value.Source;

    public static HandlebarsTemplate<object, object> Header => s_compiled.Value.Header;

    public static HandlebarsTemplate<object, object> Baseline => s_compiled.Value.Baseline;

    private static readonly Lazy<string[]> s_fileScope = new(ReadFileScopeNames);

    /// <summary>
    /// The file-scope names the fibre's C source defines itself (functions, programs, LICENSE), read
    /// from the templates, with <c>{{Variable}}</c> replaced by each sensed variable: a map, which
    /// is a file-scope variable too, may not take one of them.
    /// </summary>
    public static IEnumerable<string> FileScopeNames(IEnumerable<string> sensedVariables)
    {
        var variables = sensedVariables.ToList();
        foreach (var name in s_fileScope.Value)
        {
            if (name.Contains(VariableSlot))
            {
                foreach (var variable in variables)
                {
                    yield return name.Replace(VariableSlot, variable);
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    private const string VariableSlot = "{{Variable}}";

    // A definition at column 0: "static __always_inline int price_act(", "int handle_{{Variable}}_close(", "char LICENSE[]".
    private static readonly Regex s_definition = new(@"^(?!SEC\(|#|\{|\}|/)[A-Za-z_][^=;(]*?\b((?:[A-Za-z0-9_]|\{\{Variable\}\})+)\s*[\(\[]", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static string[] ReadFileScopeNames() =>
        new[] { "fibre.bpf.c.hbs", "sensor_span.hbs", "sensor_oncpu.hbs", "sensor_count.hbs" }
            .SelectMany(file => s_definition.Matches(Read(file)).Cast<Match>().Select(static m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    public static HandlebarsTemplate<object, object> Behaviour => s_compiled.Value.Behaviour;

    private static Compiled Compile()
    {
        var handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = true });
        foreach (var partial in new[] { "sensor_span", "sensor_oncpu", "sensor_count" })
        {
            handlebars.RegisterTemplate(partial, Read(partial + ".hbs"));
        }

        return new Compiled(
            handlebars.Compile(Read("fibre.bpf.c.hbs")),
            handlebars.Compile(Read("fibre.h.hbs")),
            handlebars.Compile(Read("baseline.bpf.c.hbs")),
            handlebars.Compile(Read("behaviour.bpf.c.hbs")));
    }

    private static string Read(string name)
    {
        var resource = "templates/bpf/" + name;
        using var stream = typeof(BpfTemplates).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the template {resource} is not embedded in {typeof(BpfTemplates).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    private sealed class Compiled
    {
        public Compiled(HandlebarsTemplate<object, object> source, HandlebarsTemplate<object, object> header, HandlebarsTemplate<object, object> baseline, HandlebarsTemplate<object, object> behaviour)
        {
            Source = source;
            Header = header;
            Baseline = baseline;
            Behaviour = behaviour;
        }

        public HandlebarsTemplate<object, object> Source { get; }

        public HandlebarsTemplate<object, object> Header { get; }

        public HandlebarsTemplate<object, object> Baseline { get; }

        public HandlebarsTemplate<object, object> Behaviour { get; }
    }
}
