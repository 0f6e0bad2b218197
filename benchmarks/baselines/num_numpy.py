#!/usr/bin/python3
"""The Sigil dual iteration written with NumPy: the per-iteration baseline of the solvers benchmark.

    /usr/bin/python3 num_numpy.py INSTANCE [--iterations K] [--repeat R]

Weighted log utilities only (the benchmark family). One iteration is what Sigil's DualSolver does
(src/Sigil.Solvers/Solvers/DualEngine.cs): path prices q = A^T y, the closed-form steps
x = clip(w / q - eps, lo, hi), loads A x, on curvature passes (the first five, then every fourth)
the row curvature bound P_l = sum_s |A_ls| |a_s|_1 (x_s + eps)^2 / w_s, then the scaled projected
step with Nesterov momentum and gradient restart. Every array operation is vectorised; the
gathers and scatters use fancy indexing, reshape-sums (uniform column lengths) and np.bincount.
Prints one JSON line with the median seconds per iteration over R runs of K iterations.
"""
import json
import sys
import time

import numpy as np

from num_format import Instance


class DualIteration:
    def __init__(self, inst):
        self.n, self.m = inst.n, inst.m
        order = np.lexsort((np.array(inst.rows), np.array(inst.cols)))
        self.rows = np.array(inst.rows, dtype=np.int64)[order]
        self.cols = np.array(inst.cols, dtype=np.int64)[order]
        self.vals = np.array(inst.vals)[order]
        self.absvals = np.abs(self.vals)
        counts = np.bincount(self.cols, minlength=self.n)
        self.k = int(counts[0]) if np.all(counts == counts[0]) and counts[0] > 0 else 0
        self.starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        if any(f != "log" for f in inst.family):
            raise ValueError("num_numpy.py runs weighted log utilities only")
        self.w, self.eps = np.array(inst.w), np.array(inst.eps)
        self.lo, self.hi = np.array(inst.lo), np.array(inst.hi)
        self.c = np.array(inst.c)
        self.le = np.array([s == "le" for s in inst.sense])
        self.norm = self.column_sum(self.absvals)
        self.reset()

    def column_sum(self, per_entry):
        if self.k:
            return per_entry.reshape(self.n, self.k).sum(axis=1)
        return np.add.reduceat(per_entry, self.starts)

    def reset(self):
        # The same cold start as Sigil: each entry's fair share, the agent's marginal there.
        rowsum = np.bincount(self.rows, weights=self.vals, minlength=self.m)
        share = np.where(rowsum > 0, self.c / np.where(rowsum > 0, rowsum, 1), 0)
        x = np.clip(share[self.rows], self.lo[self.cols], self.hi[self.cols])
        marginal = self.w[self.cols] / (x + self.eps[self.cols])
        weighted = np.bincount(self.rows, weights=self.vals * marginal / self.norm[self.cols], minlength=self.m)
        self.y = np.where(rowsum > 0, weighted / np.where(rowsum > 0, rowsum, 1), 0)
        self.previous = self.y.copy()
        self.curvature = np.zeros(self.m)
        self.momentum = 1.0
        self.passes = 0

    def iterate(self):
        y = self.y
        q = self.column_sum(self.vals * y[self.rows])
        with np.errstate(divide="ignore"):
            x = np.where(q > 0, self.w / q - self.eps, self.hi)
        np.clip(x, self.lo, self.hi, out=x)
        load = np.bincount(self.rows, weights=self.vals * x[self.cols], minlength=self.m)
        if self.passes < 5 or self.passes % 4 == 0:
            sensitivity = (x + self.eps) ** 2 / self.w * self.norm
            self.curvature = np.bincount(self.rows, weights=self.absvals * sensitivity[self.cols], minlength=self.m)
        self.passes += 1
        g = load - self.c
        p = self.curvature
        candidate = np.where(p > 0, y + g / np.where(p > 0, p, 1), np.where(self.le & (g <= 0), 0, y))
        candidate = np.where(self.le, np.maximum(candidate, 0), candidate)
        if g @ (candidate - self.previous) < 0:
            self.momentum, beta = 1.0, 0.0
        else:
            nxt = 0.5 * (1 + np.sqrt(1 + 4 * self.momentum ** 2))
            beta = (self.momentum - 1) / nxt
            self.momentum = nxt
        y = candidate + beta * (candidate - self.previous)
        self.y = np.where(self.le, np.maximum(y, 0), y)
        self.previous = candidate


def main():
    args = sys.argv[1:]
    iterations, repeat = 30, 5
    for i in range(1, len(args), 2):
        if args[i] == "--iterations":
            iterations = int(args[i + 1])
        elif args[i] == "--repeat":
            repeat = int(args[i + 1])
    it = DualIteration(Instance(args[0]))
    it.reset()
    for _ in range(3):
        it.iterate()
    times = []
    for _ in range(repeat):
        it.reset()
        start = time.perf_counter()
        for _ in range(iterations):
            it.iterate()
        times.append((time.perf_counter() - start) / iterations)
    times.sort()
    print(json.dumps({"seconds_per_iteration": times[len(times) // 2], "iterations": iterations, "repeat": repeat}))


if __name__ == "__main__":
    main()
