#!/usr/bin/env bash
# Builds the sigil daemon's OCI image here, from Debian's packages, with no registry:
#   1. a root file system: mmdebstrap --variant=essential bookworm, given this machine's own apt
#      sources on stdin, plus libbpf1 (the daemon's eBPF loader), libssl3 (.NET's crypto), mount (the bpffs init container:
#      mountpoint, mount) and libstdc++6; cached by the hash of its recipe under $SIGIL_IMAGE_CACHE
#      (default ~/.cache/sigil-image), so a second build skips it;
#   2. the .NET runtime the daemon runs on (the machine's shared frameworks: Debian does not ship
#      .NET), the built `sigil` command in /app, and the shipped fibres with their compiled
#      artefacts (the .bpf.o among them) in /usr/lib/sigil/<fibre>/, where the daemon finds them;
#   3. the OCI image, assembled with umoci (Debian package) into <out>/oci as sigil:<tag>, its
#      entrypoint /app/sigil.
# Usage: eng/image.sh <out> [tag]    (after `dotnet build src/Sigil.Cli -c Release`)
# Prints "image localhost/sigil@sha256:..." and leaves the unpacked root in <out>/rootfs.
# The manifests take the digest: -p:SigilImageDigest=sha256:... or sigil emit --image-digest.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mkdir -p "$1" && cd "$1" && pwd)"
tag="${2:-latest}"
cli="src/Sigil.Cli/bin/Release/net10.0"
fibres="src/Sigil.Fibres/bin/Release/net10.0/sigil"
[ -x "$cli/sigil" ] && [ -d "$fibres" ] || { echo "build first: dotnet build src/Sigil.Cli -c Release" >&2; exit 2; }
for tool in mmdebstrap umoci; do
    command -v "$tool" >/dev/null || { echo "$tool not found (eng/setup.sh installs it)" >&2; exit 2; }
done
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"

# 1. the root file system, cached by its recipe (packages, suite, apt sources)
packages="libbpf1,libssl3,mount,libstdc++6"
sources="$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true)"
key="$(printf '%s\n%s\n%s\n' "essential bookworm" "$packages" "$sources" | sha256sum | cut -c1-16)"
cache="${SIGIL_IMAGE_CACHE:-$HOME/.cache/sigil-image}"
base="$cache/rootfs-$key.tar"
if [ ! -f "$base" ]; then
    mkdir -p "$cache"
    printf '%s\n' "$sources" | mmdebstrap --quiet --variant=essential --include="$packages" \
        --format=tar bookworm "$base.tmp" -
    mv "$base.tmp" "$base"
fi

rm -rf "$out/rootfs" "$out/oci" "$out/bundle"
mkdir -p "$out/rootfs"
tar -xf "$base" -C "$out/rootfs"
root="$out/rootfs"

# 2. the runtime, the command, the fibres
mkdir -p "$root/usr/share/dotnet/shared" "$root/app" "$root/usr/lib/sigil"
cp -a "$dotnet_root/dotnet" "$dotnet_root/host" "$root/usr/share/dotnet/"
for framework in Microsoft.NETCore.App Microsoft.AspNetCore.App; do
    version="$(ls "$dotnet_root/shared/$framework" | sort -V | tail -1)"
    mkdir -p "$root/usr/share/dotnet/shared/$framework"
    cp -a "$dotnet_root/shared/$framework/$version" "$root/usr/share/dotnet/shared/$framework/"
done
ln -sf /usr/share/dotnet/dotnet "$root/usr/bin/dotnet"
cp -a "$cli/." "$root/app/"
rm -rf "$root/app/publish" "$root/app/"*.pdb "$root/app/"*.xml
cp -a "$fibres/." "$root/usr/lib/sigil/"
rm -rf "$root/usr/lib/sigil/bpf" # vmlinux.h of the build machine's kernel: not the node's
mkdir -p "$root/usr/lib/sigil/fibres"
cp fibres/*.sigil fibres/*.csv "$root/usr/lib/sigil/fibres/"
cp -r fibres/ecoli_core "$root/usr/lib/sigil/fibres/" # the tables atp.sigil reads
mkdir -p "$root/var/lib/sigil" "$root/sys/fs/bpf" "$root/sys/kernel/tracing"

# 3. the OCI image
umoci init --layout "$out/oci"
umoci new --image "$out/oci:$tag"
umoci unpack --image "$out/oci:$tag" "$out/bundle" >/dev/null
rm -rf "$out/bundle/rootfs"
mv "$root" "$out/bundle/rootfs"
umoci repack --image "$out/oci:$tag" "$out/bundle"
mv "$out/bundle/rootfs" "$root"
umoci config --image "$out/oci:$tag" --config.entrypoint /app/sigil --config.env DOTNET_ROOT=/usr/share/dotnet \
    --config.workingdir / --author "Sigil contributors"
rm -rf "$out/bundle"
digest="$(python3 -c 'import json,sys; print([m["digest"] for m in json.load(open(sys.argv[1]))["manifests"] if m.get("annotations",{}).get("org.opencontainers.image.ref.name")==sys.argv[2]][0])' "$out/oci/index.json" "$tag")"
size="$(du -sb "$out/oci" | cut -f1)"
echo "image localhost/sigil@$digest ($((size / 1024 / 1024)) MiB in $out/oci)"
