#!/usr/bin/env bash
# Installs what building, testing and running Sigil needs on a Debian 12 machine, idempotently:
# Debian packages (LLVM 14, libbpf, bpftool, Coq, Prometheus, CVXOPT, NumPy), the kernel's
# tracefs and bpffs mounts, and the NuGet restore. Safe to run again: it skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

apt_packages=(
    clang-14 llvm-14 llvm-14-dev llvm-14-tools clang-format-14 lld-14 libbpf-dev bpftool libelf-dev zlib1g-dev
    coq prometheus python3-cvxopt python3-numpy python3-cobra glpk-utils linux-perf procps
    mmdebstrap umoci
    git make gcc tar gzip dpkg coreutils python3
    etcd-server etcd-client iproute2 openssl
)
# kubectl, for `kubectl kustomize` in eng/k8s/validate.sh: Debian's kubernetes-client unless one is installed.
command -v kubectl >/dev/null || apt_packages+=(kubernetes-client)

missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        log "missing Debian packages: ${missing[*]} (run as root to install them)"
    else
        log "installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
else
    log "Debian packages present"
fi

# eBPF needs tracefs (tracepoint ids) and bpffs (pinned maps).
if [ "$(id -u)" -eq 0 ]; then
    mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || log "could not mount tracefs"
    # Root's alone: a bpffs mounted without mode= is world-writable (1777), and any user could
    # then plant pins or links where the daemon pins its maps. An existing such mount is fixed.
    mountpoint -q /sys/fs/bpf || mount -t bpf -o mode=0700 bpf /sys/fs/bpf 2>/dev/null || log "could not mount bpffs"
    if mountpoint -q /sys/fs/bpf && [ "$(stat -c %a /sys/fs/bpf)" != 700 ]; then
        chmod 0700 /sys/fs/bpf && log "bpffs set to mode 0700"
    fi
fi

# The editor grammar's test runs vscode-textmate and vscode-oniguruma (at the versions
# editors/vscode/package.json names) from .tools/textmate; the test installs them too when absent.
textmate_packages=$(node -e 'const d = require("./editors/vscode/package.json").devDependencies; console.log(["vscode-textmate", "vscode-oniguruma"].map(p => p + "@" + d[p]).join(" "))')
if node -e 'const d = require("./editors/vscode/package.json").devDependencies; for (const p of ["vscode-textmate", "vscode-oniguruma"]) { if (require("./.tools/textmate/node_modules/" + p + "/package.json").version !== d[p]) process.exit(1); }' 2>/dev/null; then
    log "grammar test tools present"
else
    log "installing ${textmate_packages} into .tools/textmate"
    mkdir -p .tools/textmate
    npm install --prefix .tools/textmate --no-save --no-audit --no-fund --loglevel=error ${textmate_packages} >/dev/null
fi

# SQLite's amalgamation (sqlite3.c, sqlite3.h), a real program the LLVM pass is tested on: taken
# from the npm registry's better-sqlite3 tarball (npm pack runs no install script), into .tools/sqlite.
sqlite_package=better-sqlite3@12.11.1
if [ "$(cat .tools/sqlite/PACKAGE 2>/dev/null)" = "${sqlite_package}" ] && [ -f .tools/sqlite/sqlite3.c ]; then
    log "SQLite amalgamation present"
else
    log "fetching SQLite's amalgamation from ${sqlite_package}"
    sqlite_tmp=$(mktemp -d)
    (cd "${sqlite_tmp}" && npm pack --silent --loglevel=error "${sqlite_package}" >/dev/null)
    tar -xzf "${sqlite_tmp}"/better-sqlite3-*.tgz -C "${sqlite_tmp}" package/deps/sqlite3/sqlite3.c package/deps/sqlite3/sqlite3.h
    mkdir -p .tools/sqlite
    mv "${sqlite_tmp}"/package/deps/sqlite3/sqlite3.[ch] .tools/sqlite/
    echo "${sqlite_package}" > .tools/sqlite/PACKAGE
    rm -rf "${sqlite_tmp}"
fi

log "restoring NuGet packages"
dotnet restore Sigil.sln --verbosity quiet
log "ready"
