using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Sigil.Language.Analysis;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

/// <summary>
/// Binds a fibre's syntax: declares symbols, checks names, units and shapes, and builds each
/// statement in its spec form. Order inside the file does not matter except for parameters (a
/// parameter reads the ones above it): tables bind first, then index sets, parameters, variables
/// and resources, then every statement. A broken declaration still declares its name, as an error
/// symbol, so its uses report nothing more.
/// </summary>
internal sealed partial class Binder
{
    private readonly SyntaxTree _tree;
    private readonly DiagnosticBag _diagnostics;
    private readonly Func<string, string?> _readTable;
    private readonly TracepointCatalog _tracepoints;
    private readonly CancellationToken _cancellationToken;

    // Plain names: index sets, parameters, tables and columns share one namespace.
    private readonly Dictionary<string, Symbol> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, VariableSymbol> _variables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResourceSymbol> _resources = new(StringComparer.Ordinal);

    // Row family names: resources and labels.
    private readonly Dictionary<string, TextSpan> _rowNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TextSpan> _mapNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TextSpan> _metricNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _brokenVariables = new(StringComparer.Ordinal);
    private BoundFibre _fibre = null!;

    private Binder(SyntaxTree tree, DiagnosticBag diagnostics, Func<string, string?> readTable, TracepointCatalog tracepoints, CancellationToken cancellationToken)
    {
        _tree = tree;
        _diagnostics = diagnostics;
        _readTable = readTable;
        _tracepoints = tracepoints;
        _cancellationToken = cancellationToken;
    }

    public static BoundFibre? Bind(SyntaxTree tree, DiagnosticBag diagnostics, Func<string, string?> readTable, TracepointCatalog tracepoints, CancellationToken cancellationToken)
    {
        var syntax = tree.Root.Fibre;
        if (syntax is null)
        {
            return null;
        }

        var binder = new Binder(tree, diagnostics, readTable, tracepoints, cancellationToken);
        return binder.BindFibre(syntax);
    }

    private BoundFibre BindFibre(FibreDeclarationSyntax syntax)
    {
        CheckName(syntax.Identifier);
        _fibre = new BoundFibre(syntax.Identifier.Text, syntax.Identifier.Span);
        var members = syntax.Members;

        foreach (var member in members)
        {
            switch (member)
            {
                case TableDeclarationSyntax table:
                    BindTable(table);
                    break;
                case MatrixTableDeclarationSyntax matrix:
                    DeclareMatrix(matrix);
                    break;
            }
        }

        foreach (var member in members)
        {
            switch (member)
            {
                case DynamicIndexDeclarationSyntax or TableIndexDeclarationSyntax or RangeIndexDeclarationSyntax:
                    BindIndex(member);
                    break;
            }
        }

        // A two-dimensional table reads its index sets' members, so it binds after them.
        foreach (var (matrix, table) in _matrices)
        {
            BindMatrix(matrix, table);
        }

        foreach (var parameter in members.OfType<ParameterDeclarationSyntax>())
        {
            BindParameter(parameter);
        }

        foreach (var variable in members.OfType<VariableDeclarationSyntax>())
        {
            BindVariable(variable);
        }

        foreach (var resource in members.OfType<ResourceDeclarationSyntax>())
        {
            BindResource(resource);
        }

        _cancellationToken.ThrowIfCancellationRequested();
        foreach (var member in members)
        {
            if (member.ContainsErrors)
            {
                continue;
            }

            switch (member)
            {
                case PriceDeclarationSyntax price:
                    BindPrice(price);
                    break;
                case CoupleDeclarationSyntax couple:
                    BindCouple(couple);
                    break;
                case UtilityDeclarationSyntax utility:
                    BindUtility(utility);
                    break;
                case SolveDeclarationSyntax solve:
                    BindSolve(solve);
                    break;
            }
        }

        // Statements that read the solver or the prices come after them.
        foreach (var member in members)
        {
            if (member.ContainsErrors)
            {
                continue;
            }

            switch (member)
            {
                case CertifyDeclarationSyntax certify:
                    BindCertify(certify);
                    break;
                case SenseDeclarationSyntax sense:
                    BindSense(sense);
                    break;
                case ActDeclarationSyntax act:
                    BindAct(act);
                    break;
                case MetricDeclarationSyntax metric:
                    BindMetric(metric);
                    break;
                case InstrumentDeclarationSyntax instrument:
                    BindInstrument(instrument);
                    break;
                case ClassDeclarationSyntax processClass:
                    BindClass(processClass);
                    break;
                case AllowDeclarationSyntax allow:
                    BindAllow(allow);
                    break;
            }
        }

        CheckProcessLists(members);

        _cancellationToken.ThrowIfCancellationRequested();
        if (!_diagnostics.HasErrors)
        {
            CheckCompleteness(syntax);
        }

        return _fibre;
    }

    // Whole-fibre rules, checked only when everything present is well-formed: a broken statement
    // would otherwise show up a second time as something missing.
    private void CheckCompleteness(FibreDeclarationSyntax syntax)
    {
        if (_fibre.Solve is null && !syntax.Members.OfType<SolveDeclarationSyntax>().Any())
        {
            _diagnostics.ReportSolveMissing(syntax.Identifier.Span, syntax.Identifier.Text);
        }

        if (_fibre.Rows.Count == 0 && !syntax.Members.OfType<CoupleDeclarationSyntax>().Any())
        {
            _diagnostics.ReportNoRows(syntax.Identifier.Span, syntax.Identifier.Text);
        }

        var withUtility = new HashSet<string>(_fibre.Utilities.Select(static u => u.Value.Variable), StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in _fibre.Rows)
        {
            foreach (var term in row.Value.Terms)
            {
                if (!withUtility.Contains(term.Variable) && !_brokenVariables.Contains(term.Variable) && reported.Add(term.Variable))
                {
                    _diagnostics.ReportVariableWithoutUtility(row.Span, term.Variable, row.Value.Name);
                }
            }
        }

        foreach (var resource in _fibre.Resources)
        {
            if (!resource.IsError && !_fibre.Rows.Any(r => r.Value.Resource == resource.Name))
            {
                _diagnostics.ReportResourceWithoutRow(resource.Span, resource.Name);
            }
        }

        if (_fibre.Solve is { Online: true } solve)
        {
            var sensed = new HashSet<string>(_fibre.Sensors.Select(static s => s.Value.Variable), StringComparer.Ordinal);
            if (!_fibre.Rows.Any(r => r.Value.Terms.Any(t => sensed.Contains(t.Variable))))
            {
                _diagnostics.ReportOnlineRequirement(solve.Span, "needs a sensed variable ('sense $v[t] <- ...;') that loads a row");
            }
        }
    }

    private string Statement(SyntaxNode node) => _tree.GetStatementText(node.Span);

    /// <summary>Reports SIG1001 when <paramref name="token"/> is not a valid name; true when it is.</summary>
    private bool CheckName(SyntaxToken token)
    {
        if (token.IsMissing)
        {
            return false;
        }

        var reason = IdentifierRules.Check(token.Text);
        if (reason is null)
        {
            return true;
        }

        _diagnostics.ReportInvalidName(token.Span, token.Text, reason);
        return false;
    }

    /// <summary>Declares a plain name; reports SIG1002 for a second declaration.</summary>
    private bool Declare(Symbol symbol)
    {
        if (_names.TryGetValue(symbol.Name, out var existing))
        {
            _diagnostics.ReportDuplicateName(symbol.Span, symbol.Name, existing.KindText);
            return false;
        }

        _names.Add(symbol.Name, symbol);
        return true;
    }

    private static string Format(double value) => DiagnosticBag.Format(value);

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The closest word within edit distance 2 (or a third of the word), for "did you mean".</summary>
    internal static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    private static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Suggest(word, candidates) is { } s ? "; did you mean '" + s + "'?" : string.Empty;

    private static int EditDistance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue / 2;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string OneOf(params string[] words) =>
        words.Length == 1 ? "'" + words[0] + "'" : string.Join(", ", words.Take(words.Length - 1).Select(static w => "'" + w + "'")) + " or '" + words[words.Length - 1] + "'";
}
