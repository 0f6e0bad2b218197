#!/usr/bin/python3
"""Solves a flux-balance problem, plain or with concave benefits on some reactions, with CVXOPT's
QP solver (solvers.qp): the independent check of the atp and fba fibres. The model is read here
from its SBML file (level 3, fbc version 2, plain or .gz) with the standard library, not by Sigil.

    /usr/bin/python3 fba_cvxopt.py MODEL [--fix REACTION=VALUE]... [--benefit REACTION=W,K]...

maximise  c'v + sum_e (w_e v_e - k_e/2 v_e^2)
s.t.      S v = 0 (balanced species only),  v_r = value for each --fix,  lower <= v <= upper

S's rows are reduced to a linearly independent set (CVXOPT needs rank(A) = rows), by Gaussian
elimination in exact order. Prints one JSON line: status, objective (of the maximisation), the
flux of every reaction by id.
"""
import gzip
import json
import sys
import xml.etree.ElementTree as ET

from cvxopt import matrix, solvers, spmatrix


def read_sbml(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        root = ET.parse(f).getroot()
    sbml = root.tag.split("}")[0][1:]
    with opener(path, "rb") as f:
        fbc = next(uri for _, (prefix, uri) in ET.iterparse(f, events=["start-ns"]) if "/fbc/" in uri)
    model = root.find("{%s}model" % sbml)
    values = {p.get("id"): float(p.get("value")) for p in model.iter("{%s}parameter" % sbml)}
    species = [s.get("id") for s in model.iter("{%s}species" % sbml) if s.get("boundaryCondition") != "true"]
    row = {s: i for i, s in enumerate(species)}
    reactions, lower, upper, entries = [], [], [], {}
    for j, r in enumerate(model.iter("{%s}reaction" % sbml)):
        reactions.append(r.get("id"))
        lower.append(values[r.get("{%s}lowerFluxBound" % fbc)])
        upper.append(values[r.get("{%s}upperFluxBound" % fbc)])
        for name, sign in (("listOfReactants", -1.0), ("listOfProducts", 1.0)):
            for ref in r.iter("{%s}%s" % (sbml, name)):
                for s in ref.iter("{%s}speciesReference" % sbml):
                    if s.get("species") in row:
                        key = (row[s.get("species")], j)
                        entries[key] = entries.get(key, 0.0) + sign * float(s.get("stoichiometry", "1"))
    objective = [0.0] * len(reactions)
    for f in model.iter("{%s}fluxObjective" % fbc):
        objective[reactions.index(f.get("{%s}reaction" % fbc))] = float(f.get("{%s}coefficient" % fbc))
    rows = [dict() for _ in species]
    for (i, j), v in entries.items():
        if v != 0:
            rows[i][j] = v
    return reactions, lower, upper, objective, rows


def independent(rows):
    """The indices of a linearly independent subset of the rows (dicts column -> value)."""
    basis, keep = [], []
    for i, r in enumerate(rows):
        v = dict(r)
        for pivot, b in basis:
            if abs(v.get(pivot, 0.0)) > 1e-12:
                f = v[pivot] / b[pivot]
                for k, x in b.items():
                    v[k] = v.get(k, 0.0) - f * x
        v = {k: x for k, x in v.items() if abs(x) > 1e-9}
        if v:
            basis.append((max(v, key=lambda k: abs(v[k])), v))
            keep.append(i)
    return keep


def main():
    args = sys.argv[1:]
    reactions, lower, upper, objective, rows = read_sbml(args[0])
    n = len(reactions)
    rhs = [0.0] * len(rows)
    P = spmatrix([], [], [], (n, n))
    q = matrix([-c for c in objective])
    i = 1
    while i < len(args):
        name, value = args[i + 1].split("=")
        j = reactions.index(name)
        if args[i] == "--fix":
            rows.append({j: 1.0})
            rhs.append(float(value))
        elif args[i] == "--benefit":
            w, k = (float(x) for x in value.split(","))
            P[j, j] = k
            q[j] -= w
        else:
            raise SystemExit("unknown option " + args[i])
        i += 2
    keep = independent(rows)
    A = spmatrix(
        [rows[r][j] for r in keep for j in rows[r]],
        [a for a, r in enumerate(keep) for _ in rows[r]],
        [j for r in keep for j in rows[r]],
        (len(keep), n))
    G = spmatrix([1.0] * n + [-1.0] * n, list(range(2 * n)), list(range(n)) * 2)
    h = matrix(upper + [-x for x in lower])
    solvers.options.update(show_progress=False, abstol=1e-9, reltol=1e-9, feastol=1e-9, maxiters=200)
    solution = solvers.qp(P, q, G, h, A, matrix([rhs[r] for r in keep]), kktsolver="ldl")
    x = solution["x"]
    print(json.dumps({
        "status": solution["status"],
        "objective": -solution["primal objective"],
        "flux": {reactions[j]: x[j] for j in range(n)},
    }))


if __name__ == "__main__":
    main()
