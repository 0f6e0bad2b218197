using System;
using System.Globalization;
using System.IO;
using System.Text;
using Sigil.Runtime.Solvers;

namespace Sigil.Benchmarks.Solvers;

/// <summary>
/// A NUM instance as plain arrays, its deterministic random generator, and the text format the
/// Python baselines read (benchmarks/baselines/num_format.py):
/// <code>
/// sigil-num 1
/// N L nnz
/// r le|eq c                                  (L lines)
/// a log|alpha|quad|lin w eps shape lo hi     (N lines; shape = alpha or k)
/// e row col value                            (nnz lines)
/// </code>
/// Numbers are written in round-trip form, so both sides read the same bits.
/// </summary>
internal sealed class NumInstance
{
    public required int Agents { get; init; }

    public required int Resources { get; init; }

    public required int[] Rows { get; init; }

    public required int[] Columns { get; init; }

    public required double[] Values { get; init; }

    public required double[] Capacity { get; init; }

    public required RowSense[] Senses { get; init; }

    public required UtilityKind[] Kind { get; init; }

    public required double[] Weight { get; init; }

    public required double[] Offset { get; init; }

    public required double[] Shape { get; init; }

    public required double[] Lower { get; init; }

    public required double[] Upper { get; init; }

    /// <summary>
    /// The benchmark family: each agent loads <paramref name="perAgent"/> distinct random resources
    /// with coefficients in [0.5, 1.5], weighted log utility (w in [1, 4], eps = 1e-3) on [0, 100];
    /// budgets in [15, 45] (about 10 x perAgent agents per row at N = 10 L, so x is about 1).
    /// Optionally a fraction of rows are equalities and agents of every family are mixed in.
    /// </summary>
    public static NumInstance Random(
        int agents, int resources, int perAgent, ulong seed, double equalityFraction = 0, bool mixed = false)
    {
        var rng = new SplitMix64(seed);
        int nnz = agents * perAgent;
        var rows = new int[nnz];
        var columns = new int[nnz];
        var values = new double[nnz];
        Span<int> picked = stackalloc int[perAgent];
        for (int s = 0; s < agents; s++)
        {
            for (int j = 0; j < perAgent; j++)
            {
                int l;
                do
                {
                    l = rng.Next(resources);
                }
                while (picked[..j].Contains(l));
                picked[j] = l;
                rows[s * perAgent + j] = l;
                columns[s * perAgent + j] = s;
                values[s * perAgent + j] = rng.Uniform(0.5, 1.5);
            }
        }

        var capacity = new double[resources];
        var senses = new RowSense[resources];
        for (int l = 0; l < resources; l++)
        {
            capacity[l] = rng.Uniform(15, 45) * perAgent / 3.0 * agents / (10.0 * resources);
            senses[l] = rng.NextDouble() < equalityFraction ? RowSense.Equal : RowSense.LessOrEqual;
        }

        var kind = new UtilityKind[agents];
        var weight = new double[agents];
        var offset = new double[agents];
        var shape = new double[agents];
        var lower = new double[agents];
        var upper = new double[agents];
        for (int s = 0; s < agents; s++)
        {
            kind[s] = mixed ? (UtilityKind)(rng.Next(8) switch { < 4 => 0, 4 or 5 => 1, 6 => 2, _ => 0 }) : UtilityKind.Log;
            weight[s] = rng.Uniform(1, 4);
            offset[s] = 1e-3;
            lower[s] = 0;
            upper[s] = 100;
            switch (kind[s])
            {
                case UtilityKind.AlphaFair:
                    shape[s] = rng.Uniform(0.5, 3);
                    if (Math.Abs(shape[s] - 1) < 0.05)
                    {
                        shape[s] = 2;
                    }

                    break;
                case UtilityKind.Quadratic:
                    shape[s] = rng.Uniform(0.5, 2);
                    weight[s] = rng.Uniform(2, 6);
                    break;
            }
        }

        return new NumInstance
        {
            Agents = agents,
            Resources = resources,
            Rows = rows,
            Columns = columns,
            Values = values,
            Capacity = capacity,
            Senses = senses,
            Kind = kind,
            Weight = weight,
            Offset = offset,
            Shape = shape,
            Lower = lower,
            Upper = upper,
        };
    }

    public CouplingMatrix Matrix() => CouplingMatrix.FromTriplets(Resources, Agents, Rows, Columns, Values);

    public NumProblem<LogAgents> LogProblem() =>
        new(Matrix(), (double[])Capacity.Clone(), Senses, new LogAgents(Weight, Offset, Lower, Upper));

    public NumProblem<MixedAgents> MixedProblem() =>
        new(Matrix(), (double[])Capacity.Clone(), Senses, new MixedAgents(Kind, Weight, Offset, Shape, Lower, Upper));

    /// <summary>
    /// The same problem written in mixed units: each row in units 1e-3, 1, 1e3 or 1e6 of this one's
    /// (its coefficients and budget multiplied), each variable in units <c>k_s</c> of 1e-3, 1 or 1e3
    /// (its coefficients divided, its bounds and offset multiplied), drawn from <paramref name="seed"/>.
    /// </summary>
    /// <returns>The instance, and how much its optimal objective exceeds this one's when every
    /// utility is a log (<c>sum_s w_s log k_s</c>: <c>w log(x + k eps) = w log(x / k + eps) + w log k</c>).</returns>
    public (NumInstance Instance, double Shift) InUnits(ulong seed)
    {
        var rng = new SplitMix64(seed);
        var rowUnit = new double[Resources];
        for (int l = 0; l < rowUnit.Length; l++)
        {
            rowUnit[l] = Math.Pow(10, 3 * rng.Next(4) - 3);
        }

        var columnUnit = new double[Agents];
        double shift = 0;
        for (int s = 0; s < columnUnit.Length; s++)
        {
            columnUnit[s] = Math.Pow(10, 3 * rng.Next(3) - 3);
            shift += Weight[s] * Math.Log(columnUnit[s]);
        }

        var values = new double[Values.Length];
        for (int k = 0; k < values.Length; k++)
        {
            values[k] = Values[k] * rowUnit[Rows[k]] / columnUnit[Columns[k]];
        }

        double[] InColumnUnits(double[] v)
        {
            var w = new double[v.Length];
            for (int s = 0; s < v.Length; s++)
            {
                w[s] = v[s] * columnUnit[s];
            }

            return w;
        }

        var capacity = new double[Resources];
        for (int l = 0; l < capacity.Length; l++)
        {
            capacity[l] = Capacity[l] * rowUnit[l];
        }

        return (new NumInstance
        {
            Agents = Agents,
            Resources = Resources,
            Rows = Rows,
            Columns = Columns,
            Values = values,
            Capacity = capacity,
            Senses = Senses,
            Kind = Kind,
            Weight = Weight,
            Offset = InColumnUnits(Offset),
            Shape = Shape,
            Lower = InColumnUnits(Lower),
            Upper = InColumnUnits(Upper),
        }, shift);
    }

    public void Write(string path)
    {
        var text = new StringBuilder();
        CultureInfo inv = CultureInfo.InvariantCulture;
        text.Append("sigil-num 1\n");
        text.Append(inv, $"{Agents} {Resources} {Values.Length}\n");
        for (int l = 0; l < Resources; l++)
        {
            text.Append(inv, $"r {(Senses[l] == RowSense.Equal ? "eq" : "le")} {Capacity[l]:R}\n");
        }

        for (int s = 0; s < Agents; s++)
        {
            string family = Kind[s] switch
            {
                UtilityKind.Log => "log",
                UtilityKind.AlphaFair => "alpha",
                UtilityKind.Quadratic => "quad",
                _ => "lin",
            };
            text.Append(inv, $"a {family} {Weight[s]:R} {Offset[s]:R} {Shape[s]:R} {Lower[s]:R} {Upper[s]:R}\n");
        }

        for (int k = 0; k < Values.Length; k++)
        {
            text.Append(inv, $"e {Rows[k]} {Columns[k]} {Values[k]:R}\n");
        }

        File.WriteAllText(path, text.ToString());
    }
}

/// <summary>SplitMix64 (Steele, Lea and Flood 2014): a tiny, fully specified generator, so instances are identical everywhere.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    public int Next(int n) => (int)(NextDouble() * n);
}
