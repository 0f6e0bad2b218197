using System;
using System.Collections.Generic;
using Sigil.Benchmarks.Solvers;
using Sigil.Runtime.Solvers;

namespace Sigil.Runtime.Tests.Solvers;

/// <summary>The classes of linear and quadratic instances the QP engine's status tests draw from.</summary>
internal enum QpInstanceClass
{
    /// <summary>Linear utilities, <c>&lt;=</c> rows.</summary>
    Linear,

    /// <summary>Quadratic utilities, <c>&lt;=</c> rows.</summary>
    Quadratic,

    /// <summary>Linear and quadratic utilities, half the rows equalities (right-hand sides reachable inside the box).</summary>
    EqualityRows,

    /// <summary>Flux-balance-like: equality rows with mixed-sign coefficients and zero right-hand sides, most variables without utility.</summary>
    ZeroObjective,

    /// <summary>Linear and quadratic utilities, capacities spread over 1e-3 to 1e6.</summary>
    WideScale,

    /// <summary>Lower bounds overload one row: no feasible point.</summary>
    Infeasible,
}

/// <summary>
/// Small random instances of every <see cref="QpInstanceClass"/>, deterministic per seed: 24 agents over
/// 8 rows, each agent on 1 to 3 rows (as <see cref="InstanceClasses"/>).
/// </summary>
internal static class QpInstanceClasses
{
    public static IEnumerable<(QpInstanceClass Class, ulong Seed, NumInstance Instance)> All(int perClass)
    {
        foreach (QpInstanceClass kind in Enum.GetValues<QpInstanceClass>())
        {
            for (int i = 0; i < perClass; i++)
            {
                ulong seed = (ulong)(7000 + 1000 * (int)kind + i + 1);
                yield return (kind, seed, Create(kind, seed));
            }
        }
    }

    public static NumInstance Create(QpInstanceClass kind, ulong seed)
    {
        var rng = new SplitMix64(seed);
        int n = InstanceClasses.Agents;
        int m = InstanceClasses.Resources;
        var (rows, columns, values) = InstanceClasses.RandomCoupling(ref rng, n, m, kind == QpInstanceClass.ZeroObjective ? 0.5 : 0);

        // Every row loads at least one agent (an empty equality row would make CVXOPT's A rank-deficient).
        for (int l = 0; l < m; l++)
        {
            if (!rows.Contains(l))
            {
                rows.Add(l);
                columns.Add(rng.Next(n));
                values.Add(rng.Uniform(0.5, 1.5));
            }
        }

        var kindOf = new UtilityKind[n];
        var weight = new double[n];
        var offset = new double[n];
        var shape = new double[n];
        var lower = new double[n];
        var upper = new double[n];
        for (int s = 0; s < n; s++)
        {
            bool quadratic = kind == QpInstanceClass.Quadratic || (kind is QpInstanceClass.EqualityRows or QpInstanceClass.WideScale or QpInstanceClass.Infeasible && rng.NextDouble() < 0.5);
            kindOf[s] = quadratic ? UtilityKind.Quadratic : UtilityKind.Linear;
            weight[s] = kind == QpInstanceClass.ZeroObjective && s >= 3 ? 0 : rng.Uniform(0.5, 4);
            shape[s] = quadratic ? rng.Uniform(0.2, 2) : 0;
            offset[s] = 1e-2;
            upper[s] = rng.Uniform(1, 10);
            lower[s] = kind == QpInstanceClass.ZeroObjective ? -upper[s] : 0;
        }

        // Right-hand sides: equality rows take the load of a random point of the box, so they are
        // reachable; the infeasible class overloads its rows by the lower bounds alone.
        var reachable = new double[m];
        for (int k = 0; k < rows.Count; k++)
        {
            int s = columns[k];
            reachable[rows[k]] += values[k] * (lower[s] + (upper[s] - lower[s]) * (0.2 + 0.6 * ((seed + (ulong)s) % 7) / 6.0));
        }

        var capacity = new double[m];
        var senses = new RowSense[m];
        for (int l = 0; l < m; l++)
        {
            capacity[l] = kind == QpInstanceClass.WideScale ? Math.Pow(10, rng.Uniform(-3, 6)) : rng.Uniform(3, 12);
            senses[l] = RowSense.LessOrEqual;
            if (kind == QpInstanceClass.EqualityRows)
            {
                // The point that makes the equality rows reachable must fit the <= rows too.
                capacity[l] = Math.Max(capacity[l], 1.1 * reachable[l]);
            }

            if (kind == QpInstanceClass.ZeroObjective || (kind == QpInstanceClass.EqualityRows && l % 2 == 0))
            {
                senses[l] = RowSense.Equal;
                capacity[l] = kind == QpInstanceClass.ZeroObjective ? 0 : reachable[l];
            }
        }

        if (kind == QpInstanceClass.Infeasible)
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

            for (int s = 0; s < n; s++)
            {
                lower[s] = 1.2 * worst;
                upper[s] = Math.Max(upper[s], 2 * lower[s]);
            }
        }

        return new NumInstance
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
    }
}
