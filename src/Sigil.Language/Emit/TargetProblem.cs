using System.Collections.Generic;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;

namespace Sigil.Language.Emit;

/// <summary>
/// A limit of a backend that a fibre exceeds: the diagnostic to report (a SIG3xxx target limit),
/// its message arguments and the statement it concerns. Backends find these in their <c>Check</c>;
/// the compiler reports them at the statement's span (Analysis/TargetLimitAnalyzer), so that what
/// <c>sigil check</c> accepts, every emitter can emit.
/// </summary>
/// <param name="Descriptor">The diagnostic.</param>
/// <param name="Site">The statement it is reported at.</param>
/// <param name="Arguments">The message's arguments, in the descriptor's order.</param>
public sealed record TargetProblem(DiagnosticDescriptor Descriptor, SpecSite Site, EquatableArray<string> Arguments)
{
    /// <summary>The formatted message.</summary>
    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat, System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Cast<object>(Arguments)));

    /// <inheritdoc/>
    public override string ToString() => Descriptor.Id + ": " + Message;
}

/// <summary>The problems one backend's check collects, in the order found.</summary>
public sealed class TargetProblems
{
    private readonly List<TargetProblem> _items = new();

    /// <summary>The number of problems.</summary>
    public int Count => _items.Count;

    /// <summary>The problems, in the order found.</summary>
    public IReadOnlyList<TargetProblem> Items => _items;

    /// <summary>Adds a problem with <paramref name="descriptor"/> at <paramref name="site"/>.</summary>
    public void Add(SpecSite site, DiagnosticDescriptor descriptor, params string[] arguments) =>
        _items.Add(new TargetProblem(descriptor, site, arguments.ToEquatableArray()));
}
