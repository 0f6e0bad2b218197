#!/usr/bin/python3
"""Solves a sigil-num instance with CVXOPT's convex solver (solvers.cp): the independent check
of the solver tests and the generic-solver baseline of the solvers benchmark.

    /usr/bin/python3 num_cvxopt.py INSTANCE [--reltol R] [--abstol A] [--feastol F] [--x OUT]
    /usr/bin/python3 num_cvxopt.py --batch LIST [--reltol R] ...   (LIST: one instance path a line;
                                                                   one JSON line per instance)

maximise sum_s U_s(x_s)  s.t.  A_le x <= c_le,  A_eq x = c_eq,  lo <= x <= hi
is passed as  minimise f0(x) = -sum_s U_s(x_s)  with G = [A_le; -I; I_hi] (rows of infinite upper
bounds dropped), h = [c_le; -lo; hi], and the equality rows as A x = b.

The KKT systems are solved by a custom kktsolver that exploits the structure. With W = diag(d)
the scaling of the linear inequalities, the Hessian plus the bound rows' terms is diagonal,
Dg = H + diag(1/d_lo^2 + 1/d_hi^2), and with M = [A_le; A_eq] the system
    [H A' G'; A 0 0; G 0 -W'W] [ux; uy; uz] = [bx; by; bz]
reduces (Schur complement over the coupling rows) to the dense m x m system
    (M Dg^-1 M' + blockdiag(d_le^2, 0)) lambda = M Dg^-1 r - [0; by],   r = bx + G' W^-2 bz,
    ux = Dg^-1 (r - M' lambda),  uy = lambda_eq,  W uz = (G ux - bz) / d,
factored once per iteration by Cholesky (LAPACK potrf). Elementwise work uses NumPy.
Prints one JSON line: status, objective (of the maximisation), KKT factorisations (one per
interior-point iteration), seconds (solver only).
"""
import json
import sys
import time

import numpy as np
from cvxopt import lapack, matrix, solvers, spdiag, spmatrix

from num_format import Instance


def main():
    args = sys.argv[1:]
    if args[0] == "--batch":
        # Many instances in one process (the tests check dozens; Python starts once).
        with open(args[1]) as listing:
            paths = [line.strip() for line in listing if line.strip()]
        for path in paths:
            try:
                solve([path] + args[2:])
            except Exception as error:  # one bad instance must not hide the others' answers
                print(json.dumps({"status": "error", "objective": None, "error": str(error)}))
            sys.stdout.flush()
        return
    solve(args)


def solve(args):
    path = args[0]
    opts = {}  # CVXOPT defaults: abstol 1e-7, reltol 1e-6, feastol 1e-7
    xout = None
    i = 1
    while i < len(args):
        if args[i] in ("--default", "--progress"):
            i += 1
            continue
        if args[i] == "--x":
            xout = args[i + 1]
        else:
            key = args[i][2:]
            opts[key] = int(args[i + 1]) if key in ("refinement", "maxiters") else float(args[i + 1])
        i += 2
    inst = Instance(path)
    n, m = inst.n, inst.m
    sense = np.array(inst.sense)
    le = np.flatnonzero(sense == "le")
    eq = np.flatnonzero(sense == "eq")
    mle, meq = len(le), len(eq)
    row_pos = np.zeros(m, dtype=int)
    row_pos[le] = np.arange(mle)
    row_pos[eq] = mle + np.arange(meq)
    c = np.array(inst.c)
    rows = np.array(inst.rows, dtype=int)
    cols = np.array(inst.cols, dtype=int)
    vals = np.array(inst.vals)

    fam = np.array(inst.family)
    w, eps, shape = np.array(inst.w), np.array(inst.eps), np.array(inst.shape)
    lo, hi = np.array(inst.lo), np.array(inst.hi)
    is_log, is_alpha = fam == "log", fam == "alpha"
    is_quad, is_lin = fam == "quad", fam == "lin"
    hi_idx = np.flatnonzero(np.isfinite(hi))
    nhi = len(hi_idx)

    # M = [A_le; A_eq] (rows renumbered), G = [A_le; -I; I_hi], A = A_eq.
    M = spmatrix(vals.tolist(), row_pos[rows].tolist(), cols.tolist(), (m, n))
    in_le = sense[rows] == "le"
    gi = np.concatenate([row_pos[rows][in_le], mle + np.arange(n), mle + n + np.arange(nhi)])
    gj = np.concatenate([cols[in_le], np.arange(n), hi_idx])
    gv = np.concatenate([vals[in_le], -np.ones(n), np.ones(nhi)])
    mg = mle + n + nhi
    G = spmatrix(gv.tolist(), gi.tolist(), gj.tolist(), (mg, n))
    h = matrix(np.concatenate([c[le], -lo, hi[hi_idx]]))
    ein = ~in_le
    A = spmatrix(vals[ein].tolist(), (row_pos[rows][ein] - mle).tolist(), cols[ein].tolist(), (meq, n))
    b = matrix(c[eq]) if meq else matrix(0.0, (0, 1))

    def derivatives(x):
        """U, U', U'' elementwise for every family."""
        y = x + eps
        u = np.zeros(n)
        du = np.zeros(n)
        d2u = np.zeros(n)
        yl = y[is_log]
        u[is_log] = w[is_log] * np.log(yl)
        du[is_log] = w[is_log] / yl
        d2u[is_log] = -w[is_log] / yl ** 2
        ya, a, wa = y[is_alpha], shape[is_alpha], w[is_alpha]
        u[is_alpha] = wa * ya ** (1 - a) / (1 - a)
        du[is_alpha] = wa * ya ** (-a)
        d2u[is_alpha] = -a * wa * ya ** (-a - 1)
        xq, k, wq = x[is_quad], shape[is_quad], w[is_quad]
        u[is_quad] = wq * xq - 0.5 * k * xq * xq
        du[is_quad] = wq - k * xq
        d2u[is_quad] = -k
        u[is_lin] = w[is_lin] * x[is_lin]
        du[is_lin] = w[is_lin]
        return u, du, d2u

    smooth_domain = is_log | is_alpha

    # Starting point: half of each agent's tightest fair share c_l / sum_s A_ls, inside the bounds
    # (strictly feasible for the coupling rows when lo = 0 and A >= 0).
    rowsum = np.bincount(rows, weights=vals, minlength=m)
    share = np.where(rowsum > 0, np.abs(c) / np.where(rowsum > 0, rowsum, 1), np.inf)
    tight = np.full(n, np.inf)
    np.minimum.at(tight, cols, share[rows])
    tight = np.where(np.isfinite(tight), 0.5 * tight, 1.0)
    x0 = np.clip(tight, lo + 0.01 * np.minimum(1.0, hi - lo), np.where(np.isfinite(hi), hi - 0.01 * np.minimum(1.0, hi - lo), np.inf))

    def F(x=None, z=None):
        if x is None:
            return 0, matrix(x0)
        xa = np.array(x).ravel()
        if np.any(xa[smooth_domain] + eps[smooth_domain] <= 0):
            return None
        u, du, d2u = derivatives(xa)
        f = -u.sum()
        Df = matrix(-du, (1, n))
        if z is None:
            return f, Df
        return f, Df, spdiag(matrix(-z[0] * d2u))

    factorisations = [0]

    def kktsolver(x, z, W):
        factorisations[0] += 1
        xa = np.array(x).ravel()
        _, _, d2u = derivatives(xa)
        d = np.array(W["d"]).ravel()
        dg = -z[0] * d2u + 1.0 / d[mle:mle + n] ** 2
        dg[hi_idx] += 1.0 / d[mle + n:] ** 2
        dinv = 1.0 / dg
        Md = M * spdiag(matrix(dinv))
        S = matrix(Md * M.T)
        S[::m + 1] += matrix(np.concatenate([d[:mle] ** 2, np.zeros(meq)]))
        lapack.potrf(S)
        d_m = matrix(d)

        def solve(ux, uy, uz):
            bz = matrix(uz)
            wz = matrix(np.array(bz).ravel() / d ** 2)
            r = ux + G.T * wz
            rhs = Md * r
            if meq:
                rhs[mle:] -= uy
            lapack.potrs(S, rhs)
            sol = matrix(np.array(r - M.T * rhs).ravel() * dinv)
            gx = G * sol
            uz[:] = matrix(np.array(gx - bz).ravel() / np.array(d_m).ravel())
            if meq:
                uy[:] = rhs[mle:]
            ux[:] = sol

        return solve

    solvers.options.update({"show_progress": "--progress" in sys.argv, "maxiters": 200})
    solvers.options.update(opts)
    start = time.perf_counter()
    if is_lin.all():
        # A linear programme: the convex solver's Hessian would be zero; use the LP solver.
        sol = solvers.lp(matrix(-w), G, h, A if meq else None, b if meq else None)
        seconds = time.perf_counter() - start
        x = sol["x"]
        objective = float(w @ np.array(x).ravel()) if x is not None else None
        if xout and x is not None:
            np.savetxt(xout, np.array(x).ravel(), fmt="%.17g")
        print(json.dumps({"status": sol["status"], "objective": objective, "iterations": sol.get("iterations"),
                          "seconds": seconds, "gap": sol.get("relative gap")}))
        return
    if (is_lin | is_quad).all():
        # A quadratic programme: CVXOPT's QP solver (its own KKT solver handles equality rows).
        P = spdiag(matrix(np.where(is_quad, shape, 0.0)))
        sol = solvers.qp(P, matrix(-w), G, h, A if meq else None, b if meq else None)
        seconds = time.perf_counter() - start
        x = sol["x"]
        objective = float(derivatives(np.array(x).ravel())[0].sum()) if x is not None else None
        if xout and x is not None:
            np.savetxt(xout, np.array(x).ravel(), fmt="%.17g")
        print(json.dumps({"status": sol["status"], "objective": objective, "iterations": sol.get("iterations"),
                          "seconds": seconds, "gap": sol.get("relative gap")}))
        return
    sol = solvers.cp(F, G=G, h=h, A=A, b=b, kktsolver=None if "--default" in sys.argv else kktsolver)
    seconds = time.perf_counter() - start
    x = sol["x"]
    objective = None
    if x is not None:
        objective = float(derivatives(np.array(x).ravel())[0].sum())
        if xout:
            np.savetxt(xout, np.array(x).ravel(), fmt="%.17g")
    print(json.dumps({"status": sol["status"], "objective": objective, "iterations": factorisations[0],
                      "seconds": seconds, "gap": sol.get("relative gap")}))


if __name__ == "__main__":
    main()
