using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Sigil.Runtime.Solvers;
using Sigil.Tests.Shared;

namespace Sigil.Generators.Tests;

/// <summary>
/// The generated <c>CreateProblem</c> walks a two-dimensional table's nonzeros, along its rows and
/// down its columns, and builds the A that the table's entries define.
/// </summary>
public sealed class SparseWalkTests
{
    private static (Type Fibre, int Size, double[,] S) Compile(int size, int nonzeros)
    {
        var (fibre, files) = SparseTables.Square(size, nonzeros);
        var texts = files.Select(static f => (AdditionalText)new GeneratorHost.InMemoryText("/sparse/" + f.Key, f.Value))
            .Append(new GeneratorHost.InMemoryText("/sparse/flow.sigil", fibre))
            .ToImmutableArray();
        var s = new double[size, size];
        if (size <= 100)
        {
            foreach (var line in files["incidence.csv"].Split('\n').Skip(1).Where(static l => l.Length > 0))
            {
                var f = line.Split(',');
                s[int.Parse(f[0][1..], CultureInfo.InvariantCulture), int.Parse(f[1][1..], CultureInfo.InvariantCulture)] = double.Parse(f[2], CultureInfo.InvariantCulture);
            }
        }

        return (GeneratorTests.CompileToAssembly(texts).GetType("Consumer.Fibres.FlowFibre")!, size, s);
    }

    private static CouplingMatrix CreateProblem(Type fibre)
    {
        var problem = fibre.GetMethod("CreateProblem", Type.EmptyTypes)!.Invoke(null, null)!;
        return (CouplingMatrix)problem.GetType().GetProperty("Coupling")!.GetValue(problem)!;
    }

    [Fact]
    public void CreateProblem_RowAndColumnWalks_GiveTheMatrixTheEntriesDefine()
    {
        var (fibre, n, s) = Compile(12, 36);
        var a = CreateProblem(fibre);

        // balance[i] over $v[j]: S[i, j]; cut[j] over $p[i]: 2 S[i, j]. Nothing else, no zero.
        var expected = new double[2 * n, 2 * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                expected[i, j] = s[i, j];
                expected[n + j, n + i] = 2 * s[i, j];
            }
        }

        Assert.Equal((2 * n, 2 * n), (a.RowCount, a.ColumnCount));
        Assert.Equal(2 * 36, a.NonZeroCount);
        var actual = new double[2 * n, 2 * n];
        for (var row = 0; row < a.RowCount; row++)
        {
            for (var k = a.RowStart[row]; k < a.RowStart[row + 1]; k++)
            {
                Assert.NotEqual(0, a.RowValue[k]);
                actual[row, a.RowColumn[k]] = a.RowValue[k];
            }
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void CreateProblem_20000By20000TableWith1e5Nonzeros_IsBuiltInBoundedTime()
    {
        var (fibre, _, _) = Compile(20_000, 100_000);
        CreateProblem(fibre); // JIT and the type's static tables

        GC.Collect();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var a = CreateProblem(fibre);
        clock.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Every (row, column) pair would be 8e8 lookups; the walks visit 2e5 entries.
        Assert.Equal((40_000, 40_000, 200_000), (a.RowCount, a.ColumnCount, a.NonZeroCount));
        Console.WriteLine($"CreateProblem, 20000 x 20000 with 1e5 nonzeros: {clock.Elapsed.TotalMilliseconds:F0} ms, {allocated / 1e6:F0} MB allocated");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString());
        Assert.True(allocated < 200_000_000L, allocated.ToString(CultureInfo.InvariantCulture));
    }
}
