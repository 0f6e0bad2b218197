using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Language.Text;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    /// <summary>Largest capacity of a dynamic index set: the kernel maps' entry limit we allow.</summary>
    public const int MaxCapacity = 1 << 20;

    /// <summary>Default capacity of a dynamic index set.</summary>
    public const int DefaultCapacity = 10240;

    /// <summary>Nodes a cluster resource declares when it says no <c>max</c>.</summary>
    public const int DefaultClusterNodes = 16;

    /// <summary>Most nodes a cluster resource may declare.</summary>
    public const int MaxClusterNodes = 4096;

    /// <summary>Most members of an integer range.</summary>
    public const int MaxRangeMembers = 1024;

    private static readonly string[] s_kernelKeys = { "pid", "tid", "cpu", "tree" };

    private void BindTable(TableDeclarationSyntax syntax)
    {
        if (syntax.Identifier.IsMissing)
        {
            return;
        }

        if (syntax.ContainsErrors)
        {
            DeclareBroken(new TableSymbol(syntax.Identifier.Text, syntax.Identifier.Span, string.Empty, ImmutableArray<string>.Empty, new List<ColumnSymbol>()));
            return;
        }

        var nameOk = CheckName(syntax.Identifier);
        var path = syntax.Path.IsMissing ? null : CheckPath(syntax.Path);
        var columns = new List<ColumnSymbol>();
        var table = new TableSymbol(syntax.Identifier.Text, syntax.Identifier.Span, path ?? string.Empty, ImmutableArray<string>.Empty, columns)
        {
            IsError = !nameOk || path is null || syntax.ContainsErrors,
        };

        CsvTable? csv = null;
        if (path is not null && !syntax.ContainsErrors)
        {
            csv = ReadCsv(path, syntax.Path.Span);
            if (csv is null)
            {
                table.IsError = true;
            }
        }

        if (csv is not null)
        {
            table = new TableSymbol(table.Name, table.Span, path!, csv.Keys, columns) { IsError = table.IsError };
        }

        foreach (var column in syntax.Columns)
        {
            if (column.Identifier.IsMissing)
            {
                continue;
            }

            var columnOk = CheckName(column.Identifier);
            var unit = column.Unit is null ? UnitSpec.Dimensionless : BindUnit(column.Unit);
            var values = ImmutableArray<double>.Empty;
            var isError = csv is null || !columnOk;
            if (csv is not null)
            {
                var index = csv.Header.IndexOf(column.Identifier.Text);
                if (index <= 0)
                {
                    _diagnostics.ReportTableColumnMissing(column.Identifier.Span, path!, column.Identifier.Text);
                    isError = true;
                }
                else
                {
                    var parsed = ImmutableArray.CreateBuilder<double>(csv.Rows.Count);
                    for (var row = 0; row < csv.Rows.Count; row++)
                    {
                        var cell = csv.Rows[row][index];
                        var value = SyntaxTree.ParseNumber(cell);
                        if (!SyntaxTree.IsFinite(value))
                        {
                            _diagnostics.ReportTableBadNumber(column.Identifier.Span, path!, Integer(csv.Lines[row]), column.Identifier.Text, Shorten(cell));
                            isError = true;
                            break;
                        }

                        parsed.Add(value);
                    }

                    if (!isError)
                    {
                        values = parsed.MoveToImmutable();
                    }
                }
            }

            var symbol = new ColumnSymbol(column.Identifier.Text, column.Identifier.Span, table, unit, values) { IsError = isError };
            if (Declare(symbol))
            {
                columns.Add(symbol);
            }
        }

        if (Declare(table))
        {
            _fibre.Tables.Add(table);
        }
    }

    /// <summary>The path inside a string token, or null after reporting why it is unsafe.</summary>
    private string? CheckPath(SyntaxToken token)
    {
        var content = Unquote(token.Text);
        string? reason = null;
        if (content.IndexOf('\\') >= 0 || content.IndexOf('"') >= 0)
        {
            reason = "a path holds no quotes or backslashes";
        }
        else if (content.Length == 0)
        {
            reason = "a path is not empty";
        }
        else if (!content.All(static c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '/'))
        {
            reason = "a path holds letters, digits, '_', '-', '.' and '/' only";
        }
        else if (content[0] == '/')
        {
            reason = "a table path is relative to the fibre's folder";
        }
        else if (content.Split('/').Any(static segment => segment is ".." or "" or "."))
        {
            reason = "a table path stays inside the fibre's folder (no '..', '.' or empty segments)";
        }
        else if (content.Length > 255)
        {
            reason = "a path has at most 255 characters";
        }

        if (reason is null)
        {
            return content;
        }

        _diagnostics.ReportInvalidString(token.Span, "Table path", Shorten(content), reason);
        return null;
    }

    private CsvTable? ReadCsv(string path, TextSpan span)
    {
        var text = ReadTableText(path, span);
        if (text is null)
        {
            return null;
        }

        var table = CsvTable.Parse(text, out var error);
        if (table is null)
        {
            _diagnostics.ReportTableMalformed(span, path, error!);
        }

        return table;
    }

    private void BindIndex(MemberSyntax member)
    {
        if (member.ContainsErrors)
        {
            var name = member switch
            {
                DynamicIndexDeclarationSyntax d => d.Identifier,
                TableIndexDeclarationSyntax t => t.Identifier,
                RangeIndexDeclarationSyntax r => r.Identifier,
                _ => null,
            };
            if (name is { IsMissing: false })
            {
                DeclareBroken(new IndexSymbol(name.Text, name.Span, IndexKind.Range, KernelKey.None, 0, null, ImmutableArray<string>.Empty));
            }

            return;
        }

        switch (member)
        {
            case DynamicIndexDeclarationSyntax dynamic:
                {
                    if (dynamic.Identifier.IsMissing)
                    {
                        return;
                    }

                    var ok = CheckName(dynamic.Identifier) && !dynamic.ContainsErrors;
                    var key = KernelKey.None;
                    if (!dynamic.Key.IsMissing)
                    {
                        key = dynamic.Key.Text switch
                        {
                            "pid" => KernelKey.Pid,
                            "tid" => KernelKey.Tid,
                            "cpu" => KernelKey.Cpu,
                            "tree" => KernelKey.Tree,
                            _ => KernelKey.None,
                        };
                        if (key == KernelKey.None)
                        {
                            _diagnostics.ReportUnknownWord(dynamic.Key.Span, dynamic.Key.Text, "kernel key", OneOf(s_kernelKeys), DidYouMean(dynamic.Key.Text, s_kernelKeys));
                            ok = false;
                        }
                    }

                    var capacity = DefaultCapacity;
                    if (dynamic.Limit is { } limit && limit.Text != "max")
                    {
                        _diagnostics.ReportUnknownWord(limit.Span, limit.Text, "index option", "'max'", DidYouMean(limit.Text, new[] { "max" }));
                        ok = false;
                    }
                    else if (dynamic.Capacity is { } capacityToken)
                    {
                        var value = SyntaxTree.ParseNumber(capacityToken.Text);
                        if (!SyntaxTree.IsFinite(value))
                        {
                            ok = false;
                        }
                        else if (value != Math.Floor(value) || value < 1)
                        {
                            _diagnostics.ReportInvalidIndex(capacityToken.Span, dynamic.Identifier.Text, "the capacity is a whole number of at least 1; found " + capacityToken.Text);
                            ok = false;
                        }
                        else if (value > MaxCapacity)
                        {
                            _diagnostics.ReportCapacityTooLarge(capacityToken.Span, dynamic.Identifier.Text, capacityToken.Text, Integer(MaxCapacity));
                            ok = false;
                        }
                        else
                        {
                            capacity = (int)value;
                        }
                    }

                    AddIndex(new IndexSymbol(dynamic.Identifier.Text, dynamic.Identifier.Span, IndexKind.Dynamic, key, capacity, null, ImmutableArray<string>.Empty) { IsError = !ok });
                    break;
                }

            case TableIndexDeclarationSyntax fromTable:
                {
                    if (fromTable.Identifier.IsMissing)
                    {
                        return;
                    }

                    var ok = CheckName(fromTable.Identifier) && !fromTable.ContainsErrors;
                    TableSymbol? table = null;
                    if (!fromTable.Table.IsMissing)
                    {
                        if (!_names.TryGetValue(fromTable.Table.Text, out var symbol))
                        {
                            _diagnostics.ReportUndefinedName(fromTable.Table.Span, "Table", fromTable.Table.Text, DidYouMean(fromTable.Table.Text, _fibre.Tables.Select(static t => t.Name)));
                            ok = false;
                        }
                        else if (symbol is not TableSymbol t)
                        {
                            _diagnostics.ReportWrongNameKind(fromTable.Table.Span, fromTable.Table.Text, symbol.KindText, "a table");
                            ok = false;
                        }
                        else if (t.IsMatrix)
                        {
                            _diagnostics.ReportWrongNameKind(fromTable.Table.Span, fromTable.Table.Text, "a two-dimensional table", "a table of rows");
                            ok = false;
                        }
                        else
                        {
                            table = t;
                            ok &= !t.IsError;
                        }
                    }

                    var members = table?.Keys ?? ImmutableArray<string>.Empty;
                    AddIndex(new IndexSymbol(fromTable.Identifier.Text, fromTable.Identifier.Span, IndexKind.Table, KernelKey.None, members.Length, table, members) { IsError = !ok || table is null });
                    break;
                }

            case RangeIndexDeclarationSyntax range:
                {
                    if (range.Identifier.IsMissing)
                    {
                        return;
                    }

                    var ok = CheckName(range.Identifier) && !range.ContainsErrors;
                    var members = ImmutableArray<string>.Empty;
                    if (ok)
                    {
                        var low = RangeBound(range.Low);
                        var high = RangeBound(range.High);
                        if (low is null || high is null)
                        {
                            ok = false;
                        }
                        else if (low > high)
                        {
                            _diagnostics.ReportInvalidIndex(TextSpan.FromBounds(range.Low.Span.Start, range.High.Span.End), range.Identifier.Text, "the range " + Integer(low.Value) + " .. " + Integer(high.Value) + " is empty");
                            ok = false;
                        }
                        else if (high.Value - low.Value + 1 > MaxRangeMembers)
                        {
                            _diagnostics.ReportInvalidIndex(TextSpan.FromBounds(range.Low.Span.Start, range.High.Span.End), range.Identifier.Text, "a range holds at most " + Integer(MaxRangeMembers) + " members");
                            ok = false;
                        }
                        else
                        {
                            members = Enumerable.Range(0, (int)(high.Value - low.Value + 1)).Select(i => Integer(low.Value + i)).ToImmutableArray();
                        }
                    }

                    AddIndex(new IndexSymbol(range.Identifier.Text, range.Identifier.Span, IndexKind.Range, KernelKey.None, members.Length, null, members) { IsError = !ok });
                    break;
                }
        }
    }

    private long? RangeBound(ExpressionSyntax syntax)
    {
        var negative = false;
        if (syntax is UnaryExpressionSyntax unary)
        {
            negative = unary.OperatorToken.Kind == SyntaxKind.MinusToken;
            syntax = unary.Operand;
        }

        if (syntax is not NumberExpressionSyntax number || number.Number.IsMissing)
        {
            return null;
        }

        var value = SyntaxTree.ParseNumber(number.Number.Text);
        if (!SyntaxTree.IsFinite(value))
        {
            return null;
        }

        if (value != Math.Floor(value) || Math.Abs(value) > 1e9)
        {
            _diagnostics.ReportInvalidIndex(number.Span, "range", "a range bound is a whole number of at most 1e9; found " + number.Number.Text);
            return null;
        }

        return (long)(negative ? -value : value);
    }

    // A declaration the parser could not read whole declares its name, silently, as an error
    // symbol: its uses report nothing, and it reports nothing itself.
    private void DeclareBroken(Symbol symbol)
    {
        symbol.IsError = true;
        if (!_names.ContainsKey(symbol.Name))
        {
            _names.Add(symbol.Name, symbol);
        }
    }

    private void AddIndex(IndexSymbol index)
    {
        if (Declare(index))
        {
            _fibre.Indices.Add(index);
        }
    }

    private void BindParameter(ParameterDeclarationSyntax syntax)
    {
        if (syntax.Identifier.IsMissing)
        {
            return;
        }

        if (syntax.ContainsErrors)
        {
            DeclareBroken(new ParameterSymbol(syntax.Identifier.Text, syntax.Identifier.Span, UnitSpec.Dimensionless, 0, hasUnit: false));
            return;
        }

        var ok = CheckName(syntax.Identifier) && !syntax.ContainsErrors;
        UnitSpec? declared = syntax.Unit is null ? null : BindUnit(syntax.Unit);
        var value = 0.0;
        UnitSpec? unit = declared;
        if (ok)
        {
            var bound = BindValue(syntax.Value, IndexScope.Closed(Array.Empty<IndexSymbol>()));
            if (bound.IsError)
            {
                ok = false;
            }
            else if (!bound.Spec!.IsConstant)
            {
                _diagnostics.ReportExpectedConstant(syntax.Value.Span, "a value per index member; a parameter is one number");
                ok = false;
            }
            else
            {
                value = bound.Spec.Constant;
                if (declared is not null)
                {
                    ExpectUnit(declared, bound, syntax.Value.Span);
                }
                else
                {
                    unit = bound.Unit;
                }
            }
        }

        var symbol = new ParameterSymbol(syntax.Identifier.Text, syntax.Identifier.Span, unit ?? UnitSpec.Dimensionless, value, unit is not null) { IsError = !ok };
        if (Declare(symbol))
        {
            _fibre.Parameters.Add(symbol);
        }
    }

    private ImmutableArray<IndexSymbol> BindIndexList(SubscriptSyntax? list, out bool ok)
    {
        ok = true;
        if (list is null)
        {
            return ImmutableArray<IndexSymbol>.Empty;
        }

        var sets = ImmutableArray.CreateBuilder<IndexSymbol>(list.Names.Length);
        foreach (var name in list.Names)
        {
            if (!_names.TryGetValue(name.Text, out var symbol))
            {
                _diagnostics.ReportUndefinedName(name.Span, "Index set", name.Text, DidYouMean(name.Text, _fibre.Indices.Select(static i => i.Name)));
                ok = false;
            }
            else if (symbol is not IndexSymbol index)
            {
                _diagnostics.ReportWrongNameKind(name.Span, name.Text, symbol.KindText, "an index set");
                ok = false;
            }
            else if (sets.Contains(index))
            {
                _diagnostics.ReportDuplicateName(name.Span, name.Text, "an index of this declaration");
                ok = false;
            }
            else
            {
                sets.Add(index);
                ok &= !index.IsError;
            }
        }

        return sets.ToImmutable();
    }

    private void BindVariable(VariableDeclarationSyntax syntax)
    {
        if (syntax.Identifier.IsMissing)
        {
            return;
        }

        if (syntax.ContainsErrors)
        {
            if (!_variables.ContainsKey(syntax.Identifier.Text))
            {
                var broken = new VariableSymbol(syntax.Identifier.Text, syntax.Identifier.Span, ImmutableArray<IndexSymbol>.Empty, UnitSpec.Dimensionless) { IsError = true };
                _variables.Add(broken.Name, broken);
                _brokenVariables.Add(broken.Name);
            }

            return;
        }

        var ok = CheckName(syntax.Identifier) && !syntax.ContainsErrors;
        var sets = BindIndexList(syntax.IndexList, out var setsOk);
        var unit = BindUnit(syntax.Unit);
        var symbol = new VariableSymbol(syntax.Identifier.Text, syntax.Identifier.Span, sets, unit);
        ok &= setsOk;
        if (ok)
        {
            var scope = IndexScope.Closed(sets);
            var lower = BindBound(syntax.Lower, scope);
            var upper = BindBound(syntax.Upper, scope);
            if (lower.IsError || upper.IsError)
            {
                ok = false;
            }
            else
            {
                ok &= ExpectUnit(unit, lower, syntax.Lower.Span) & ExpectUnit(unit, upper, syntax.Upper.Span);
                symbol.Lower = lower.Spec!;
                symbol.Upper = upper.Spec!;
            }
        }

        symbol.IsError = !ok;
        if (_variables.TryGetValue(symbol.Name, out var existing))
        {
            _diagnostics.ReportDuplicateName(symbol.Span, "$" + symbol.Name, existing.KindText);
            return;
        }

        if (!ok)
        {
            _brokenVariables.Add(symbol.Name);
        }

        _variables.Add(symbol.Name, symbol);
        _fibre.Variables.Add(symbol);
        _fibre.VariableSpans[symbol.Name] = syntax.Span;
    }

    private void BindResource(ResourceDeclarationSyntax syntax)
    {
        if (syntax.Identifier.IsMissing)
        {
            return;
        }

        if (syntax.ContainsErrors)
        {
            if (!_resources.ContainsKey(syntax.Identifier.Text))
            {
                _resources.Add(syntax.Identifier.Text, new ResourceSymbol(syntax.Identifier.Text, syntax.Identifier.Span, ImmutableArray<IndexSymbol>.Empty, UnitSpec.Dimensionless) { IsError = true });
            }

            return;
        }

        var ok = CheckName(syntax.Identifier) && !syntax.ContainsErrors;
        var sets = BindIndexList(syntax.IndexList, out var setsOk);
        var unit = BindUnit(syntax.Unit);
        var symbol = new ResourceSymbol(syntax.Identifier.Text, syntax.Identifier.Span, sets, unit) { ClusterNodes = BindClusterScope(syntax, ref ok) };
        ok &= setsOk;
        if (ok)
        {
            var budget = BindValue(syntax.Budget, IndexScope.Closed(sets));
            if (budget.IsError)
            {
                ok = false;
            }
            else
            {
                ok &= ExpectUnit(unit, budget, syntax.Budget.Span);
                symbol.Budget = budget.Spec!;
                if (syntax.Budget is NameExpressionSyntax { Subscript: null } name && _names.TryGetValue(name.Identifier.Text, out var named) && named is ParameterSymbol)
                {
                    symbol.BudgetParameter = name.Identifier.Text;
                }
            }
        }

        symbol.IsError = !ok;
        if (_resources.TryGetValue(symbol.Name, out var existing))
        {
            _diagnostics.ReportDuplicateName(symbol.Span, "@" + symbol.Name, existing.KindText);
            return;
        }

        _resources.Add(symbol.Name, symbol);
        _fibre.Resources.Add(symbol);
    }

    // '@r : u = budget cluster max N;': a budget shared by at most N nodes (0: a node's own resource).
    private int BindClusterScope(ResourceDeclarationSyntax syntax, ref bool ok)
    {
        if (syntax.Scope is not { } scope)
        {
            return 0;
        }

        if (scope.Text != "cluster")
        {
            _diagnostics.ReportUnknownWord(scope.Span, scope.Text, "resource scope", "'cluster'", DidYouMean(scope.Text, new[] { "cluster" }));
            ok = false;
            return 0;
        }

        if (syntax.Limit is { } limit && limit.Text != "max")
        {
            _diagnostics.ReportUnknownWord(limit.Span, limit.Text, "cluster option", "'max'", DidYouMean(limit.Text, new[] { "max" }));
            ok = false;
            return 0;
        }

        if (syntax.Nodes is not { } nodes)
        {
            return DefaultClusterNodes;
        }

        var value = SyntaxTree.ParseNumber(nodes.Text);
        if (!SyntaxTree.IsFinite(value) || value != Math.Floor(value) || value < 1 || value > MaxClusterNodes)
        {
            _diagnostics.ReportSettingValue(nodes.Span, "cluster max", $"a whole number of nodes from 1 to {Integer(MaxClusterNodes)}; found {nodes.Text}");
            ok = false;
            return 0;
        }

        return (int)value;
    }

    private void BindPrice(PriceDeclarationSyntax syntax)
    {
        var resource = LookupResource(syntax.Resource);
        if (!CheckName(syntax.MapName) || resource is null)
        {
            return;
        }

        var mapName = syntax.MapName.Text;
        if (mapName.Length > 15)
        {
            _diagnostics.ReportMapNameTooLong(syntax.MapName.Span, mapName, Integer(mapName.Length));
            return;
        }

        if (_mapNames.ContainsKey(mapName))
        {
            _diagnostics.ReportDuplicateName(syntax.MapName.Span, mapName, "a price map");
            return;
        }

        if (_fibre.PriceExports.Any(e => e.Value.Resource == resource.Name))
        {
            _diagnostics.ReportDuplicateDeclaration(syntax.Span, "'^" + resource.Name + "'", "a price map");
            return;
        }

        _mapNames.Add(mapName, syntax.MapName.Span);
        _fibre.PriceExports.Add(new Bound<PriceExportSpec>(new PriceExportSpec(resource.Name, mapName), syntax.Span));
    }

    private ResourceSymbol? LookupResource(SyntaxToken name)
    {
        if (name.IsMissing)
        {
            return null;
        }

        if (_resources.TryGetValue(name.Text, out var resource))
        {
            return resource.IsError ? null : resource;
        }

        _diagnostics.ReportUndefinedName(name.Span, "Resource", "@" + name.Text, DidYouMean(name.Text, _resources.Keys));
        return null;
    }

    private VariableSymbol? LookupVariable(SyntaxToken name)
    {
        if (name.IsMissing)
        {
            return null;
        }

        if (_variables.TryGetValue(name.Text, out var variable))
        {
            return variable.IsError ? null : variable;
        }

        _diagnostics.ReportUndefinedName(name.Span, "Variable", "$" + name.Text, DidYouMean(name.Text, _variables.Keys));
        return null;
    }

    private UnitSpec BindUnit(UnitSyntax syntax)
    {
        var powers = new List<KeyValuePair<string, int>>();
        foreach (var factor in syntax.Factors)
        {
            if (factor.Name.IsMissing)
            {
                continue;
            }

            var sign = factor.OperatorToken?.Kind == SyntaxKind.SlashToken ? -1 : 1;
            if (factor.Name.Kind == SyntaxKind.NumberToken)
            {
                if (factor.Name.Text != "1")
                {
                    _diagnostics.ReportInvalidUnit(factor.Span, factor.Name.Text, "the only number in a unit is 1 (dimensionless)");
                }

                continue;
            }

            var power = 1;
            if (factor.Power is { } powerToken)
            {
                var value = SyntaxTree.ParseNumber(powerToken.Text);
                if (!SyntaxTree.IsFinite(value) || value != Math.Floor(value) || value < 1 || value > 16)
                {
                    _diagnostics.ReportInvalidUnit(factor.Span, _tree.Text.ToString(factor.Span), "a unit power is a whole number from 1 to 16, optionally negative");
                    continue;
                }

                power = (int)value * (factor.Minus is null ? 1 : -1);
            }

            var name = Units.Canonical(factor.Name.Text);
            if (!CheckName(factor.Name))
            {
                continue;
            }

            powers.Add(new KeyValuePair<string, int>(name, sign * power));
        }

        return Units.FromFactors(powers);
    }

    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] == '"' && text[text.Length - 1] == '"' ? text.Substring(1, text.Length - 2) : text;

    private static string Shorten(string text)
    {
        var clean = new string(text.Select(static c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 40 ? clean : clean.Substring(0, 37) + "...";
    }
}
