#!/bin/bash
# Prepares the ordinary workload NAME in FOLDER before the gate opens (nothing here is sensed):
# benign.sh NAME FOLDER
set -euo pipefail
name=$1
cd "$2"
here=$(dirname "$(readlink -f "$0")")
corpus() { python3 "$here/behaviours.py" corpus tree "$1" 23 > /dev/null; }
case "$name" in
tar_czf | cp_r) corpus 150 ;;
tar_xzf) corpus 150 && tar czf tree.tgz tree && rm -rf tree ;;
gzip) for i in 1 2 3; do head -c 12M /dev/urandom | base64 > big$i.log; done ;;
git)
    mkdir -p repo && cd repo
    for d in $(seq 1 20); do mkdir -p src$d; for f in $(seq 1 100); do echo "file $d/$f $RANDOM" > src$d/f$f.txt; done; done
    git init -q . && git config user.email ci@example.org && git config user.name ci
    cd .. && mv repo/* repo/.git . && rmdir repo
    ;;
make)
    for i in $(seq 1 12); do printf 'int f%d(int x) { return x * %d + 1; }\n' "$i" "$i" > f$i.c; done
    printf 'int main(void) { return 0; }\n' > main.c
    printf 'OBJS := $(patsubst %%.c,%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\tcc -o $@ $^\n%%.o: %%.c\n\tcc -O2 -c -o $@ $<\n' > Makefile
    ;;
rebuild)
    # A build tree built once before the workload (by another process tree, as yesterday's build):
    # objects and dependency files (-MMD) in obj/, on disk. The workload rebuilds after a touch: the
    # compiler rewrites its own earlier outputs (cc1 truncates each .d, as unlinks and rewrites each
    # .o, ld replaces the program).
    mkdir obj
    for i in $(seq 1 12); do printf '#include "f.h"\nint f%d(int x) { return x * %d + 1; }\n' "$i" "$i" > f$i.c; done
    printf 'int f1(int x);\n' > f.h
    printf '#include "f.h"\nint main(void) { return f1(0) - 1; }\n' > main.c
    printf 'OBJS := $(patsubst %%.c,obj/%%.o,$(wildcard *.c))\nprog: $(OBJS)\n\t$(CC) -o $@ $^\nobj/%%.o: %%.c\n\t$(CC) -O2 -MMD -MP -c -o $@ $<\n-include $(OBJS:.o=.d)\n' > Makefile
    make -s -j2
    sync
    ;;
sqlite)
    python3 - <<'PY'
import sqlite3
db = sqlite3.connect("app.db")
db.execute("create table items (id integer primary key, body text)")
db.executemany("insert into items (body) values (?)", [("item %d" % i * 20,) for i in range(2000)])
db.commit()
PY
    cat > app.py <<'PY'
# An application updating its existing database, a transaction at a time, fsync on commit.
import sqlite3
db = sqlite3.connect("app.db")
db.execute("pragma synchronous = full")
for i in range(150):
    db.execute("update items set body = body || 'x' where id = ?", (i * 7 % 2000 + 1,))
    db.commit()
db.execute("vacuum")
db.close()
PY
    ;;
logger)
    seq 1 20000 > app.log
    cat > logger.py <<'PY'
# A logger holding its (existing) log open and appending, with fsync, for a while (scaled down).
import os, time
with open("app.log", "a") as log:
    end = time.monotonic() + 3
    n = 0
    while time.monotonic() < end:
        log.write("line %d %f\n" % (n, time.time()))
        log.flush()
        os.fsync(log.fileno())
        n += 1
        time.sleep(0.005)
PY
    ;;
atomic_save)
    python3 -c 'import json; json.dump({"n": 0, "pad": "x" * 50000}, open("config.json", "w"))'
    cat > save.py <<'PY'
# A service that saves its state atomically: read, change, write a temporary file, fsync, rename over.
import json, os
for i in range(60):
    with open("config.json") as f:
        state = json.load(f)
    state["n"] += 1
    with open("config.json.tmp", "w") as f:
        json.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace("config.json.tmp", "config.json")
PY
    ;;
package)
    mkdir -p src/DEBIAN src/usr/share/sigil-demo root/var/lib/dpkg/updates root/var/lib/dpkg/info
    printf 'Package: sigil-demo\nVersion: 1.0\nArchitecture: all\nMaintainer: sigil <sigil@example.org>\nDescription: a package the harness installs\n' > src/DEBIAN/control
    for i in $(seq 1 60); do head -c 20000 /dev/urandom > src/usr/share/sigil-demo/f$i; done
    dpkg-deb -b src demo.deb > /dev/null
    touch root/var/lib/dpkg/status
    ;;
*) echo "unknown workload $name" >&2; exit 2 ;;
esac
sync
