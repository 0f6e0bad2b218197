using System;
using System.Collections.Generic;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The classes of random instances the status tests draw from.</summary>
internal enum InstanceClass
{
    Log,
    WeightedLog,
    AlphaHalf,
    AlphaTwo,
    AlphaFive,
    Quadratic,
    Linear,
    MixedSign,
    ZeroCapacity,
    Tight,
    Loose,
    NearlyInfeasible,
    Infeasible,
    WideScale,

    /// <summary>
    /// <see cref="WideScale"/> written in mixed units: each row in units 1e-3, 1, 1e3 or 1e6 of the
    /// others (its coefficients and budget multiplied), each variable in units 1e-3, 1 or 1e3 (its
    /// coefficients divided, its bounds and log offset multiplied). The same problem up to units.
    /// </summary>
    MixedUnits,
}

/// <summary>
/// Small random NUM instances of every <see cref="InstanceClass"/>, deterministic per seed: 24 agents
/// over 8 rows, each agent on 1 to 3 rows.
/// </summary>
internal static class InstanceClasses
{
    public const int Agents = 24;

    public const int Resources = 8;

    public static IEnumerable<(InstanceClass Class, ulong Seed, NumInstance Instance)> All(int perClass)
    {
        foreach (InstanceClass kind in Enum.GetValues<InstanceClass>())
        {
            for (int i = 0; i < perClass; i++)
            {
                ulong seed = (ulong)(1000 * (int)kind + i + 1);
                yield return (kind, seed, Create(kind, seed));
            }
        }
    }

    /// <summary>
    /// A random sparse coupling: each agent loads 1 to 3 distinct rows with coefficients in
    /// [0.5, 1.5], each negated with probability <paramref name="negate"/> (0 draws nothing more).
    /// </summary>
    internal static (List<int> Rows, List<int> Columns, List<double> Values) RandomCoupling(ref SplitMix64 rng, int n, int m, double negate)
    {
        var rows = new List<int>();
        var columns = new List<int>();
        var values = new List<double>();
        Span<bool> used = stackalloc bool[m];
        for (int s = 0; s < n; s++)
        {
            used.Clear();
            int count = 1 + rng.Next(3);
            for (int j = 0; j < count; j++)
            {
                int l = rng.Next(m);
                if (used[l])
                {
                    continue;
                }

                used[l] = true;
                double v = rng.Uniform(0.5, 1.5);
                if (negate > 0 && rng.NextDouble() < negate)
                {
                    v = -v;
                }

                rows.Add(l);
                columns.Add(s);
                values.Add(v);
            }
        }

        return (rows, columns, values);
    }

    public static NumInstance Create(InstanceClass kind, ulong seed) => Build(kind, seed).Instance;

    /// <summary>
    /// The instance CVXOPT is given for a reference objective, and what to add to its objective: for
    /// <see cref="InstanceClass.MixedUnits"/>, the same problem in consistent units (CVXOPT stops short
    /// on the mixed-unit form) and <c>sum_s w_s log k_s</c> (a log utility in units <c>k_s</c> is the
    /// consistent one plus <c>w_s log k_s</c>); for every other class, the instance itself and 0.
    /// </summary>
    public static (NumInstance Consistent, double Shift) Reference(InstanceClass kind, ulong seed)
    {
        var (_, consistent, shift) = Build(kind, seed);
        return (consistent, shift);
    }

    private static (NumInstance Instance, NumInstance Consistent, double Shift) Build(InstanceClass kind, ulong seed)
    {
        var rng = new SplitMix64(seed);
        int n = Agents;
        int m = Resources;
        var (rows, columns, values) = RandomCoupling(ref rng, n, m, kind == InstanceClass.MixedSign ? 0.3 : 0);

        var capacity = new double[m];
        var senses = new RowSense[m];
        for (int l = 0; l < m; l++)
        {
            capacity[l] = kind switch
            {
                InstanceClass.Tight => rng.Uniform(0.05, 0.2),
                InstanceClass.Loose => rng.Uniform(200, 400),
                InstanceClass.WideScale or InstanceClass.MixedUnits => Math.Pow(10, rng.Uniform(-3, 6)),
                InstanceClass.ZeroCapacity when l % 3 == 0 => 0,
                _ => rng.Uniform(3, 12),
            };
            senses[l] = RowSense.LessOrEqual;
        }

        var kindOf = new UtilityKind[n];
        var weight = new double[n];
        var offset = new double[n];
        var shape = new double[n];
        var lower = new double[n];
        var upper = new double[n];
        for (int s = 0; s < n; s++)
        {
            weight[s] = kind == InstanceClass.Log ? 1 : rng.Uniform(0.5, 4);
            offset[s] = 1e-2;
            upper[s] = kind == InstanceClass.Loose ? rng.Uniform(5, 20) : 100;
            switch (kind)
            {
                case InstanceClass.AlphaHalf:
                    kindOf[s] = UtilityKind.AlphaFair;
                    shape[s] = 0.5;
                    break;
                case InstanceClass.AlphaTwo:
                    kindOf[s] = UtilityKind.AlphaFair;
                    shape[s] = 2;
                    break;
                case InstanceClass.AlphaFive:
                    kindOf[s] = UtilityKind.AlphaFair;
                    shape[s] = 5;
                    break;
                case InstanceClass.Quadratic:
                    kindOf[s] = UtilityKind.Quadratic;
                    weight[s] = rng.Uniform(2, 6);
                    shape[s] = rng.Uniform(0.2, 2);
                    break;
                case InstanceClass.Linear:
                    kindOf[s] = UtilityKind.Linear;
                    upper[s] = rng.Uniform(1, 10);
                    break;
                default:
                    kindOf[s] = UtilityKind.Log;
                    break;
            }
        }

        // Lower bounds: the nearly infeasible class leaves 1% of each row free above them, the
        // infeasible class overloads one row by its lower bounds alone.
        if (kind is InstanceClass.NearlyInfeasible or InstanceClass.Infeasible)
        {
            var floorLoad = new double[m];
            for (int k = 0; k < rows.Count; k++)
            {
                floorLoad[rows[k]] += values[k];
            }

            double worst = double.PositiveInfinity;
            for (int l = 0; l < m; l++)
            {
                if (floorLoad[l] > 0)
                {
                    worst = Math.Min(worst, capacity[l] / floorLoad[l]);
                }
            }

            double level = kind == InstanceClass.Infeasible ? 1.2 * worst : 0.99 * worst;
            Array.Fill(lower, level);
        }

        var instance = new NumInstance
        {
            Agents = n,
            Resources = m,
            Rows = rows.ToArray(),
            Columns = columns.ToArray(),
            Values = values.ToArray(),
            Capacity = capacity,
            Senses = senses,
            Kind = kindOf,
            Weight = weight,
            Offset = offset,
            Shape = shape,
            Lower = lower,
            Upper = upper,
        };
        if (kind != InstanceClass.MixedUnits)
        {
            return (instance, instance, 0);
        }

        (NumInstance inUnits, double shift) = instance.InUnits(rng.NextUInt64());
        return (inUnits, instance, shift);
    }
}
