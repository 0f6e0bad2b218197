using System;
using Sigil.Language.Model;

namespace Sigil.Language.Binding;

/// <summary>Arithmetic on <see cref="ValueSpec"/> that folds constants, so constant rows stay constants.</summary>
internal static class ValueMath
{
    public static readonly ValueSpec Zero = ValueSpec.Of(0);
    public static readonly ValueSpec One = ValueSpec.Of(1);

    public static bool IsZero(ValueSpec v) => v.IsConstant && v.Constant == 0;

    public static bool IsOne(ValueSpec v) => v.IsConstant && v.Constant == 1;

    public static ValueSpec Add(ValueSpec a, ValueSpec b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            return ValueSpec.Of(a.Constant + b.Constant);
        }

        return IsZero(a) ? b : IsZero(b) ? a : ValueSpec.Node(ValueKind.Add, a, b);
    }

    public static ValueSpec Subtract(ValueSpec a, ValueSpec b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            return ValueSpec.Of(a.Constant - b.Constant);
        }

        return IsZero(b) ? a : IsZero(a) ? Negate(b) : ValueSpec.Node(ValueKind.Subtract, a, b);
    }

    public static ValueSpec Multiply(ValueSpec a, ValueSpec b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            return ValueSpec.Of(a.Constant * b.Constant);
        }

        if (IsZero(a) || IsZero(b))
        {
            return Zero;
        }

        return IsOne(a) ? b : IsOne(b) ? a : ValueSpec.Node(ValueKind.Multiply, a, b);
    }

    /// <summary>a / b; the caller checks a constant zero divisor first.</summary>
    public static ValueSpec Divide(ValueSpec a, ValueSpec b)
    {
        if (a.IsConstant && b.IsConstant)
        {
            return ValueSpec.Of(a.Constant / b.Constant);
        }

        return IsOne(b) ? a : ValueSpec.Node(ValueKind.Divide, a, b);
    }

    public static ValueSpec Negate(ValueSpec a)
    {
        if (a.IsConstant)
        {
            return ValueSpec.Of(-a.Constant);
        }

        return a.Kind == ValueKind.Negate ? a.Operands[0] : ValueSpec.Node(ValueKind.Negate, a);
    }

    public static bool IsFinite(ValueSpec v)
    {
        if (v.IsConstant)
        {
            return !double.IsNaN(v.Constant) && !double.IsInfinity(v.Constant);
        }

        foreach (var operand in v.Operands)
        {
            if (!IsFinite(operand))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Replaces index variable names (a bound read at <c>domain</c> becomes a row's <c>d</c>).</summary>
    public static ValueSpec Rename(ValueSpec v, Func<string, string> rename)
    {
        if (v.Kind == ValueKind.Column)
        {
            return ValueSpec.ColumnAt(v.Table!, v.Column!, rename(v.IndexVariable!));
        }

        if (v.Kind == ValueKind.Entry)
        {
            return ValueSpec.EntryAt(v.Table!, rename(v.IndexVariable!), rename(v.ColumnIndexVariable!));
        }

        if (v.Operands.IsEmpty)
        {
            return v;
        }

        var operands = new ValueSpec[v.Operands.Count];
        for (var i = 0; i < operands.Length; i++)
        {
            operands[i] = Rename(v.Operands[i], rename);
        }

        return ValueSpec.Node(v.Kind, operands);
    }
}
