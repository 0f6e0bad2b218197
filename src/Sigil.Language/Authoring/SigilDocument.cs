using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using Sigil.Language.Analysis;
using Sigil.Language.Binding;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Authoring;

/// <summary>
/// One fibre as an editor sees it: the compiler's result (diagnostics, spec) and, from the same
/// run of the compiler, the declared names, every occurrence of them, completion and formatting.
/// Built from any text; never throws for bad input (the compiler's contract).
/// </summary>
public sealed partial class SigilDocument
{
    private readonly SyntaxTree? _tree;
    private readonly BoundFibre? _bound;
    private readonly ImmutableArray<NameOccurrence> _occurrences;
    private ImmutableArray<SyntaxToken> _tokens;

    private SigilDocument(SourceFile source, CompilationResult result, SyntaxTree? tree, BoundFibre? bound, TracepointCatalog tracepoints)
    {
        Source = source;
        Result = result;
        _tree = tree;
        _bound = bound;
        Tracepoints = tracepoints;
        Text = SourceText.From(source.Text);
        var symbols = new List<NameSymbol>();
        var occurrences = new List<NameOccurrence>();
        if (tree?.Root.Fibre is { } fibre)
        {
            CollectNames(fibre, bound, symbols, occurrences);
        }

        Symbols = symbols;
        _occurrences = occurrences.OrderBy(static o => o.Span.Start).ToImmutableArray();
    }

    /// <summary>The file compiled.</summary>
    public SourceFile Source { get; }

    /// <summary>The compiler's result: every diagnostic, and the spec when there were no errors.</summary>
    public CompilationResult Result { get; }

    /// <summary>Every declared name, in source order (the fibre first).</summary>
    public IReadOnlyList<NameSymbol> Symbols { get; }

    /// <summary>Every occurrence of a declared name, declarations included, in source order.</summary>
    public IReadOnlyList<NameOccurrence> Occurrences => _occurrences;

    internal SourceText Text { get; }

    /// <summary>Every token of the text, trivia included: the parse's own when it lexed the whole file, else lexed once here.</summary>
    internal ImmutableArray<SyntaxToken> Tokens
    {
        get
        {
            if (_tokens.IsDefault)
            {
                _tokens = _tree is { Tokens.IsDefaultOrEmpty: false } tree ? tree.Tokens : SyntaxTree.ParseTokens(Source.Text);
            }

            return _tokens;
        }
    }

    internal TracepointCatalog Tracepoints { get; }

    /// <summary>Compiles <paramref name="source"/> and collects what an editor needs from it.</summary>
    /// <param name="source">The file.</param>
    /// <param name="readTable">Reads a table file named relative to the fibre; null reads none.</param>
    /// <param name="options">Compilation options (the tracepoint catalogue); null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the compilation.</param>
    public static SigilDocument Analyze(SourceFile source, Func<string, string?>? readTable = null, CompilationOptions? options = null, CancellationToken cancellationToken = default)
    {
        source ??= new SourceFile(string.Empty, string.Empty);
        options ??= CompilationOptions.Default;
        var result = SigilCompiler.CompileCore(source, readTable ?? (static _ => null), options, cancellationToken, out var tree, out var bound);
        return new SigilDocument(source, result, tree, bound, options.Tracepoints ?? TracepointCatalog.Embedded);
    }

    /// <summary>The zero-based line and character of <paramref name="position"/>.</summary>
    public LinePosition GetLinePosition(int position) => Text.GetLinePosition(Math.Max(0, Math.Min(position, Text.Length)));

    /// <summary>The character offset of a zero-based line and character, clamped to the text.</summary>
    public int GetPosition(LinePosition position)
    {
        if (position.Line < 0)
        {
            return 0;
        }

        if (position.Line >= Text.LineCount)
        {
            return Text.Length;
        }

        var start = Text.GetLineStart(position.Line);
        var end = position.Line + 1 < Text.LineCount ? Text.GetLineStart(position.Line + 1) : Text.Length;
        return Math.Min(start + Math.Max(0, position.Character), end);
    }

    /// <summary>The occurrence of a name at <paramref name="position"/> (on its sigil, inside it or just after it), or null.</summary>
    public NameOccurrence? OccurrenceAt(int position)
    {
        NameOccurrence? best = null;
        foreach (var occurrence in _occurrences)
        {
            if (occurrence.Span.Start > position + 1)
            {
                break;
            }

            var start = occurrence.Symbol.Role is NameRole.Variable or NameRole.Resource or NameRole.Price && !occurrence.IsDeclaration
                ? occurrence.Span.Start - 1
                : occurrence.Span.Start;
            if (position >= start && position <= occurrence.Span.End)
            {
                best = occurrence;
                if (position < occurrence.Span.End)
                {
                    break;
                }
            }
        }

        return best;
    }

    /// <summary>Every occurrence of <paramref name="symbol"/>, its declaration first.</summary>
    public IEnumerable<NameOccurrence> OccurrencesOf(NameSymbol symbol) =>
        _occurrences.Where(o => ReferenceEquals(o.Symbol, symbol)).OrderBy(static o => o.IsDeclaration ? 0 : 1).ThenBy(static o => o.Span.Start);

    /// <summary>The help of the diagnostic <paramref name="id"/> in Markdown (see <see cref="DiagnosticHelp"/>).</summary>
    public static string? HelpFor(string id) => DiagnosticHelp.Summary(id);

    // Names: one symbol per declaration the binder made, described from its bound form; then
    // every use found in the syntax tree. The walk is generic over node types (any subscript,
    // sum, or sigil-named expression in a statement a later version adds is found too).
    private void CollectNames(FibreDeclarationSyntax fibre, BoundFibre? bound, List<NameSymbol> symbols, List<NameOccurrence> occurrences)
    {
        var fibreSymbol = new NameSymbol(fibre.Identifier.Text, NameRole.Fibre, fibre.Identifier.Span, fibre.Span, "fibre " + fibre.Identifier.Text, "The fibre **" + fibre.Identifier.Text + "**.", null);
        Declare(fibreSymbol);
        if (bound is null)
        {
            return;
        }

        var plain = new Dictionary<string, NameSymbol>(StringComparer.Ordinal);
        var variables = new Dictionary<string, NameSymbol>(StringComparer.Ordinal);
        var resources = new Dictionary<string, NameSymbol>(StringComparer.Ordinal);
        var prices = new Dictionary<string, NameSymbol>(StringComparer.Ordinal);
        var columns = bound.Tables.SelectMany(static t => t.Columns).GroupBy(static c => c.Name).ToDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);

        foreach (var table in bound.Tables)
        {
            var symbol = new NameSymbol(table.Name, NameRole.Table, table.Span, StatementOf(fibre, table.Span), "table " + table.Name + " from \"" + table.Path + "\"", DescribeTable(table), fibre.Identifier.Text);
            plain[table.Name] = Declare(symbol);
            foreach (var column in table.Columns)
            {
                var columnSpan = ColumnStatement(fibre, column.Span);
                plain[column.Name] = Declare(new NameSymbol(column.Name, NameRole.Column, column.Span, columnSpan, column.Name + " : " + column.Unit, DescribeColumn(column, table), table.Name));
            }
        }

        foreach (var index in bound.Indices)
        {
            plain[index.Name] = Declare(new NameSymbol(index.Name, NameRole.IndexSet, index.Span, StatementOf(fibre, index.Span), Text.ToString(StatementOf(fibre, index.Span)).TrimEnd(';'), DescribeIndex(index), fibre.Identifier.Text));
        }

        foreach (var parameter in bound.Parameters)
        {
            var signature = "param " + parameter.Name + (parameter.HasUnit ? " : " + parameter.Unit : string.Empty) + " = " + Number(parameter.Value);
            plain[parameter.Name] = Declare(new NameSymbol(parameter.Name, NameRole.Parameter, parameter.Span, StatementOf(fibre, parameter.Span), signature, "A **parameter**: a number known when the fibre compiles.\n\nValue: `" + Number(parameter.Value) + "`, unit `" + parameter.Unit + "`.", fibre.Identifier.Text));
        }

        foreach (var variable in bound.Variables)
        {
            var signature = "$" + variable.Name + Subscript(variable.IndexSets) + " : " + variable.Unit + " in [" + ValueText(variable.Lower) + ", " + ValueText(variable.Upper) + "]";
            var description = "A **decision / load variable** (`$`)" + PerMember(variable.IndexSets) + ".\n\nUnit `" + variable.Unit + "`; bounds `" + ValueText(variable.Lower) + "` to `" + ValueText(variable.Upper) + "`." + ColumnNumbers(columns, variable.Lower, variable.Upper);
            variables[variable.Name] = Declare(new NameSymbol(variable.Name, NameRole.Variable, variable.Span, StatementOf(fibre, variable.Span), signature, description, fibre.Identifier.Text));
        }

        foreach (var resource in bound.Resources)
        {
            var signature = "@" + resource.Name + Subscript(resource.IndexSets) + " : " + resource.Unit + " = " + ValueText(resource.Budget);
            var description = "A **resource** (`@`): a row of A x <= c with its budget" + PerMember(resource.IndexSets) + ".\n\nUnit `" + resource.Unit + "`; budget `" + ValueText(resource.Budget) + "`." + ColumnNumbers(columns, resource.Budget);
            resources[resource.Name] = Declare(new NameSymbol(resource.Name, NameRole.Resource, resource.Span, StatementOf(fibre, resource.Span), signature, description, fibre.Identifier.Text));
        }

        var solve = fibre.Members.OfType<SolveDeclarationSyntax>().FirstOrDefault();
        foreach (var price in fibre.Members.OfType<PriceDeclarationSyntax>())
        {
            var name = price.Resource.Text;
            if (name.Length == 0 || prices.ContainsKey(name))
            {
                continue;
            }

            var resource = bound.Resources.FirstOrDefault(r => r.Name == name);
            var description = new StringBuilder("The **price** (`^`) of resource `@").Append(name).Append("`: its dual variable, kept at or above 0 and raised while the load exceeds the budget.");
            if (resource is not null)
            {
                description.Append("\n\nResource `@").Append(name).Append(Subscript(resource.IndexSets)).Append("`, unit `").Append(resource.Unit).Append("`, budget `").Append(ValueText(resource.Budget)).Append("`.").Append(ColumnNumbers(columns, resource.Budget));
            }

            if (price.MapName.Text.Length > 0)
            {
                description.Append("\n\nExported as map `").Append(price.MapName.Text).Append("`.");
            }

            if (solve is not null)
            {
                description.Append("\n\nSolved by `").Append(Text.ToString(solve.Span)).Append('`');
            }

            prices[name] = Declare(new NameSymbol(name, NameRole.Price, price.Resource.Span, price.Span, "^" + name + " -> map " + price.MapName.Text, description.ToString(), fibre.Identifier.Text));
        }

        foreach (var metric in fibre.Members.OfType<MetricDeclarationSyntax>())
        {
            if (metric.Identifier.Text.Length > 0)
            {
                Declare(new NameSymbol(metric.Identifier.Text, NameRole.Metric, metric.Identifier.Span, metric.Span, Text.ToString(metric.Span).TrimEnd(';'), "An exported **metric** (Prometheus gauge `" + metric.Identifier.Text + "`).", fibre.Identifier.Text));
            }
        }

        var declared = new HashSet<int>(occurrences.Select(static o => o.Span.Start));
        void Use(NameSymbol? symbol, SyntaxToken token)
        {
            if (symbol is not null && !token.IsMissing && token.Text == symbol.Name && declared.Add(token.Span.Start))
            {
                occurrences.Add(new NameOccurrence(symbol, token.Span, IsDeclaration: false));
            }
        }

        NameSymbol? Plain(string name) => plain.TryGetValue(name, out var s) ? s : null;

        var stack = new Stack<SyntaxNode>();
        stack.Push(fibre);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case NameExpressionSyntax name:
                    var symbol = name.Sigil?.Kind switch
                    {
                        SyntaxKind.DollarToken => variables.TryGetValue(name.Identifier.Text, out var v) ? v : null,
                        SyntaxKind.AtToken => resources.TryGetValue(name.Identifier.Text, out var r) ? r : null,
                        SyntaxKind.CaretToken => prices.TryGetValue(name.Identifier.Text, out var p) ? p : resources.TryGetValue(name.Identifier.Text, out var pr) ? pr : null,
                        _ => Plain(name.Identifier.Text),
                    };
                    Use(symbol, name.Identifier);
                    break;
                case SubscriptSyntax subscript:
                    foreach (var token in subscript.Names)
                    {
                        Use(Plain(token.Text), token);
                    }

                    break;
                case SumExpressionSyntax { Set: { } set }:
                    Use(Plain(set.Text), set);
                    break;
                case TableIndexDeclarationSyntax fromTable:
                    Use(Plain(fromTable.Table.Text), fromTable.Table);
                    break;
                case PriceDeclarationSyntax price when !prices.ContainsKey(price.Resource.Text):
                    Use(resources.TryGetValue(price.Resource.Text, out var priced) ? priced : null, price.Resource);
                    break;
            }

            foreach (var child in node.GetChildren())
            {
                if (child is not SyntaxToken)
                {
                    stack.Push(child);
                }
            }
        }

        NameSymbol Declare(NameSymbol symbol)
        {
            symbols.Add(symbol);
            occurrences.Add(new NameOccurrence(symbol, symbol.Span, IsDeclaration: true));
            return symbol;
        }

    }

    private static TextSpan StatementOf(FibreDeclarationSyntax fibre, TextSpan span) =>
        fibre.Members.FirstOrDefault(m => m.Span.Start <= span.Start && span.End <= m.Span.End)?.Span ?? span;

    private static TextSpan ColumnStatement(FibreDeclarationSyntax fibre, TextSpan span) =>
        fibre.Members.OfType<TableDeclarationSyntax>().SelectMany(static t => t.Columns).FirstOrDefault(c => c.Span.Start <= span.Start && span.End <= c.Span.End)?.Span ?? span;

    private static string Subscript(ImmutableArray<IndexSymbol> sets) =>
        sets.IsDefaultOrEmpty ? string.Empty : "[" + string.Join(", ", sets.Select(static s => s.Name)) + "]";

    private static string PerMember(ImmutableArray<IndexSymbol> sets) =>
        sets.IsDefaultOrEmpty ? string.Empty : ", one per member of " + string.Join(" x ", sets.Select(static s => "`" + s.Name + "`"));

    private static string DescribeIndex(IndexSymbol index) => index.Kind switch
    {
        IndexKind.Dynamic => "An **index set** of agents keyed in the kernel by `" + index.Key.ToString().ToLowerInvariant() + "`, at most " + index.Capacity.ToString(CultureInfo.InvariantCulture) + " at once (the kernel maps' size).",
        _ => "An **index set** of " + index.Members.Length.ToString(CultureInfo.InvariantCulture) + " member(s)" + (index.Table is { } t ? ", the rows of table `" + t.Name + "`" : string.Empty) + ": " + List(index.Members.Select(static m => "`" + m + "`")) + ".",
    };

    private static string DescribeTable(TableSymbol table) =>
        "A **table** read from `" + table.Path + "`: " + table.Keys.Length.ToString(CultureInfo.InvariantCulture) + " row(s) (" + List(table.Keys.Select(static k => "`" + k + "`")) + "), columns " + List(table.Columns.Select(static c => "`" + c.Name + "`")) + ".";

    private static string DescribeColumn(ColumnSymbol column, TableSymbol table)
    {
        var text = new StringBuilder("A **table column** of `").Append(table.Name).Append("` (`").Append(table.Path).Append("`), unit `").Append(column.Unit).Append("`:\n\n");
        AppendValues(text, table.Keys, column.Values);
        return text.ToString();
    }

    // The numbers of every column a value reads, by row key.
    private string ColumnNumbers(Dictionary<string, ColumnSymbol> columns, params ValueSpec[] values)
    {
        var text = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<ValueSpec>(values);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            if (value.Kind == ValueKind.Column && value.Column is { } name && seen.Add(name) && columns.TryGetValue(name, out var column) && column.Table is { } table)
            {
                text.Append("\n\n`").Append(name).Append("`:\n\n");
                AppendValues(text, table.Keys, column.Values);
            }

            foreach (var operand in value.Operands)
            {
                pending.Push(operand);
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    private const int MaxListedRows = 20;

    private static void AppendValues(StringBuilder text, ImmutableArray<string> keys, ImmutableArray<double> values)
    {
        var count = Math.Min(keys.Length, values.IsDefault ? 0 : values.Length);
        for (var i = 0; i < Math.Min(count, MaxListedRows); i++)
        {
            text.Append("- `").Append(keys[i]).Append("` = ").Append(Number(values[i])).Append('\n');
        }

        if (count > MaxListedRows)
        {
            text.Append("- ... ").Append((count - MaxListedRows).ToString(CultureInfo.InvariantCulture)).Append(" more\n");
        }
    }

    private static string List(IEnumerable<string> items)
    {
        var all = items.ToList();
        return all.Count <= MaxListedRows ? string.Join(", ", all) : string.Join(", ", all.Take(MaxListedRows)) + ", ... (" + all.Count.ToString(CultureInfo.InvariantCulture) + " in all)";
    }

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A bound value as sigil text: <c>5</c>, <c>lo[edit]</c>, <c>(a + b)</c>.</summary>
    internal static string ValueText(ValueSpec value) => value.Kind switch
    {
        ValueKind.Constant => double.IsInfinity(value.Constant) ? (value.Constant > 0 ? "inf" : "-inf") : Number(value.Constant),
        ValueKind.Column => value.Column + "[" + value.IndexVariable + "]",
        ValueKind.Entry => value.Table + "[" + value.IndexVariable + ", " + value.ColumnIndexVariable + "]",
        ValueKind.Negate => "-" + ValueText(value.Operands[0]),
        ValueKind.Add => "(" + ValueText(value.Operands[0]) + " + " + ValueText(value.Operands[1]) + ")",
        ValueKind.Subtract => "(" + ValueText(value.Operands[0]) + " - " + ValueText(value.Operands[1]) + ")",
        ValueKind.Multiply => ValueText(value.Operands[0]) + " * " + ValueText(value.Operands[1]),
        ValueKind.Divide => ValueText(value.Operands[0]) + " / " + ValueText(value.Operands[1]),
        _ => "?",
    };
}
