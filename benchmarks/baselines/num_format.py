"""Reads the sigil-num text format written by Sigil.Benchmarks (NumInstance.Write).

    sigil-num 1
    N L nnz
    r le|eq c                               (L lines)
    a log|alpha|quad|lin w eps shape lo hi  (N lines; shape = alpha or k)
    e row col value                         (nnz lines)
"""


class Instance:
    def __init__(self, path):
        with open(path) as f:
            lines = f.read().split("\n")
        if lines[0].strip() != "sigil-num 1":
            raise ValueError(f"{path}: not a sigil-num 1 file")
        n, m, nnz = (int(t) for t in lines[1].split())
        self.n, self.m, self.nnz = n, m, nnz
        self.sense, self.c = [], []
        for line in lines[2:2 + m]:
            _, sense, c = line.split()
            self.sense.append(sense)
            self.c.append(float(c))
        self.family, self.w, self.eps, self.shape, self.lo, self.hi = [], [], [], [], [], []
        for line in lines[2 + m:2 + m + n]:
            _, fam, w, eps, shape, lo, hi = line.split()
            self.family.append(fam)
            self.w.append(float(w))
            self.eps.append(float(eps))
            self.shape.append(float(shape))
            self.lo.append(float(lo))
            self.hi.append(float(hi))
        self.rows, self.cols, self.vals = [], [], []
        for line in lines[2 + m + n:2 + m + n + nnz]:
            _, r, c, v = line.split()
            self.rows.append(int(r))
            self.cols.append(int(c))
            self.vals.append(float(v))
