#!/usr/bin/env bash
# Runs the `sigil` command of an unpacked image root (eng/image.sh leaves one in <out>/rootfs)
# against this machine's kernel, as a container runtime would, without one: in a private mount
# namespace, with /proc, the host's /sys (bpffs and tracefs under it) and fresh tmpfs for /tmp and
# the state folder mounted into the root, then chroot. Root only.
# Usage: eng/image-chroot.sh <rootfs> <sigil arguments...>
set -euo pipefail
root="$(cd "$1" && pwd)"
shift
exec unshare --mount -- bash -c '
    set -e
    root="$1"; shift
    mount --make-rprivate /
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount -t tmpfs tmpfs "$root/tmp"
    mount -t tmpfs -o mode=0700 tmpfs "$root/var/lib/sigil"   # the daemon refuses a state folder others may write
    exec chroot "$root" /usr/bin/env DOTNET_ROOT=/usr/share/dotnet /app/sigil "$@"
' image-chroot "$root" "$@"
