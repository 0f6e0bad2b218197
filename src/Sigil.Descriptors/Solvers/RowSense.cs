namespace Sigil.Runtime.Solvers;

/// <summary>The sense of one coupling row <c>a_l x (&lt;= | ==) c_l</c>.</summary>
public enum RowSense : byte
{
    /// <summary><c>a_l x &lt;= c_l</c>: the row's price is projected onto <c>pi_l &gt;= 0</c>.</summary>
    LessOrEqual = 0,

    /// <summary><c>a_l x == c_l</c>: the row's price is free (any sign).</summary>
    Equal = 1,
}
