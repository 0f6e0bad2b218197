namespace Sigil.Language.Diagnostics;

/// <summary>
/// One diagnostic rule: its id, wording and severity. The catalogue lives in
/// <see cref="DiagnosticDescriptors"/>; the generator turns a descriptor into a Roslyn descriptor.
/// </summary>
/// <param name="Id">The code, <c>SIGnnnn</c>.</param>
/// <param name="Title">A short title.</param>
/// <param name="MessageFormat">A composite format string; arguments are strings.</param>
/// <param name="Category">The stage that reports it: Syntax, Names, Units, Math, Certificates, Target or Internal.</param>
/// <param name="Severity">The default severity.</param>
public sealed record DiagnosticDescriptor(
    string Id,
    string Title,
    string MessageFormat,
    string Category,
    DiagnosticSeverity Severity)
{
    /// <summary>The help, inline: the code's section of <c>docs/diagnostics.md</c> (see <see cref="DiagnosticHelp"/>).</summary>
    public string Help => DiagnosticHelp.Body(Id) ?? Title + ".";
}
