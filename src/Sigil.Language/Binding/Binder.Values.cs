using System;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    /// <summary>
    /// Binds an expression known at compile time or per index member: numbers, parameters (folded),
    /// table columns read at an index, and arithmetic on them.
    /// </summary>
    private BoundValue BindValue(ExpressionSyntax syntax, IndexScope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (syntax)
        {
            case NumberExpressionSyntax number:
                return BindNumber(number);
            case ParenthesizedExpressionSyntax parenthesized:
                return BindValue(parenthesized.Expression, scope);
            case UnaryExpressionSyntax unary:
                {
                    var operand = BindValue(unary.Operand, scope);
                    if (operand.IsError)
                    {
                        return operand;
                    }

                    return unary.OperatorToken.Kind == SyntaxKind.MinusToken ? operand with { Spec = ValueMath.Negate(operand.Spec!) } : operand;
                }

            case BinaryExpressionSyntax binary when !binary.OperatorToken.Kind.IsComparison():
                return BindBinaryValue(binary, scope);
            case NameExpressionSyntax name:
                return BindNameValue(name, scope);
            case ErrorExpressionSyntax:
                return BoundValue.Error;
            default:
                _diagnostics.ReportExpectedConstant(syntax.Span, Describe(syntax));
                return BoundValue.Error;
        }
    }

    private static BoundValue BindNumber(NumberExpressionSyntax number)
    {
        if (number.Number.IsMissing)
        {
            return BoundValue.Error;
        }

        var value = SyntaxTree.ParseNumber(number.Number.Text);
        if (!SyntaxTree.IsFinite(value))
        {
            return BoundValue.Error;
        }

        return new BoundValue(ValueSpec.Of(number.Percent is null ? value : value / 100), null);
    }

    private BoundValue BindBinaryValue(BinaryExpressionSyntax binary, IndexScope scope)
    {
        var left = BindValue(binary.Left, scope);
        var right = BindValue(binary.Right, scope);
        if (left.IsError || right.IsError)
        {
            return BoundValue.Error;
        }

        ValueSpec result;
        UnitSpec? unit;
        switch (binary.OperatorToken.Kind)
        {
            case SyntaxKind.PlusToken:
            case SyntaxKind.MinusToken:
                if (!UnifyUnits(binary, left.Unit, right.Unit, out unit))
                {
                    return BoundValue.Error;
                }

                result = binary.OperatorToken.Kind == SyntaxKind.PlusToken ? ValueMath.Add(left.Spec!, right.Spec!) : ValueMath.Subtract(left.Spec!, right.Spec!);
                break;
            case SyntaxKind.StarToken:
                unit = MultiplyUnits(left.Unit, right.Unit);
                result = ValueMath.Multiply(left.Spec!, right.Spec!);
                break;
            case SyntaxKind.SlashToken:
                if (right.Spec!.IsConstant && right.Spec.Constant == 0)
                {
                    _diagnostics.ReportDivisionByZero(binary.Span, "'" + _tree.GetStatementText(binary.Span) + "'");
                    return BoundValue.Error;
                }

                unit = DivideUnits(left.Unit, right.Unit);
                result = ValueMath.Divide(left.Spec!, right.Spec);
                break;
            case SyntaxKind.StarStarToken:
                {
                    if (!left.Spec!.IsConstant || !right.Spec!.IsConstant)
                    {
                        _diagnostics.ReportExpectedConstant(binary.Span, "a power of a value per index member; powers take constants");
                        return BoundValue.Error;
                    }

                    if (right.Unit is { IsDimensionless: false })
                    {
                        _diagnostics.ReportUnitExpected(binary.Right.Span, "1", right.Unit.ToString());
                        return BoundValue.Error;
                    }

                    var exponent = right.Spec.Constant;
                    unit = left.Unit;
                    if (left.Unit is { IsDimensionless: false })
                    {
                        if (exponent != Math.Floor(exponent) || Math.Abs(exponent) > 16)
                        {
                            _diagnostics.ReportUnitExpected(binary.Left.Span, "1", left.Unit.ToString());
                            return BoundValue.Error;
                        }

                        unit = Units.Power(left.Unit, (int)exponent);
                    }

                    result = ValueSpec.Of(Math.Pow(left.Spec.Constant, exponent));
                    break;
                }

            default:
                return BoundValue.Error;
        }

        if (!ValueMath.IsFinite(result))
        {
            _diagnostics.ReportNotFinite(binary.Span, "'" + _tree.GetStatementText(binary.Span) + "'");
            return BoundValue.Error;
        }

        return new BoundValue(result, unit);
    }

    private BoundValue BindNameValue(NameExpressionSyntax name, IndexScope scope)
    {
        if (name.Identifier.IsMissing)
        {
            return BoundValue.Error;
        }

        if (name.NameKind != SyntaxKind.NameExpression)
        {
            _diagnostics.ReportExpectedConstant(name.Span, Describe(name));
            return BoundValue.Error;
        }

        var text = name.Identifier.Text;
        if (!_names.TryGetValue(text, out var symbol) && text == InfinityName)
        {
            _diagnostics.ReportInfinityOutsideBound(name.Span, "'" + _tree.GetStatementText(name.Span) + "' here");
            return BoundValue.Error;
        }

        if (symbol is null)
        {
            var candidates = _fibre.Parameters.Select(static p => p.Name).Concat(_fibre.Tables.SelectMany(static t => t.Columns).Select(static c => c.Name));
            _diagnostics.ReportUndefinedName(name.Identifier.Span, "Name", text, DidYouMean(text, candidates));
            return BoundValue.Error;
        }

        switch (symbol)
        {
            case ParameterSymbol parameter:
                if (parameter.IsError)
                {
                    return BoundValue.Error;
                }

                if (name.Subscript is { } subscript)
                {
                    _diagnostics.ReportSubscriptCount(subscript.Span, text, "0", Integer(subscript.Names.Length));
                    return BoundValue.Error;
                }

                return new BoundValue(ValueSpec.Of(parameter.Value), parameter.HasUnit ? parameter.Unit : null);
            case TableSymbol { IsMatrix: true } table:
                {
                    if (table.IsError || table.Matrix is null)
                    {
                        return BoundValue.Error;
                    }

                    var sets = ImmutableArray.Create((IndexSymbol)_names[table.Matrix.RowSet], (IndexSymbol)_names[table.Matrix.ColumnSet]);
                    return ResolveSubscript(name, sets, scope) is { } at
                        ? new BoundValue(ValueSpec.EntryAt(table.Name, at[0], at[1]), table.Matrix.Unit)
                        : BoundValue.Error;
                }

            case ColumnSymbol column:
                {
                    if (column.IsError || column.Table is null)
                    {
                        return BoundValue.Error;
                    }

                    var count = name.Subscript?.Names.Length ?? 0;
                    if (count != 1)
                    {
                        _diagnostics.ReportSubscriptCount(name.Subscript?.Span ?? name.Span, text, "1", Integer(count));
                        return BoundValue.Error;
                    }

                    var variable = ResolveColumnIndex(name.Subscript!.Names[0], column, scope);
                    return variable is null
                        ? BoundValue.Error
                        : new BoundValue(ValueSpec.ColumnAt(column.Table.Name, column.Name, variable.Name), column.Unit);
                }

            default:
                _diagnostics.ReportExpectedConstant(name.Span, symbol.KindText + " '" + text + "'");
                return BoundValue.Error;
        }
    }

    /// <summary>
    /// Binds a variable bound: a value, or <c>inf</c> / <c>-inf</c> (no bound on that side), which
    /// only a bound may be (elsewhere <c>inf</c> is SIG1053).
    /// </summary>
    private BoundValue BindBound(ExpressionSyntax syntax, IndexScope scope)
    {
        var negate = false;
        var inner = syntax;
        while (inner is ParenthesizedExpressionSyntax parenthesized)
        {
            inner = parenthesized.Expression;
        }

        if (inner is UnaryExpressionSyntax { OperatorToken.Kind: SyntaxKind.MinusToken } unary)
        {
            negate = true;
            inner = unary.Operand;
        }

        if (inner is NameExpressionSyntax { NameKind: SyntaxKind.NameExpression, Subscript: null } name
            && name.Identifier.Text == InfinityName && !_names.ContainsKey(InfinityName))
        {
            return new BoundValue(ValueSpec.Of(negate ? double.NegativeInfinity : double.PositiveInfinity), null);
        }

        return BindValue(syntax, scope);
    }

    /// <summary>Resolves <c>j</c> in <c>cost[j]</c>: it must range over an index set of the column's table.</summary>
    private IndexVariable? ResolveColumnIndex(SyntaxToken token, ColumnSymbol column, IndexScope scope)
    {
        var table = column.Table!;
        var variable = scope.Lookup(token.Text);
        if (variable is null && _names.TryGetValue(token.Text, out var named))
        {
            if (named is IndexSymbol namedSet && scope.AllowFree)
            {
                variable = scope.DeclareFree(token.Text, namedSet, token.Span);
            }
            else if (named is not IndexSymbol)
            {
                _diagnostics.ReportWrongNameKind(token.Span, token.Text, named.KindText, "an index");
                return null;
            }
        }

        if (variable is null)
        {
            if (!scope.AllowFree)
            {
                _diagnostics.ReportUndefinedName(token.Span, "Index", token.Text, string.Empty);
                return null;
            }

            var set = _fibre.Indices.FirstOrDefault(i => i.Table == table);
            if (set is null)
            {
                _diagnostics.ReportColumnIndex(token.Span, column.Name, table.Name, token.Text, "no index set");
                return null;
            }

            // An invalid name is reported once: declared anyway, its later uses stay quiet.
            var declared = scope.DeclareFree(token.Text, set, token.Span);
            return CheckName(token) ? declared : null;
        }

        if (variable.Set is null)
        {
            var set = _fibre.Indices.FirstOrDefault(i => i.Table == table);
            if (set is null)
            {
                _diagnostics.ReportColumnIndex(token.Span, column.Name, table.Name, token.Text, "no index set");
                return null;
            }

            variable.Set = set;
        }

        if (variable.Set.Table != table)
        {
            if (!variable.Set.IsError)
            {
                _diagnostics.ReportColumnIndex(token.Span, column.Name, table.Name, token.Text, variable.Set.Name);
            }

            return null;
        }

        return variable;
    }

    /// <summary>
    /// Resolves the subscript of <paramref name="name"/> against <paramref name="sets"/>: one index
    /// variable per set, each ranging over the set at its position. Null after an error.
    /// </summary>
    private ImmutableArray<string>? ResolveSubscript(NameExpressionSyntax name, ImmutableArray<IndexSymbol> sets, IndexScope scope, bool allowOmitted = false)
    {
        var names = name.Subscript?.Names ?? ImmutableArray<SyntaxToken>.Empty;
        if (names.Length == 0 && allowOmitted)
        {
            return ImmutableArray<string>.Empty;
        }

        if (names.Length != sets.Length)
        {
            _diagnostics.ReportSubscriptCount(name.Subscript?.Span ?? name.Span, name.SigilName, Integer(sets.Length), Integer(names.Length));
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            var variable = ResolveIndex(names[i], sets[i], scope);
            if (variable is null)
            {
                return null;
            }

            result.Add(variable.Name);
        }

        return result.MoveToImmutable();
    }

    private IndexVariable? ResolveIndex(SyntaxToken token, IndexSymbol expected, IndexScope scope)
    {
        var variable = scope.Lookup(token.Text);
        if (variable is null)
        {
            if (_names.TryGetValue(token.Text, out var named))
            {
                if (named is not IndexSymbol namedSet)
                {
                    _diagnostics.ReportWrongNameKind(token.Span, token.Text, named.KindText, "an index");
                    return null;
                }

                if (namedSet != expected)
                {
                    _diagnostics.ReportIndexSetMismatch(token.Span, token.Text, namedSet.Name, expected.Name);
                    return null;
                }

                if (!scope.AllowFree)
                {
                    return new IndexVariable(token.Text, namedSet, isSum: false, token.Span);
                }
            }
            else if (!scope.AllowFree)
            {
                _diagnostics.ReportUndefinedName(token.Span, "Index", token.Text, string.Empty);
                return null;
            }

            // An invalid name is reported once: declared anyway, its later uses stay quiet.
            var declared = scope.DeclareFree(token.Text, expected, token.Span);
            return CheckName(token) ? declared : null;
        }

        if (variable.Set is null)
        {
            variable.Set = expected;
        }
        else if (variable.Set != expected)
        {
            _diagnostics.ReportIndexSetMismatch(token.Span, token.Text, variable.Set.Name, expected.Name);
            return null;
        }

        return variable;
    }

    private bool ExpectUnit(UnitSpec expected, BoundValue value, Text.TextSpan span)
    {
        if (value.Unit is null || value.Unit == expected)
        {
            return true;
        }

        _diagnostics.ReportUnitExpected(span, expected.ToString(), value.Unit.ToString());
        return false;
    }

    private bool UnifyUnits(BinaryExpressionSyntax binary, UnitSpec? left, UnitSpec? right, out UnitSpec? unit)
    {
        unit = left ?? right;
        if (left is null || right is null || left == right)
        {
            return true;
        }

        var verb = binary.OperatorToken.Kind switch
        {
            SyntaxKind.PlusToken => "add",
            SyntaxKind.MinusToken => "subtract",
            _ => "compare",
        };
        _diagnostics.ReportUnitMismatch(binary.Span, verb, left.ToString(), right.ToString());
        return false;
    }

    private static UnitSpec? MultiplyUnits(UnitSpec? a, UnitSpec? b) =>
        a is null ? b : b is null ? a : Units.Multiply(a, b);

    private static UnitSpec? DivideUnits(UnitSpec? a, UnitSpec? b) =>
        b is null ? a : a is null ? Units.Inverse(b) : Units.Divide(a, b);

    /// <summary>How an expression is named in "found ..." messages.</summary>
    private string Describe(ExpressionSyntax syntax) => syntax switch
    {
        NameExpressionSyntax { NameKind: SyntaxKind.VariableExpression } n => "the variable '" + n.SigilName + "'",
        NameExpressionSyntax { NameKind: SyntaxKind.ResourceExpression } n => "the resource '" + n.SigilName + "'",
        NameExpressionSyntax { NameKind: SyntaxKind.PriceExpression } n => "the price '" + n.SigilName + "'",
        NameExpressionSyntax n => "'" + n.Identifier.Text + "'",
        CallExpressionSyntax c => "a call of '" + c.Identifier.Text + "'",
        SumExpressionSyntax => "a sum",
        StringExpressionSyntax => "a string",
        BinaryExpressionSyntax b when b.OperatorToken.Kind.IsComparison() => "a comparison",
        _ => "'" + Shorten(_tree.GetStatementText(syntax.Span)) + "'",
    };
}
