using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Analysis;
using Sigil.Language.Binding;
using Sigil.Language.Syntax;

namespace Sigil.Language.Authoring;

/// <summary>
/// The words of sigil for editors: keywords (the lexer's), and the words the binder gives meaning
/// to (units, solver methods and settings, certificates, sensors, actuators...). Every list is read
/// from where the compiler keeps it, so a word the compiler learns reaches completion and the
/// editor grammar's check at once.
/// </summary>
public static class SigilVocabulary
{
    /// <summary>The keywords, sorted.</summary>
    public static IReadOnlyList<string> Keywords { get; } = SyntaxFacts.Keywords.Keys.OrderBy(static k => k, System.StringComparer.Ordinal).ToArray();

    /// <summary>The unit names with a known meaning (every alias); any other identifier is a unit of its own.</summary>
    public static IReadOnlyList<string> Units { get; } = Binding.Units.KnownNames.ToArray();

    /// <summary>
    /// The concave utility families (docs/language.md, "Utilities"): the functions <c>log</c>,
    /// <c>sqrt</c> and <c>fair</c>; quadratic and linear utilities are written as polynomials.
    /// A test compiles a utility with each function.
    /// </summary>
    public static IReadOnlyList<string> UtilityFunctions { get; } = new[] { "log", "sqrt", "fair" };

    /// <summary>The solver methods of <c>solve</c>.</summary>
    public static IReadOnlyList<string> SolverMethods { get; } = Binder.SolverSettings.Keys.ToArray();

    /// <summary>The settings <paramref name="method"/> accepts (empty for an unknown method).</summary>
    public static IReadOnlyList<string> SolverSettingsOf(string method) =>
        Binder.SolverSettings.TryGetValue(method, out var settings) ? settings : System.Array.Empty<string>();

    /// <summary>Every solver setting of any method, sorted.</summary>
    public static IReadOnlyList<string> SolverSettings { get; } =
        Binder.SolverSettings.Values.SelectMany(static s => s).Distinct().OrderBy(static s => s, System.StringComparer.Ordinal).ToArray();

    /// <summary>The certificates of <c>certify</c>.</summary>
    public static IReadOnlyList<string> Certificates => Binder.CertificateNames;

    /// <summary>The sensor functions of <c>sense</c>.</summary>
    public static IReadOnlyList<string> Sensors => Binder.SensorNames;

    /// <summary>The keys of a sensor (<c>key (pid, fd)</c>).</summary>
    public static IReadOnlyList<string> SensorKeys => Binder.SensorKeyNames;

    /// <summary>The kernel keys of a dynamic index (<c>index task by pid</c>).</summary>
    public static IReadOnlyList<string> KernelKeys => Binder.KernelKeyNames;

    /// <summary>The actuators of <c>act</c>.</summary>
    public static IReadOnlyList<string> Actuators => Binder.ActuatorNames;

    /// <summary>The aggregates of <c>metric</c>.</summary>
    public static IReadOnlyList<string> Aggregates => Binder.AggregateNames;

    /// <summary>The hook kinds of <c>instrument</c>.</summary>
    public static IReadOnlyList<string> Instruments => Binder.InstrumentNames;

    /// <summary>The arguments an instrumented hook may pass (<c>pass (site, fd)</c>).</summary>
    public static IReadOnlyList<string> HookArguments => Binder.HookArgumentNames;

    /// <summary>The responses of <c>instrument ... respond</c>.</summary>
    public static IReadOnlyList<string> Responses => Binder.ResponseNames;

    /// <summary>The tracepoints of <paramref name="catalog"/> (default: the embedded one), as <c>category:event</c>, sorted.</summary>
    public static IReadOnlyList<string> Tracepoints(TracepointCatalog? catalog = null) => (catalog ?? TracepointCatalog.Embedded).All;
}
