using System;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

public sealed class CouplingMatrixTests
{
    [Fact]
    public void FromTriplets_SumsDuplicates_AndKeepsBothOrientationsConsistent()
    {
        // Entries out of order, with (1, 2) given twice.
        var a = CouplingMatrix.FromTriplets(
            3, 4, [2, 1, 0, 1, 1, 2], [3, 2, 0, 0, 2, 1], [5.0, 1.0, 2.0, 3.0, 0.5, -4.0]);

        Assert.Equal(5, a.NonZeroCount);
        Assert.False(a.IsNonnegative);
        double[,] dense = { { 2, 0, 0, 0 }, { 3, 0, 1.5, 0 }, { 0, -4, 0, 5 } };
        double[] x = [1, 10, 100, 1000];
        var y = new double[3];
        a.Multiply(x, y);
        var pi = new double[] { 1, -2, 3 };
        var q = new double[4];
        a.MultiplyTransposed(pi, q);
        for (int l = 0; l < 3; l++)
        {
            double expected = 0;
            for (int s = 0; s < 4; s++)
            {
                expected += dense[l, s] * x[s];
            }

            Assert.Equal(expected, y[l]);
        }

        for (int s = 0; s < 4; s++)
        {
            double expected = 0;
            for (int l = 0; l < 3; l++)
            {
                expected += dense[l, s] * pi[l];
            }

            Assert.Equal(expected, q[s]);
            Assert.Equal(expected, a.PathPrice(s, pi));
        }

        Assert.Equal([0, 1, 2, 1, 2], a.ColumnRow.ToArray());
        Assert.Equal([0, 0, 2, 1, 3], a.RowColumn.ToArray());
    }

    [Fact]
    public void FromColumns_MatchesFromTriplets()
    {
        var fromColumns = CouplingMatrix.FromColumns(3, [0, 2, 3, 3], [0, 2, 1], [1.0, 2.0, 3.0]);
        var fromTriplets = CouplingMatrix.FromTriplets(3, 3, [0, 2, 1], [0, 0, 1], [1.0, 2.0, 3.0]);
        Assert.Equal(fromTriplets.RowStart.ToArray(), fromColumns.RowStart.ToArray());
        Assert.Equal(fromTriplets.RowColumn.ToArray(), fromColumns.RowColumn.ToArray());
        Assert.Equal(fromTriplets.RowValue.ToArray(), fromColumns.RowValue.ToArray());
        Assert.Equal(0, fromColumns.ColumnLength(2));
    }

    [Theory]
    [InlineData(3, 0, 1.0, "row 3")]
    [InlineData(0, 5, 1.0, "column 5")]
    [InlineData(0, 0, double.NaN, "not finite")]
    public void FromTriplets_BadEntry_ReportsIt(int row, int column, double value, string fragment)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => CouplingMatrix.FromTriplets(3, 4, [row], [column], [value]));
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void FromColumns_UnsortedRows_AreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => CouplingMatrix.FromColumns(3, [0, 2], [2, 1], [1.0, 1.0]));
        Assert.Contains("ascending", e.Message);
    }
}
