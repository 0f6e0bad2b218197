#!/usr/bin/env bash
# The main job, end to end: set up the machine, build, and run the ransomware fibre's daemon
# (`sigil run fibres/ransomware.sigil --arm`) against realistic ransomware behaviours on a corpus
# (in place, copy then unlink, rename then encrypt, intermittent, four threads, one process per
# file) beside ordinary work (tar czf and xzf, cp -r, git, make -j2, SQLite, a logger, an
# atomic-save service, dpkg -i of a package, gzip). The daemon is armed and scoped to the demo's
# own workloads only. It prints, per behaviour, how long after its first write it was stopped, the
# files of its corpus damaged and when the daemon reported the kernel's kill; per benign workload, that it was untouched (eng/ransomware/demo.py; about two minutes).
# Options go to demo.py (e.g. --files 200, --behaviours inplace,threads, --work DIR).
#
# bash eng/demo.sh --dwell [args]: the dwell fibre's demo instead (`sigil demo --arm`): the origin's
# port against a process holding files open long, throttled then killed (args go to `sigil demo`).
# Run as root (eBPF, cgroups, signals).
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/setup.sh

configuration=${CONFIGURATION:-Release}
echo "[demo] building the sigil command ($configuration)"
dotnet build src/Sigil.Cli -c "$configuration" --no-restore -nologo -clp:NoSummary -v quiet
sigil="dotnet src/Sigil.Cli/bin/$configuration/net10.0/sigil.dll"

if [[ "${1:-}" == "--dwell" ]]; then
    shift
    echo "[demo] sigil demo --arm $*"
    exec $sigil demo --arm "$@"
fi

exec python3 eng/ransomware/demo.py --sigil "$sigil" "$@"
