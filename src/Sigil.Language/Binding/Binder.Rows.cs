using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    // couple [label:] lhs (<= | >= | ==) rhs;
    //
    // Both sides bind to linear forms (terms, at most one resource, constants); the row is then
    // normalised to  sum terms (<= | ==) rhs : '>=' flips, the resource's budget joins the rhs,
    // free index variables become the row's quantifiers (in the resource's index order).
    private void BindCouple(CoupleDeclarationSyntax syntax)
    {
        var expression = syntax.Expression;
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is not BinaryExpressionSyntax comparison || !comparison.OperatorToken.Kind.IsComparison())
        {
            if (expression is not ErrorExpressionSyntax)
            {
                _diagnostics.ReportCoupleShape(expression.Span, Describe(expression));
            }

            return;
        }

        var op = comparison.OperatorToken.Kind;
        if (op is SyntaxKind.LessToken or SyntaxKind.GreaterToken)
        {
            _diagnostics.ReportCoupleShape(comparison.OperatorToken.Span, "the strict '" + comparison.OperatorToken.Text + "'; write '" + comparison.OperatorToken.Text + "='");
            return;
        }

        if (comparison.Left is BinaryExpressionSyntax { OperatorToken.Kind: var innerOp } && innerOp.IsComparison())
        {
            _diagnostics.ReportCoupleShape(comparison.Span, "a chain of comparisons");
            return;
        }

        var scope = IndexScope.Open();
        var left = BindLinear(comparison.Left, scope, ImmutableArray<IndexVariable>.Empty);
        var right = BindLinear(comparison.Right, scope, ImmutableArray<IndexVariable>.Empty);
        if (left is null || right is null || !UnifyUnits(comparison, left.Unit, right.Unit, out _))
        {
            return;
        }

        var resources = left.Resources.Concat(right.Resources).ToList();
        if (resources.Count > 1)
        {
            _diagnostics.ReportResourcePlacement(resources[1].Span, resources[1].Resource.Name, "is a second resource in this row; a row budgets one resource ('@" + resources[0].Resource.Name + "')");
            return;
        }

        // sum(L) - sum(R) (<= | ==) R_const - L_const (+ budget), or flipped for >=.
        var terms = new List<LinearTerm>(left.Terms);
        terms.AddRange(right.Terms.Select(static t => t with { Coefficient = ValueMath.Negate(t.Coefficient) }));
        var rhs = ValueMath.Subtract(right.Constant, left.Constant);
        var resourceSign = 0.0;
        ResourceReference? resource = resources.Count == 1 ? resources[0] : null;
        if (resource is not null)
        {
            if (resource.InSum || !resource.Coefficient.IsConstant || System.Math.Abs(resource.Coefficient.Constant) != 1)
            {
                _diagnostics.ReportResourcePlacement(resource.Span, resource.Resource.Name, "stands alone on one side of its row, not summed nor multiplied");
                return;
            }

            resourceSign = right.Resources.Count == 1 ? resource.Coefficient.Constant : -resource.Coefficient.Constant;
        }

        if (op == SyntaxKind.GreaterOrEqualToken || (op == SyntaxKind.EqualsEqualsToken && resourceSign < 0))
        {
            terms = terms.Select(static t => t with { Coefficient = ValueMath.Negate(t.Coefficient) }).ToList();
            rhs = ValueMath.Negate(rhs);
            resourceSign = -resourceSign;
        }

        if (resource is not null && resourceSign < 0)
        {
            _diagnostics.ReportResourcePlacement(resource.Span, resource.Resource.Name, "is on the small side of its row; a budget bounds its load from above ('@" + resource.Resource.Name + " >= load')");
            return;
        }

        terms.RemoveAll(static t => ValueMath.IsZero(t.Coefficient));
        if (terms.Count == 0)
        {
            _diagnostics.ReportCoupleShape(comparison.Span, "a comparison that loads no variable");
            return;
        }

        // Name and quantifiers.
        string name;
        ImmutableArray<IndexBinding> quantifiers;
        if (resource is not null)
        {
            name = resource.Resource.Name;
            if (syntax.Label is { } label)
            {
                _diagnostics.ReportLabelOnResourceRow(label.Span, name, label.Text);
                return;
            }

            foreach (var free in scope.Free)
            {
                if (!resource.Subscript.Contains(free.Name))
                {
                    _diagnostics.ReportFreeIndexInRow(free.Span, free.Name, name, free.Set?.Name ?? "...");
                    return;
                }
            }

            quantifiers = resource.Subscript.Select((v, i) => new IndexBinding(v, resource.Resource.IndexSets[i].Name)).ToImmutableArray();
            var names = resource.Resource.IndexSets.Select(static s => s.Name).ToList();
            var budget = ValueMath.Rename(resource.Resource.Budget, v => names.IndexOf(v) is var k && k >= 0 ? resource.Subscript[k] : v);
            rhs = ValueMath.Add(rhs, budget);
            if (_rowNames.ContainsKey(name))
            {
                _diagnostics.ReportDuplicateDeclaration(resource.Span, "'@" + name + "'", "a couple row");
                return;
            }
        }
        else
        {
            if (syntax.Label is not { } label)
            {
                _diagnostics.ReportRowNeedsName(comparison.Span);
                return;
            }

            if (!CheckName(label))
            {
                return;
            }

            name = label.Text;
            if (_rowNames.ContainsKey(name) || _resources.ContainsKey(name))
            {
                _diagnostics.ReportDuplicateName(label.Span, name, _resources.ContainsKey(name) ? "a resource" : "a row label");
                return;
            }

            quantifiers = scope.Free.Select(static v => new IndexBinding(v.Name, v.Set!.Name)).ToImmutableArray();
            if (syntax.LabelIndices is { } named)
            {
                // `balance[m]:` names the row's free indices, each once, in the order of its rows.
                const string LabelRule = " in the label (the label names the indices the row ranges over, each once)";
                foreach (var free in scope.Free.Where(f => !named.Names.Any(n => n.Text == f.Name)))
                {
                    _diagnostics.ReportUndefinedName(free.Span, "Row index", free.Name, LabelRule);
                    return;
                }

                var ordered = new List<IndexBinding>();
                foreach (var index in named.Names)
                {
                    var binding = quantifiers.FirstOrDefault(q => q.Variable == index.Text);
                    if (binding is null || ordered.Contains(binding))
                    {
                        _diagnostics.ReportUndefinedName(index.Span, "Row index", index.Text, LabelRule);
                        return;
                    }

                    ordered.Add(binding);
                }

                quantifiers = ordered.ToImmutableArray();
            }
        }

        _rowNames.Add(name, syntax.Span);
        var spec = new CouplingSpec(
            name,
            resource?.Resource.Name,
            quantifiers.ToEquatableArray(),
            terms.Select(static t => new TermSpec(
                t.Coefficient,
                t.Variable.Name,
                t.Subscript.ToEquatableArray(),
                t.Sums.Select(static s => new IndexBinding(s.Name, s.Set!.Name)).ToEquatableArray())).ToEquatableArray(),
            op == SyntaxKind.EqualsEqualsToken ? RowSense.Equal : RowSense.LessOrEqual,
            rhs,
            Statement(syntax));
        _fibre.Rows.Add(new Bound<CouplingSpec>(spec, syntax.Span));
    }

    private LinearForm? BindLinear(ExpressionSyntax syntax, IndexScope scope, ImmutableArray<IndexVariable> sums)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (IsPureValue(syntax))
        {
            var value = BindValue(syntax, scope);
            return value.IsError ? null : new LinearForm { Constant = value.Spec!, Unit = value.Unit };
        }

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return BindLinear(parenthesized.Expression, scope, sums);
            case UnaryExpressionSyntax unary:
                {
                    var operand = BindLinear(unary.Operand, scope, sums);
                    if (operand is not null && unary.OperatorToken.Kind == SyntaxKind.MinusToken)
                    {
                        operand.Negate();
                    }

                    return operand;
                }

            case NameExpressionSyntax { NameKind: SyntaxKind.VariableExpression } name:
                {
                    var variable = LookupVariable(name.Identifier);
                    if (variable is null)
                    {
                        return null;
                    }

                    var subscript = ResolveSubscript(name, variable.IndexSets, scope);
                    if (subscript is null)
                    {
                        return null;
                    }

                    var form = new LinearForm { Unit = variable.Unit };
                    form.Terms.Add(new LinearTerm(ValueMath.One, variable, subscript.Value, sums, name.Span));
                    return form;
                }

            case NameExpressionSyntax { NameKind: SyntaxKind.ResourceExpression } name:
                {
                    var resource = LookupResource(name.Identifier);
                    if (resource is null)
                    {
                        return null;
                    }

                    var subscript = ResolveSubscript(name, resource.IndexSets, scope);
                    if (subscript is null)
                    {
                        return null;
                    }

                    var form = new LinearForm { Unit = resource.Unit };
                    form.Resources.Add(new ResourceReference(resource, subscript.Value, ValueMath.One, !sums.IsEmpty, name.Span));
                    return form;
                }

            case NameExpressionSyntax { NameKind: SyntaxKind.PriceExpression } name:
                _diagnostics.ReportWrongNameKind(name.Span, name.SigilName, "a price", "a variable, a resource or a value in a row");
                return null;
            case BinaryExpressionSyntax binary when binary.OperatorToken.Kind.IsComparison():
                _diagnostics.ReportCoupleShape(binary.Span, "a comparison inside a comparison");
                return null;
            case BinaryExpressionSyntax binary:
                return BindLinearBinary(binary, scope, sums);
            case SumExpressionSyntax sum:
                return BindLinearSum(sum, scope, sums);
            case CallExpressionSyntax call:
                _diagnostics.ReportNonlinearRow(call.Span, "'" + call.Identifier.Text + "(...)' is not; nonlinear functions belong in utilities");
                return null;
            case ErrorExpressionSyntax:
                return null;
            default:
                _diagnostics.ReportExpectedConstant(syntax.Span, Describe(syntax));
                return null;
        }
    }

    private LinearForm? BindLinearBinary(BinaryExpressionSyntax binary, IndexScope scope, ImmutableArray<IndexVariable> sums)
    {
        var left = BindLinear(binary.Left, scope, sums);
        var right = BindLinear(binary.Right, scope, sums);
        if (left is null || right is null)
        {
            return null;
        }

        switch (binary.OperatorToken.Kind)
        {
            case SyntaxKind.PlusToken:
            case SyntaxKind.MinusToken:
                if (!UnifyUnits(binary, left.Unit, right.Unit, out var unit))
                {
                    return null;
                }

                if (binary.OperatorToken.Kind == SyntaxKind.MinusToken)
                {
                    right.Negate();
                }

                left.AddRange(right);
                left.Unit = unit;
                return left;
            case SyntaxKind.StarToken:
                if (!left.IsPure && !right.IsPure)
                {
                    _diagnostics.ReportNonlinearRow(binary.Span, "'" + Shorten(_tree.GetStatementText(binary.Span)) + "' multiplies two variables");
                    return null;
                }

                var (scaled, factor) = left.IsPure ? (right, left) : (left, right);
                scaled.Scale(factor.Constant);
                scaled.Unit = MultiplyUnits(left.Unit, right.Unit);
                return scaled;
            case SyntaxKind.SlashToken:
                if (!right.IsPure)
                {
                    _diagnostics.ReportNonlinearRow(binary.Span, "'" + Shorten(_tree.GetStatementText(binary.Span)) + "' divides by a variable");
                    return null;
                }

                if (right.Constant.IsConstant && right.Constant.Constant == 0)
                {
                    _diagnostics.ReportDivisionByZero(binary.Span, "'" + _tree.GetStatementText(binary.Span) + "'");
                    return null;
                }

                left.Scale(ValueMath.Divide(ValueMath.One, right.Constant));
                left.Unit = DivideUnits(left.Unit, right.Unit);
                return left;
            default:
                _diagnostics.ReportNonlinearRow(binary.Span, "'" + Shorten(_tree.GetStatementText(binary.Span)) + "' raises a variable to a power");
                return null;
        }
    }

    private LinearForm? BindLinearSum(SumExpressionSyntax sum, IndexScope scope, ImmutableArray<IndexVariable> sums)
    {
        if (sum.Index.IsMissing || !CheckName(sum.Index))
        {
            return null;
        }

        IndexSymbol? set = null;
        if (sum.Set is { } setToken)
        {
            if (!_names.TryGetValue(setToken.Text, out var symbol))
            {
                _diagnostics.ReportUndefinedName(setToken.Span, "Index set", setToken.Text, DidYouMean(setToken.Text, _fibre.Indices.Select(static i => i.Name)));
                return null;
            }

            if (symbol is not IndexSymbol index)
            {
                _diagnostics.ReportWrongNameKind(setToken.Span, setToken.Text, symbol.KindText, "an index set");
                return null;
            }

            if (index.IsError)
            {
                return null;
            }

            set = index;
        }

        if (scope.Lookup(sum.Index.Text) is not null || (_names.TryGetValue(sum.Index.Text, out var named) && named is not IndexSymbol))
        {
            _diagnostics.ReportDuplicateName(sum.Index.Span, sum.Index.Text, scope.Lookup(sum.Index.Text) is not null ? "an index of this statement" : _names[sum.Index.Text].KindText);
            return null;
        }

        var variable = new IndexVariable(sum.Index.Text, set, isSum: true, sum.Index.Span);
        var inner = scope.Child();
        inner.DeclareSum(variable);
        var body = BindLinear(sum.Body, inner, sums.Add(variable));
        if (body is null)
        {
            return null;
        }

        if (variable.Set is null)
        {
            _diagnostics.ReportInvalidIndex(sum.Index.Span, sum.Index.Text, "the sum names no set and nothing in its body ranges over it; write 'sum(" + sum.Index.Text + " in set) ...'");
            return null;
        }

        if (!ValueMath.IsZero(body.Constant))
        {
            _diagnostics.ReportConstantInSum(sum.Span, sum.Index.Text);
            return null;
        }

        // The body extends over + and -: a term that never mentions the index is repeated per member.
        foreach (var term in body.Terms)
        {
            if (!term.Subscript.Contains(variable.Name) && !Uses(term.Coefficient, variable.Name))
            {
                _diagnostics.ReportTermIgnoresSum(term.Span, "$" + term.Variable.Name, variable.Name);
            }
        }

        return body;
    }

    /// <summary>True when <paramref name="value"/> reads a column or a table entry at the index variable <paramref name="name"/>.</summary>
    private static bool Uses(ValueSpec value, string name) =>
        value.IndexVariable == name || value.ColumnIndexVariable == name || value.Operands.Any(o => Uses(o, name));

    /// <summary>True when the expression reads no variable, resource or price and has no sum or call.</summary>
    private static bool IsPureValue(ExpressionSyntax syntax)
    {
        var stack = new Stack<ExpressionSyntax>();
        stack.Push(syntax);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case NameExpressionSyntax name when name.NameKind != SyntaxKind.NameExpression:
                case SumExpressionSyntax:
                case CallExpressionSyntax:
                case ErrorExpressionSyntax:
                    return false;
                case BinaryExpressionSyntax binary:
                    if (binary.OperatorToken.Kind.IsComparison())
                    {
                        return false;
                    }

                    stack.Push(binary.Left);
                    stack.Push(binary.Right);
                    break;
                case UnaryExpressionSyntax unary:
                    stack.Push(unary.Operand);
                    break;
                case ParenthesizedExpressionSyntax parenthesized:
                    stack.Push(parenthesized.Expression);
                    break;
            }
        }

        return true;
    }
}
