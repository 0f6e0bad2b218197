using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sigil.Tests.Shared;

/// <summary>Fibres over large, sparse two-dimensional tables, with their table files.</summary>
public static class SparseTables
{
    /// <summary>
    /// A size x size incidence table S[node, arc] with <paramref name="nonzeros"/> entries (the same
    /// number in each column, alternately +1 and -1), summed along its rows (<c>balance[n]</c>,
    /// rows 0 .. size-1 of A over $v) and down its columns (<c>cut[a]</c>, rows size .. 2 size-1 over
    /// $p, coefficient 2 S[n, a]); the files by name.
    /// </summary>
    public static (string Fibre, Dictionary<string, string> Files) Square(int size, int nonzeros)
    {
        var rows = new StringBuilder("node\n");
        var columns = new StringBuilder("arc\n");
        for (var i = 0; i < size; i++)
        {
            rows.Append('n').Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
            columns.Append('a').Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        // Each column holds nonzeros / size entries at pseudo-random rows, alternately +1 and -1.
        var entries = new StringBuilder("node,arc,value\n");
        var perColumn = nonzeros / size;
        for (var c = 0; c < size; c++)
        {
            for (var k = 0; k < perColumn; k++)
            {
                var r = (int)(((long)c * 7919 + ((long)k * 104729)) % size);
                entries.Append('n').Append(r.ToString(CultureInfo.InvariantCulture)).Append(",a").Append(c.ToString(CultureInfo.InvariantCulture))
                    .Append(k % 2 == 0 ? ",1\n" : ",-1\n");
            }
        }

        const string fibre = """
            fibre flow {
                table nodes from "nodes.csv" { }
                table arcs from "arcs.csv" { }
                index node from nodes;
                index arc from arcs;
                table S[node, arc] from "incidence.csv";
                $v[arc] : 1 in [0, 1];
                $p[node] : 1 in [0, 1];
                couple balance[i]: sum(j in arc) S[i, j] * $v[j] == 0;
                couple cut[j]: sum(i in node) 2 * S[i, j] * $p[i] <= 1;
                utility $v[j] ~ $v[j];
                utility $p[i] ~ $p[i];
                solve admm { }
            }
            """;
        return (fibre, new Dictionary<string, string> { ["nodes.csv"] = rows.ToString(), ["arcs.csv"] = columns.ToString(), ["incidence.csv"] = entries.ToString() });
    }

    /// <summary>
    /// Writes <see cref="Square"/>'s fibre (as <c>flow.sigil</c>) and its table files into
    /// <paramref name="folder"/>; the fibre's path.
    /// </summary>
    public static string WriteSquare(string folder, int size, int nonzeros)
    {
        var (fibre, files) = Square(size, nonzeros);
        foreach (var (name, text) in files)
        {
            System.IO.File.WriteAllText(System.IO.Path.Combine(folder, name), text);
        }

        var path = System.IO.Path.Combine(folder, "flow.sigil");
        System.IO.File.WriteAllText(path, fibre);
        return path;
    }
}
