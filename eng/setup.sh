#!/usr/bin/env bash
# Installs what building, testing and running Sigil needs on a Debian 12 machine, idempotently:
# Debian packages (LLVM 14, libbpf, bpftool, Coq, Prometheus, CVXOPT, NumPy), the kernel's
# tracefs and bpffs mounts, and the NuGet restore. Safe to run again: it skips what is present.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[setup] %s\n' "$*"; }

apt_packages=(
    clang-14 llvm-14 llvm-14-dev llvm-14-tools clang-format-14 lld-14 libbpf-dev bpftool libelf-dev zlib1g-dev
    coq prometheus python3-cvxopt python3-numpy linux-perf procps
    etcd-server etcd-client iproute2
)

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
    mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf 2>/dev/null || log "could not mount bpffs"
fi

log "restoring NuGet packages"
dotnet restore Sigil.sln --verbosity quiet
log "ready"
