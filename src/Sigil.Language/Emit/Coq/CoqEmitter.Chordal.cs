using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sigil.Language.Model;

namespace Sigil.Language.Emit.Coq;

public static partial class CoqEmitter
{
    private sealed partial class FileBuilder
    {
        /// <summary>
        /// <c>certify chordal</c>, or a coupled fibre whose graph the analysis found chordal: the
        /// resource dependence graph is chordal, its perfect elimination ordering and its maximal
        /// cliques checked by computation. Nodes become their index in the model's sorted node list.
        /// </summary>
        public void AddChordal()
        {
            var graph0 = _spec.Analysis.Graph;
            var coupled = graph0.Edges.Count > 0 && graph0.IsChordal;
            if (!Certifies(CertificateKind.Chordal) && !coupled)
            {
                return;
            }

            Require("Chordal");
            var graph = _spec.Analysis.Graph;
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var node in graph.Nodes)
            {
                if (index.ContainsKey(node))
                {
                    throw new ArgumentException($"the dependence graph lists the node '{node}' twice");
                }

                index[node] = index.Count;
            }

            int Node(string name) => index.TryGetValue(name, out var i)
                ? i
                : throw new ArgumentException($"the dependence graph names '{name}', which is not one of its nodes");

            var legend = string.Join(", ", graph.Nodes.Select((n, i) => i.ToString(CultureInfo.InvariantCulture) + " = " + n));
            var edges = graph.Edges.Select(e => "(" + Node(e.A).ToString(CultureInfo.InvariantCulture) + ", " + Node(e.B).ToString(CultureInfo.InvariantCulture) + ")");
            var g = Define(Id("graph"), "graph", "[" + string.Join("; ", edges) + "]%nat", "the resource dependence graph; nodes " + (legend.Length == 0 ? "none" : legend), unfold: false);
            var order = graph.PerfectEliminationOrdering;
            var o = Define(Id("peo"), "list nat", NatList(order.Select(Node)) + "%nat", "the perfect elimination ordering: " + (order.Count == 0 ? "none" : string.Join(", ", order)), unfold: false);
            var names = graph.Nodes.Count == 0 ? "no resources" : string.Join(", ", graph.Nodes);
            var orderText = order.Count == 0 ? "(none given)" : string.Join(", ", order);

            Theorem(
                Id("graph_chordal"),
                "chordal",
                $"The resource dependence graph over {names} ({graph.Edges.Count} edges) is chordal: every cycle of 4 or more resources has a chord. The ordering {orderText} is a perfect elimination ordering, checked by computation.",
                $"chordal {g}",
                $"apply (peo_check_chordal {g} {o}). vm_compute. reflexivity.");
            Theorem(
                Id("graph_peo"),
                "chordal",
                $"In the ordering {orderText}, each resource's neighbours that come after it form a clique.",
                $"is_peo {g} {o}",
                "apply peo_check_correct. vm_compute. reflexivity.");

            if (graph.Cliques.Count > 0)
            {
                var cliques = graph.Cliques.Select(c => NatList(c.Members.Select(Node)));
                var cs = Define(Id("cliques"), "list (list nat)", "[" + string.Join("; ", cliques) + "]%nat", "the maximal cliques: " + string.Join("; ", graph.Cliques.Select(c => "{" + string.Join(", ", c.Members) + "}")), unfold: false);
                Theorem(
                    Id("graph_cliques"),
                    "chordal",
                    $"The maximal cliques {string.Join(", ", graph.Cliques.Select(c => "{" + string.Join(", ", c.Members) + "}"))} are cliques and together cover every edge. This is a fact about the graph: that the solver's update decomposes over these cliques, or keeps any guarantee when it does, is not proved.",
                    $"(forall l, In l {cs} -> clique {g} l)\n  /\\ (forall u v, adj {g} u v -> exists l, In l {cs} /\\ In u l /\\ In v l)",
                    "split; [apply cliques_check_sound | apply cover_check_sound]; vm_compute; reflexivity.",
                    witness: CliqueWitness(graph, Node));
            }
        }

        /// <summary>The first clique for the first part; the first edge, if any, for the cover.</summary>
        private static CoqWitness CliqueWitness(DependenceGraphSpec graph, Func<string, int> node)
        {
            var clique = NatList(graph.Cliques[0].Members.Select(node)) + "%nat";
            var edge = graph.Edges.Count == 0
                ? Array.Empty<string>()
                : new[] { node(graph.Edges[0].A).ToString(CultureInfo.InvariantCulture) + "%nat", node(graph.Edges[0].B).ToString(CultureInfo.InvariantCulture) + "%nat" };
            var text = "l = {" + string.Join(", ", graph.Cliques[0].Members) + "}"
                + (graph.Edges.Count == 0 ? " (the graph has no edge: the cover part has no case)" : ", (u, v) = the edge " + graph.Edges[0].A + " - " + graph.Edges[0].B);
            return AtBoth(text, new[] { clique }, edge) with { Tactic = "unfold adj in *" };
        }

        private static string NatList(IEnumerable<int> items)
            => "[" + string.Join("; ", items.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
    }
}
