using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Sigil.Language.Emit.Templates;

namespace Sigil.Language.Emit.Bpf;

/// <summary>
/// The templates of <c>templates/bpf</c> (<c>*.scriban</c>), rendered by the shared
/// <see cref="TemplateSet"/>. Every value in the view model is already C text, escaped in code by
/// <see cref="BpfNames"/>.
/// </summary>
internal static class BpfTemplates
{
    /// <summary>The fibre's eBPF C source.</summary>
    public const string Source = "fibre.bpf.c";

    /// <summary>The fibre's C header with the layouts user space shares.</summary>
    public const string Header = "fibre.h";

    /// <summary>The empty programs on the fibre's tracepoints.</summary>
    public const string Baseline = "baseline.bpf.c";

    /// <summary>The behaviour program's eBPF C source.</summary>
    public const string Behaviour = "behaviour.bpf.c";

    private static TemplateSet Set => TemplateSet.Embedded("bpf");

    /// <summary>Renders template <paramref name="name"/> (one of the constants above) with <paramref name="model"/>.</summary>
    public static string Render(string name, object model) => Set.Render(name, model);

    private static readonly Lazy<string[]> s_fileScope = new(ReadFileScopeNames);

    /// <summary>
    /// The file-scope names the fibre's C source defines itself (functions, programs, LICENSE), read
    /// from the templates, with <c>{{ sensor.Variable }}</c> replaced by each sensed variable: a map,
    /// which is a file-scope variable too, may not take one of them.
    /// </summary>
    public static IEnumerable<string> FileScopeNames(IEnumerable<string> sensedVariables)
    {
        var variables = sensedVariables.ToList();
        foreach (var name in s_fileScope.Value)
        {
            if (s_variableSlot.IsMatch(name))
            {
                foreach (var variable in variables)
                {
                    yield return s_variableSlot.Replace(name, variable);
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    // A loop's sensed variable in a template: "{{ sensor.Variable }}", "{{ spanSensor.Variable }}".
    private const string VariableSlot = @"\{\{ [A-Za-z]+\.Variable \}\}";

    private static readonly Regex s_variableSlot = new(VariableSlot, RegexOptions.CultureInvariant);

    // A definition at column 0: "static __always_inline int price_act(", "int handle_{{ sensor.Variable }}_close(", "char LICENSE[]".
    private static readonly Regex s_definition = new(@"^(?!SEC\(|#|\{|\}|/)[A-Za-z_][^=;(]*?\b((?:[A-Za-z0-9_]|" + VariableSlot + @")+)\s*[\(\[]", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static string[] ReadFileScopeNames() =>
        new[] { Source, "sensor_span", "sensor_oncpu", "sensor_count" }
            .SelectMany(file => s_definition.Matches(Set.Text(file)).Cast<Match>().Select(static m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
}
