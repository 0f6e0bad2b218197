using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System;
using Sigil.Language.Diagnostics;
using Sigil.Language.Model;
using Sigil.Language.Syntax;
using Sigil.Runtime.Solvers;

namespace Sigil.Language.Binding;

internal sealed partial class Binder
{
    // utility $x[i] ~ expression;
    //
    // The expression is expanded into Const + a x + b x^2 + atoms (c log(x + eps), c (x + eps)^p)
    // and must be exactly one concave family: w log(x + eps), w fair(x + eps, a) (alpha-fair,
    // also written as a power), w x - k/2 x^2, or w x. Signs (w > 0, k > 0, a > 0) are checked
    // per member by the concavity analysis, which knows the table values.
    private void BindUtility(UtilityDeclarationSyntax syntax)
    {
        var variable = LookupVariable(syntax.Target.Identifier);
        if (variable is null)
        {
            return;
        }

        var scope = IndexScope.Open();
        var subscript = ResolveSubscript(syntax.Target, variable.IndexSets, scope);
        if (subscript is null)
        {
            return;
        }

        if (_fibre.Utilities.Any(u => u.Value.Variable == variable.Name))
        {
            _diagnostics.ReportDuplicateDeclaration(syntax.Target.Span, "'$" + variable.Name + "'", "a utility");
            return;
        }

        var target = new UtilityTarget(variable, subscript.Value);
        var form = BindUtilityForm(syntax.Expression, target, scope);
        if (form is null)
        {
            return;
        }

        var zero = ValueMath.Zero;
        UtilitySpec? spec = null;
        string? problem = null;
        if (form.Atoms.Count == 0)
        {
            if (!ValueMath.IsZero(form.Quadratic))
            {
                spec = new UtilitySpec(variable.Name, subscript.Value.ToEquatableArray(), UtilityKind.Quadratic, form.Linear, zero, zero, ValueMath.Multiply(ValueSpec.Of(-2), form.Quadratic), Statement(syntax));
            }
            else if (!ValueMath.IsZero(form.Linear))
            {
                spec = new UtilitySpec(variable.Name, subscript.Value.ToEquatableArray(), UtilityKind.Linear, form.Linear, zero, zero, zero, Statement(syntax));
            }
            else
            {
                problem = "it does not depend on '$" + variable.Name + "'";
            }
        }
        else if (form.Atoms.Count == 1 && ValueMath.IsZero(form.Linear) && ValueMath.IsZero(form.Quadratic))
        {
            var atom = form.Atoms[0];
            spec = atom.IsLog
                ? new UtilitySpec(variable.Name, subscript.Value.ToEquatableArray(), UtilityKind.Log, atom.Coefficient, atom.Offset, zero, zero, Statement(syntax))
                : new UtilitySpec(variable.Name, subscript.Value.ToEquatableArray(), UtilityKind.AlphaFair, ValueMath.Multiply(atom.Coefficient, ValueSpec.Of(atom.Exponent)), atom.Offset, ValueSpec.Of(1 - atom.Exponent), zero, Statement(syntax));
        }
        else
        {
            problem = "it combines several families (" + string.Join(", ", Families(form)) + ")";
        }

        if (spec is null)
        {
            _diagnostics.ReportUtilityNotRecognised(syntax.Expression.Span, variable.Name, problem!);
            return;
        }

        _fibre.Utilities.Add(new Bound<UtilitySpec>(spec, syntax.Expression.Span));
    }

    private static System.Collections.Generic.IEnumerable<string> Families(UtilityForm form)
    {
        if (!ValueMath.IsZero(form.Linear))
        {
            yield return "linear";
        }

        if (!ValueMath.IsZero(form.Quadratic))
        {
            yield return "quadratic";
        }

        foreach (var atom in form.Atoms)
        {
            yield return atom.IsLog ? "log" : "power";
        }
    }

    private sealed record UtilityTarget(VariableSymbol Variable, ImmutableArray<string> Subscript);

    private UtilityForm? BindUtilityForm(ExpressionSyntax syntax, UtilityTarget target, IndexScope scope)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (IsPureValue(syntax))
        {
            var value = BindValue(syntax, scope);
            return value.IsError ? null : new UtilityForm { Const = value.Spec! };
        }

        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return BindUtilityForm(parenthesized.Expression, target, scope);
            case UnaryExpressionSyntax unary:
                {
                    var operand = BindUtilityForm(unary.Operand, target, scope);
                    if (operand is not null && unary.OperatorToken.Kind == SyntaxKind.MinusToken)
                    {
                        operand.Scale(ValueSpec.Of(-1));
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

                    if (variable != target.Variable)
                    {
                        _diagnostics.ReportUtilityOfOtherVariable(name.Span, target.Variable.Name, "'" + name.SigilName + "'", SubscriptText(target.Subscript));
                        return null;
                    }

                    var subscript = ResolveSubscript(name, variable.IndexSets, scope);
                    if (subscript is null)
                    {
                        return null;
                    }

                    if (!subscript.Value.SequenceEqual(target.Subscript))
                    {
                        _diagnostics.ReportUtilityOfOtherVariable(name.Span, target.Variable.Name, "'" + name.SigilName + SubscriptText(subscript.Value) + "'", SubscriptText(target.Subscript));
                        return null;
                    }

                    return new UtilityForm { Linear = ValueMath.One };
                }

            case BinaryExpressionSyntax binary when !binary.OperatorToken.Kind.IsComparison():
                return BindUtilityBinary(binary, target, scope);
            case CallExpressionSyntax call:
                return BindUtilityCall(call, target, scope);
            case ErrorExpressionSyntax:
                return null;
            default:
                _diagnostics.ReportUtilityNotRecognised(syntax.Span, target.Variable.Name, Describe(syntax) + " has no place in a utility");
                return null;
        }
    }

    private UtilityForm? BindUtilityBinary(BinaryExpressionSyntax binary, UtilityTarget target, IndexScope scope)
    {
        var left = BindUtilityForm(binary.Left, target, scope);
        var right = BindUtilityForm(binary.Right, target, scope);
        if (left is null || right is null)
        {
            return null;
        }

        var text = "'" + Shorten(_tree.GetStatementText(binary.Span)) + "'";
        switch (binary.OperatorToken.Kind)
        {
            case SyntaxKind.PlusToken:
                left.Add(right);
                return left;
            case SyntaxKind.MinusToken:
                right.Scale(ValueSpec.Of(-1));
                left.Add(right);
                return left;
            case SyntaxKind.StarToken:
                if (left.IsPure || right.IsPure)
                {
                    var (scaled, factor) = left.IsPure ? (right, left) : (left, right);
                    scaled.Scale(factor.Const);
                    return scaled;
                }

                if (left.IsAffine && right.IsAffine)
                {
                    // (a x + b)(c x + d) = ac x^2 + (ad + bc) x + bd
                    return new UtilityForm
                    {
                        Quadratic = ValueMath.Multiply(left.Linear, right.Linear),
                        Linear = ValueMath.Add(ValueMath.Multiply(left.Linear, right.Const), ValueMath.Multiply(left.Const, right.Linear)),
                        Const = ValueMath.Multiply(left.Const, right.Const),
                    };
                }

                _diagnostics.ReportUtilityNotRecognised(binary.Span, target.Variable.Name, text + " multiplies functions of the variable");
                return null;
            case SyntaxKind.SlashToken:
                if (!right.IsPure)
                {
                    _diagnostics.ReportUtilityNotRecognised(binary.Span, target.Variable.Name, text + " divides by the variable");
                    return null;
                }

                if (right.Const.IsConstant && right.Const.Constant == 0)
                {
                    _diagnostics.ReportDivisionByZero(binary.Span, text);
                    return null;
                }

                left.Scale(ValueMath.Divide(ValueMath.One, right.Const));
                return left;
            case SyntaxKind.StarStarToken:
                if (!right.IsPure || !right.Const.IsConstant)
                {
                    _diagnostics.ReportUtilityNotRecognised(binary.Span, target.Variable.Name, text + " needs a constant exponent");
                    return null;
                }

                return Power(left, right.Const.Constant, binary, target);
            default:
                return null;
        }
    }

    private UtilityForm? Power(UtilityForm form, double exponent, SyntaxNode node, UtilityTarget target)
    {
        if (exponent == 0)
        {
            return new UtilityForm { Const = ValueMath.One };
        }

        if (exponent == 1)
        {
            return form;
        }

        if (!form.IsAffine || !form.Linear.IsConstant || form.Linear.Constant <= 0)
        {
            _diagnostics.ReportUtilityNotRecognised(node.Span, target.Variable.Name, "a power applies to 'x + eps' (a positive multiple of the variable plus an offset)");
            return null;
        }

        if (exponent == 2)
        {
            return new UtilityForm
            {
                Quadratic = ValueMath.Multiply(form.Linear, form.Linear),
                Linear = ValueMath.Multiply(ValueSpec.Of(2), ValueMath.Multiply(form.Linear, form.Const)),
                Const = ValueMath.Multiply(form.Const, form.Const),
            };
        }

        var scale = form.Linear.Constant;
        var result = new UtilityForm();
        result.Atoms.Add(new UtilityAtom(false, ValueSpec.Of(Math.Pow(scale, exponent)), ValueMath.Divide(form.Const, ValueSpec.Of(scale)), exponent));
        return result;
    }

    private UtilityForm? BindUtilityCall(CallExpressionSyntax call, UtilityTarget target, IndexScope scope)
    {
        var name = call.Identifier.Text;
        var expected = name switch
        {
            "log" or "sqrt" => 1,
            "fair" => 2,
            _ => -1,
        };
        if (expected < 0)
        {
            _diagnostics.ReportUtilityNotRecognised(call.Identifier.Span, target.Variable.Name, "'" + name + "' is not a utility function; use log, fair or sqrt");
            return null;
        }

        if (call.Arguments.Length != expected || call.Arguments.Any(static a => a.Name is not null || a.Value is null))
        {
            _diagnostics.ReportInvalidArgument(call.Span, "'" + name + "'", expected == 1 ? "takes one argument, x + eps" : "takes two arguments, x + eps and the constant a");
            return null;
        }

        var argument = BindUtilityForm(call.Arguments[0].Value!, target, scope);
        if (argument is null)
        {
            return null;
        }

        switch (name)
        {
            case "sqrt":
                return Power(argument, 0.5, call, target);
            case "fair":
                {
                    var alpha = BindValue(call.Arguments[1].Value!, scope);
                    if (alpha.IsError)
                    {
                        return null;
                    }

                    if (!alpha.Spec!.IsConstant)
                    {
                        _diagnostics.ReportExpectedConstant(call.Arguments[1].Span, "a value per member; 'a' of fair(x + eps, a) is one constant");
                        return null;
                    }

                    var a = alpha.Spec.Constant;
                    if (a == 1)
                    {
                        return Log(argument, call, target);
                    }

                    var power = Power(argument, 1 - a, call, target);
                    power?.Scale(ValueSpec.Of(1 / (1 - a)));
                    return power;
                }

            default:
                return Log(argument, call, target);
        }
    }

    private UtilityForm? Log(UtilityForm argument, CallExpressionSyntax call, UtilityTarget target)
    {
        if (!argument.IsAffine || !argument.Linear.IsConstant || argument.Linear.Constant <= 0)
        {
            _diagnostics.ReportUtilityNotRecognised(call.Span, target.Variable.Name, "log applies to 'x + eps' (a positive multiple of the variable plus an offset)");
            return null;
        }

        // log(c x + b) = log c + log(x + b / c); the constant does not move the optimum.
        var scale = argument.Linear.Constant;
        var result = new UtilityForm { Const = ValueSpec.Of(Math.Log(scale)) };
        result.Atoms.Add(new UtilityAtom(true, ValueMath.One, ValueMath.Divide(argument.Const, ValueSpec.Of(scale)), 0));
        return result;
    }

    private static string SubscriptText(ImmutableArray<string> subscript) =>
        subscript.IsEmpty ? string.Empty : "[" + string.Join(", ", subscript) + "]";
}
