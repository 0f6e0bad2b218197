#!/usr/bin/env python3
"""The ransomware fibre's demo: the real daemon (`sigil run fibres/ransomware.sigil --arm`) against
realistic ransomware behaviours on a corpus and beside ordinary work, as eng/demo.sh runs it.

    demo.py --sigil "dotnet path/to/sigil.dll" [--fibre fibres/ransomware.sigil] [--work DIR]
            [--files N] [--behaviours a,b,...] [--benign x,y,...] [--json FILE]

Every workload is prepared first (a corpus with a SHA-256 manifest, or the benign workload's files),
started behind a gate (a fifo it blocks on), so each is the root of its own process tree; the daemon
is then started, armed and scoped to those roots only; once it is armed the gates open one at a
time. Per behaviour it prints how many files of its corpus were damaged (the manifest's hashes),
and, from its first write, when its process ended (killed by the kernel at a damaging event) and
when the daemon's log line for that kill arrived; per benign workload, that it ended by itself and
the daemon took no action on it. Archivers get the fibre's archiver class weight (its class statement). The workloads are behaviours.py and benign.sh, which the kernel
tests (tests/Sigil.Bpf.Tests, RansomwareTests) run too. With --json, the figures go to FILE as well,
and the daemon's log and final table stay in the work folder (daemon.log, daemon.out) for checking.
"""
import argparse
import hashlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BEHAVIOURS = os.path.join(HERE, "behaviours.py")
BENIGN = os.path.join(HERE, "benign.sh")

# Modelled on published descriptions of real families (behaviours.py says which).
DEFAULT_BEHAVIOURS = ["inplace", "copy_unlink", "rename_encrypt", "intermittent", "threads", "process_per_file"]
# Ordinary work that rewrites, compresses, archives and deletes files (benign.sh prepares each).
BENIGN_SCRIPTS = {
    "tar_czf": "tar czf out.tgz tree",
    "tar_xzf": "mkdir x && tar xzf tree.tgz -C x",
    "cp_r": "cp -r tree copy",
    "make": "make -s -j2",
    "rebuild": "touch *.c f.h && make -s -j2 CC=clang-14 obj/f1.o obj/f2.o obj/f3.o obj/f4.o obj/f5.o obj/f6.o && make -s -j2",
    "package": "dpkg --root=$PWD/root --force-not-root --force-bad-path --force-script-chrootless --log=/dev/null -i demo.deb"
               " && dpkg --root=$PWD/root --force-not-root --force-bad-path --force-script-chrootless --log=/dev/null -i demo.deb",
    "git": "git add -A && git commit -qm import",
    "sqlite": "exec python3 app.py",
    "atomic_save": "exec python3 save.py",
    "logger": "exec python3 logger.py",
    "gzip": "gzip big1.log big2.log big3.log",
}
DEFAULT_BENIGN = ["tar_czf", "tar_xzf", "cp_r", "git", "make", "rebuild", "sqlite", "logger", "atomic_save", "package", "gzip"]


def monotonic_ns():
    return time.monotonic_ns()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def damaged(manifest):
    """Files of the manifest whose original path is gone or holds other bytes."""
    return sum(1 for h, p in manifest if not os.path.exists(p) or sha256(p) != h)


class Workload:
    """One workload behind its gate: the root of its own process tree."""

    def __init__(self, name, folder, script, behaviour):
        self.name, self.folder, self.script, self.behaviour = name, folder, script, behaviour
        self.manifest = []
        self.first_ns = None
        self.ended_ns = None
        self.code = None
        self.output = []
        gate = os.path.join(folder, ".gate")
        os.mkfifo(gate)
        self.gate = gate
        self.process = subprocess.Popen(
            ["bash", "-c", "read _ < .gate; " + script], cwd=folder,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.pid = self.process.pid
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            line = line.rstrip("\n")
            if line.startswith("first ") and self.first_ns is None:
                self.first_ns = int(line[6:])
            self.output.append(line)

    def run(self, timeout):
        with open(self.gate, "w") as g:
            g.write("go\n")
        try:
            self.code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.code = self.process.wait()
        self.ended_ns = monotonic_ns()


class Daemon:
    """`sigil run` with JSON logs on its standard output, read line by line as they come."""

    def __init__(self, sigil, fibre, work, scope, port):
        self.lines = []  # (arrival ns, text)
        self.out = open(os.path.join(work, "daemon.out"), "w")
        self.port = port
        command = shlex.split(sigil) + [
            "run", fibre, "--arm", "--scope", *[str(p) for p in scope],
            "--tick", "250ms", "--log-format", "json", "--table", "false",
            "--metrics-url", "http://127.0.0.1:%d" % port, "--state-dir", os.path.join(work, "state"),
            "--pin-folder", "none", "--price-page", "none"]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.out.write(line)
            self.out.flush()
            with self._lock:
                self.lines.append((monotonic_ns(), line.rstrip("\n")))

    def events(self):
        """The JSON log events so far, with their arrival time."""
        found = []
        with self._lock:
            lines = list(self.lines)
        for arrived, text in lines:
            if text.startswith("{"):
                try:
                    found.append((arrived, json.loads(text)))
                except ValueError:
                    pass
        return found

    def actions(self):
        """(arrival ns, kind, pid, detail) of every action the daemon logged."""
        found = []
        for arrived, e in self.events():
            state = e.get("State") or {}
            if e.get("EventId") in (4, 5, 6) and "Pid" in state:
                found.append((arrived, state.get("Kind"), int(state["Pid"]), state.get("Detail", ""), e.get("EventId")))
        return found

    def metrics(self):
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.port, timeout=2) as r:
                return r.read().decode()
        except OSError:
            return ""

    def metric(self, name, **labels):
        total = None
        for line in self.metrics().splitlines():
            if not line.startswith(name + "{") and not line.startswith(name + " "):
                continue
            if all(('%s="%s"' % kv) in line for kv in labels.items()):
                total = (total or 0) + float(line.rsplit(" ", 1)[1])
        return total

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        time.sleep(0.2)
        self.out.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(work, behaviours, benign, files):
    workloads = []
    for i, b in enumerate(behaviours):
        folder = os.path.join(work, b)
        os.makedirs(folder)
        out = subprocess.run(["python3", BEHAVIOURS, "corpus", os.path.join(folder, "corpus"), str(files), str(17 + i)],
                             check=True, capture_output=True, text=True).stdout
        manifest = [(l[:64], l[66:]) for l in out.splitlines() if l]
        with open(os.path.join(folder, "manifest"), "w") as f:
            f.write(out)
        w = (b, folder, "exec python3 %s run %s corpus < /dev/null" % (shlex.quote(BEHAVIOURS), b), True, manifest)
        workloads.append(w)
    for n in benign:
        folder = os.path.join(work, n)
        os.makedirs(folder)
        subprocess.run(["bash", BENIGN, n, folder], check=True, capture_output=True)
        workloads.append((n, folder, BENIGN_SCRIPTS[n], False, []))
    subprocess.run(["sync"], check=True)
    return workloads


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sigil", required=True, help="the sigil command, e.g. 'dotnet src/Sigil.Cli/bin/Release/net10.0/sigil.dll'")
    parser.add_argument("--fibre", default=os.path.join(HERE, "..", "..", "fibres", "ransomware.sigil"))
    parser.add_argument("--work", help="work folder (on ext4: the program hooks ext4); default a new one under /var/tmp")
    parser.add_argument("--files", type=int, default=100, help="files in each behaviour's corpus (4 KiB to 1 MiB)")
    parser.add_argument("--behaviours", default=",".join(DEFAULT_BEHAVIOURS))
    parser.add_argument("--benign", default=",".join(DEFAULT_BENIGN))
    parser.add_argument("--json", help="write the figures to this file too")
    args = parser.parse_args()

    behaviours = [b for b in args.behaviours.split(",") if b]
    benign = [b for b in args.benign.split(",") if b]
    unknown = [b for b in benign if b not in BENIGN_SCRIPTS]
    if unknown:
        parser.error("unknown benign workload(s): " + ", ".join(unknown))
    work = args.work or tempfile.mkdtemp(prefix="sigil-ransomware-demo-", dir="/var/tmp")
    os.makedirs(work, exist_ok=True)
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True).stdout.strip()
    if fs != "ext2/ext3":
        print("[demo] note: %s is on %s; the behaviour program senses ext4 files only" % (work, fs or "an unknown file system"))

    clock = time.monotonic()
    print("[demo] preparing %d behaviour(s) on corpora of %d files and %d benign workload(s) in %s" % (len(behaviours), args.files, len(benign), work), flush=True)
    workloads = []
    for name, folder, script, is_behaviour, manifest in prepare(work, behaviours, benign, args.files):
        w = Workload(name, folder, script, is_behaviour)
        w.manifest = manifest
        workloads.append(w)

    port = free_port()
    print("[demo] sigil run %s --arm --scope <the %d workloads' roots>" % (os.path.relpath(args.fibre), len(workloads)), flush=True)
    daemon = Daemon(args.sigil, args.fibre, work, [w.pid for w in workloads], port)
    deadline = time.monotonic() + 120
    while daemon.metric("sigil_armed") != 1.0:
        if daemon.process.poll() is not None or time.monotonic() > deadline:
            for w in workloads:
                w.process.kill()
            with open(os.path.join(work, "daemon.out")) as f:
                sys.stderr.write(f.read())
            raise SystemExit("[demo] the daemon did not start armed (exit %s)" % daemon.process.poll())
        time.sleep(0.1)

    rows = []
    try:
        for w in workloads:
            w.run(timeout=30 if w.behaviour else 120)
            # The daemon's report of this workload: a kernel decision naming its agent (its root).
            reported = None
            wait_until = time.monotonic() + (2.0 if w.behaviour else 0.3)
            while time.monotonic() < wait_until:
                mine = [a for a in daemon.actions() if a[2] == w.pid]
                if mine:
                    reported = mine[0]
                    break
                time.sleep(0.02)
            row = {"name": w.name, "kind": "behaviour" if w.behaviour else "benign", "pid": w.pid, "exit": w.code}
            if w.behaviour:
                row["files"] = len(w.manifest)
                row["damaged"] = damaged(w.manifest)
                row["stopped"] = w.code == -signal.SIGKILL
                row["stopped_after_ms"] = (w.ended_ns - w.first_ns) / 1e6 if w.first_ns and row["stopped"] else None
                row["reported_after_ms"] = (reported[0] - w.first_ns) / 1e6 if reported and w.first_ns else None
                row["report"] = reported[3] if reported else None
            else:
                row["actions"] = len([a for a in daemon.actions() if a[2] == w.pid])
                row["untouched"] = w.code == 0 and row["actions"] == 0
            rows.append(row)
        time.sleep(0.5)
        kills_metric = daemon.metric("sigil_actions_total", kind="kill") or 0
        kills_logged = len([a for a in daemon.actions() if a[1] == "kill" and a[4] == 4])
    finally:
        daemon.stop()
        for w in workloads:
            if w.process.poll() is None:
                w.process.kill()

    print()
    print("times from each behaviour's first write: to its process's end, and to the daemon's log line of the kernel's kill")
    print("%-18s %8s %10s %16s %18s" % ("behaviour", "files", "damaged", "stopped after", "daemon logged it"))
    for r in rows:
        if r["kind"] != "behaviour":
            continue
        stopped = "%.0f ms" % r["stopped_after_ms"] if r["stopped_after_ms"] is not None else ("NOT STOPPED (exit %s)" % r["exit"])
        reported = "%.0f ms" % r["reported_after_ms"] if r["reported_after_ms"] is not None else "not reported"
        print("%-18s %8d %10d %16s %18s" % (r["name"], r["files"], r["damaged"], stopped, reported))
    print()
    print("%-18s %s" % ("benign workload", "result"))
    for r in rows:
        if r["kind"] == "benign":
            print("%-18s %s" % (r["name"], "untouched" if r["untouched"] else "ACTED ON (exit %s, %d action(s))" % (r["exit"], r["actions"])))
    print()
    print("[demo] the daemon logged %d kernel kill(s); sigil_actions_total{kind=\"kill\"} = %d; its final table is in %s" % (kills_logged, kills_metric, os.path.join(work, "daemon.out")))
    print("[demo] %.0f s in all" % (time.monotonic() - clock))
    summary = {"work": work, "rows": rows, "kills_logged": kills_logged, "kills_metric": kills_metric}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)
    ok = all(r.get("stopped") for r in rows if r["kind"] == "behaviour") and all(r.get("untouched") for r in rows if r["kind"] == "benign")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
