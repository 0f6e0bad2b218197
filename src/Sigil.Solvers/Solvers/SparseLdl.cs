using System;
using System.Collections.Generic;

namespace Sigil.Runtime.Solvers;

/// <summary>
/// <c>P K P^T = L D L^T</c> of a sparse symmetric quasi-definite matrix (here the KKT matrix
/// <c>[H A^T; A -R]</c> with <c>H, R</c> positive diagonal), which has such a factorisation for every
/// symmetric ordering. The ordering is a minimum-degree ordering of the matrix's graph (to keep the
/// fill low); the symbolic step (elimination tree and column counts) is done once per pattern, the
/// numeric step whenever the values change (a new rho).
/// </summary>
/// <remarks>
/// Written here: no package NuGet serves here offers a sparse LDL^T (MathNet.Numerics has dense
/// factorisations and iterative sparse solvers only). The symbolic and numeric steps follow the
/// up-looking algorithm of Davis's LDL (ACM TOMS 2005): row k of L is found by walking the
/// elimination tree from the nonzeros of column k of the upper triangle. The ordering is plain
/// minimum degree on the explicit elimination graph (not AMD's quotient graph): enough for the
/// flux-balance and network KKT systems here, which have at most tens of thousands of rows.
/// </remarks>
internal sealed class SparseLdl
{
    private readonly int _n;
    private readonly int[] _perm;
    private readonly int[] _inverse;

    // Upper triangle of the permuted matrix, by column; _map[p] is the index of that entry in the
    // caller's value array (entries given twice are summed).
    private readonly int[] _upperStart;
    private readonly int[] _upperRow;
    private readonly int[] _map;
    private readonly double[] _upperValue;
    private readonly int[] _parent;
    private readonly int[] _lStart;
    private readonly int[] _lRow;
    private readonly double[] _lValue;
    private readonly double[] _d;
    private readonly int[] _lnz;
    private readonly int[] _flag;
    private readonly int[] _pattern;
    private readonly double[] _y;
    private readonly double[] _work;

    /// <summary>Orders and analyses the pattern of the symmetric matrix given by the entries (row, column) of its upper or lower triangle (or both).</summary>
    public SparseLdl(int n, IReadOnlyList<int> rows, IReadOnlyList<int> columns)
    {
        _n = n;
        _perm = MinimumDegree(n, rows, columns);
        _inverse = new int[n];
        for (int k = 0; k < n; k++)
        {
            _inverse[_perm[k]] = k;
        }

        // Entries into permuted upper-triangular positions, grouped by column.
        int count = rows.Count;
        var counts = new int[n + 1];
        var pr = new int[count];
        var pc = new int[count];
        for (int e = 0; e < count; e++)
        {
            int i = _inverse[rows[e]];
            int j = _inverse[columns[e]];
            (pr[e], pc[e]) = i <= j ? (i, j) : (j, i);
            counts[pc[e] + 1]++;
        }

        for (int k = 0; k < n; k++)
        {
            counts[k + 1] += counts[k];
        }

        _upperStart = counts;
        _upperRow = new int[count];
        _map = new int[count];
        var next = (int[])counts.Clone();
        for (int e = 0; e < count; e++)
        {
            int p = next[pc[e]]++;
            _upperRow[p] = pr[e];
            _map[p] = e;
        }

        _upperValue = new double[count];
        _parent = new int[n];
        _lnz = new int[n];
        _flag = new int[n];
        _lStart = new int[n + 1];
        for (int k = 0; k < n; k++)
        {
            _parent[k] = -1;
            _flag[k] = k;
            _lnz[k] = 0;
            for (int p = _upperStart[k]; p < _upperStart[k + 1]; p++)
            {
                for (int i = _upperRow[p]; i < k && _flag[i] != k; i = _parent[i])
                {
                    if (_parent[i] == -1)
                    {
                        _parent[i] = k;
                    }

                    _lnz[i]++;
                    _flag[i] = k;
                }
            }
        }

        for (int k = 0; k < n; k++)
        {
            _lStart[k + 1] = _lStart[k] + _lnz[k];
        }

        _lRow = new int[_lStart[n]];
        _lValue = new double[_lStart[n]];
        _d = new double[n];
        _pattern = new int[n];
        _y = new double[n];
        _work = new double[n];
    }

    /// <summary>Nonzeros of L (the fill the ordering left).</summary>
    public int FactorNonZeros => _lStart[_n];

    /// <summary>
    /// Factorises the matrix with entry values <paramref name="values"/> (same order as the pattern).
    /// Returns false when a pivot is zero or not finite (the matrix is singular for this ordering).
    /// </summary>
    public bool Factorize(ReadOnlySpan<double> values)
    {
        Array.Clear(_upperValue);
        for (int p = 0; p < _map.Length; p++)
        {
            _upperValue[p] += values[_map[p]];
        }

        for (int k = 0; k < _n; k++)
        {
            _y[k] = 0;
            int top = _n;
            _flag[k] = k;
            _lnz[k] = 0;
            for (int p = _upperStart[k]; p < _upperStart[k + 1]; p++)
            {
                int i = _upperRow[p];
                _y[i] += _upperValue[p];
                int length = 0;
                for (; _flag[i] != k; i = _parent[i])
                {
                    _pattern[length++] = i;
                    _flag[i] = k;
                }

                while (length > 0)
                {
                    _pattern[--top] = _pattern[--length];
                }
            }

            _d[k] = _y[k];
            _y[k] = 0;
            for (; top < _n; top++)
            {
                int i = _pattern[top];
                double yi = _y[i];
                _y[i] = 0;
                int end = _lStart[i] + _lnz[i];
                for (int p = _lStart[i]; p < end; p++)
                {
                    _y[_lRow[p]] -= _lValue[p] * yi;
                }

                double lki = yi / _d[i];
                _d[k] -= lki * yi;
                _lRow[end] = k;
                _lValue[end] = lki;
                _lnz[i]++;
            }

            if (_d[k] == 0 || !double.IsFinite(_d[k]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Solves <c>K x = b</c> in place (<paramref name="b"/> becomes x).</summary>
    public void Solve(Span<double> b)
    {
        for (int k = 0; k < _n; k++)
        {
            _work[k] = b[_perm[k]];
        }

        for (int j = 0; j < _n; j++)
        {
            double xj = _work[j];
            for (int p = _lStart[j]; p < _lStart[j + 1]; p++)
            {
                _work[_lRow[p]] -= _lValue[p] * xj;
            }
        }

        for (int j = 0; j < _n; j++)
        {
            _work[j] /= _d[j];
        }

        for (int j = _n - 1; j >= 0; j--)
        {
            double sum = _work[j];
            for (int p = _lStart[j]; p < _lStart[j + 1]; p++)
            {
                sum -= _lValue[p] * _work[_lRow[p]];
            }

            _work[j] = sum;
        }

        for (int k = 0; k < _n; k++)
        {
            b[_perm[k]] = _work[k];
        }
    }

    /// <summary>
    /// Minimum degree on the elimination graph: repeatedly eliminate a node of least current degree
    /// (ties to the lowest index, so the ordering is deterministic), joining its neighbours into a clique.
    /// </summary>
    private static int[] MinimumDegree(int n, IReadOnlyList<int> rows, IReadOnlyList<int> columns)
    {
        var adjacency = new HashSet<int>[n];
        for (int i = 0; i < n; i++)
        {
            adjacency[i] = new HashSet<int>();
        }

        for (int e = 0; e < rows.Count; e++)
        {
            if (rows[e] != columns[e])
            {
                adjacency[rows[e]].Add(columns[e]);
                adjacency[columns[e]].Add(rows[e]);
            }
        }

        // Buckets of nodes by degree, for the next least-degree node in O(1) amortised.
        var queue = new SortedSet<(int Degree, int Node)>();
        for (int i = 0; i < n; i++)
        {
            queue.Add((adjacency[i].Count, i));
        }

        var order = new int[n];
        var eliminated = new bool[n];
        var neighbours = new List<int>();
        for (int k = 0; k < n; k++)
        {
            var (_, v) = queue.Min;
            queue.Remove(queue.Min);
            order[k] = v;
            eliminated[v] = true;
            neighbours.Clear();
            neighbours.AddRange(adjacency[v]);
            foreach (int u in neighbours)
            {
                queue.Remove((adjacency[u].Count, u));
                adjacency[u].Remove(v);
            }

            for (int a = 0; a < neighbours.Count; a++)
            {
                for (int b = a + 1; b < neighbours.Count; b++)
                {
                    int u = neighbours[a];
                    int w = neighbours[b];
                    if (adjacency[u].Add(w))
                    {
                        adjacency[w].Add(u);
                    }
                }
            }

            foreach (int u in neighbours)
            {
                queue.Add((adjacency[u].Count, u));
            }

            adjacency[v].Clear();
        }

        return order;
    }
}
