using System;
using System.Collections.Generic;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Analysis;

/// <summary>
/// The resource dependence graph: one node per row family, an edge when one variable family loads
/// both. Chordality by maximum cardinality search (Tarjan and Yannakakis 1984): the reverse of the
/// search order is a perfect elimination ordering exactly when the graph is chordal, and the
/// ordering's closed later neighbourhoods give the maximal cliques. Ties break by ordinal name, so
/// the result is deterministic.
/// </summary>
internal static class DependenceGraphBuilder
{
    public static DependenceGraphSpec Build(IEnumerable<CouplingSpec> rows, out string? witness)
    {
        var rowList = rows.ToList();
        var nodes = rowList.Select(static r => r.Name).Distinct().OrderBy(static n => n, StringComparer.Ordinal).ToList();
        var adjacency = nodes.ToDictionary(static n => n, static _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        var loads = rowList.ToDictionary(static r => r.Name, static r => new HashSet<string>(r.Terms.Select(static t => t.Variable), StringComparer.Ordinal), StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                if (loads[nodes[i]].Overlaps(loads[nodes[j]]))
                {
                    adjacency[nodes[i]].Add(nodes[j]);
                    adjacency[nodes[j]].Add(nodes[i]);
                }
            }
        }

        var edges = new List<GraphEdge>();
        foreach (var a in nodes)
        {
            foreach (var b in adjacency[a])
            {
                if (string.CompareOrdinal(a, b) < 0)
                {
                    edges.Add(new GraphEdge(a, b));
                }
            }
        }

        // Maximum cardinality search.
        var weight = nodes.ToDictionary(static n => n, static _ => 0, StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        while (order.Count < nodes.Count)
        {
            var next = nodes.Where(n => !visited.Contains(n)).OrderByDescending(n => weight[n]).ThenBy(static n => n, StringComparer.Ordinal).First();
            visited.Add(next);
            order.Add(next);
            foreach (var neighbour in adjacency[next])
            {
                if (!visited.Contains(neighbour))
                {
                    weight[neighbour]++;
                }
            }
        }

        order.Reverse();
        var position = order.Select(static (n, i) => (n, i)).ToDictionary(static p => p.n, static p => p.i, StringComparer.Ordinal);
        witness = null;
        var cliques = new List<SortedSet<string>>();
        foreach (var v in order)
        {
            var later = adjacency[v].Where(u => position[u] > position[v]).OrderBy(u => position[u]).ToList();
            if (later.Count > 0)
            {
                var parent = later[0];
                foreach (var u in later.Skip(1))
                {
                    if (!adjacency[parent].Contains(u))
                    {
                        witness ??= "'" + v + "' has the non-adjacent later neighbours '" + parent + "' and '" + u + "'";
                    }
                }
            }

            var clique = new SortedSet<string>(later, StringComparer.Ordinal) { v };
            cliques.Add(clique);
        }

        var isChordal = witness is null;
        var maximal = isChordal
            ? cliques.Where(c => !cliques.Any(o => o != c && o.Count > c.Count && c.IsSubsetOf(o)))
                .Select(static c => string.Join("\u0001", c))
                .Distinct()
                .OrderBy(static k => k, StringComparer.Ordinal)
                .Select(static k => new Clique(k.Split('\u0001').ToEquatableArray()))
                .ToList()
            : new List<Clique>();

        return new DependenceGraphSpec(
            nodes.ToEquatableArray(),
            edges.ToEquatableArray(),
            isChordal,
            isChordal ? order.ToEquatableArray() : EquatableArray<string>.Empty,
            maximal.ToEquatableArray());
    }
}
