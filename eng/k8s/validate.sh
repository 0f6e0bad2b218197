#!/usr/bin/env bash
# Validates generated Kubernetes folders offline, as strictly as this machine allows:
#   1. `kubectl kustomize <folder>` must build the folder as it was generated (resources, the
#      fibre's ConfigMap from the files beside it);
#   2. every object it prints must pass the Kubernetes OpenAPI schema (eng/k8s/validate.mjs, with
#      the schemas of the npm package kubernetes-models, installed once into .tools/k8s).
# Usage: eng/k8s/validate.sh <k8s folder>...   Exit 0 when every folder passes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tools="$here/../../.tools/k8s"
if [ ! -d "$tools/node_modules/kubernetes-models" ]; then
    mkdir -p "$tools"
    cp "$here/package.json" "$tools/package.json"
    (cd "$tools" && npm install --silent --no-audit --no-fund >/dev/null)
fi
# ES modules resolve packages from the script's own folder: the script runs beside node_modules.
cp "$here/validate.mjs" "$tools/validate.mjs"
command -v kubectl >/dev/null || { echo "kubectl not found (eng/setup.sh installs Debian's kubernetes-client)" >&2; exit 2; }
status=0
for folder in "$@"; do
    echo "== $folder"
    if ! objects="$(kubectl kustomize "$folder")"; then
        echo "$folder: kubectl kustomize failed" >&2
        status=1
        continue
    fi
    printf '%s\n' "$objects" | node "$tools/validate.mjs" || status=1
done
exit $status
