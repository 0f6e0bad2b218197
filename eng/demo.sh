#!/usr/bin/env bash
# The main job, end to end: set up the machine, build, and run `sigil demo`: the dwell fibre's
# daemon against a simulated ransomware process (long file holds) and a benign one (many short
# opens). The demo arms enforcement on its own two workloads only (they are the only processes
# in its scope): the ransomware is throttled, then killed; the benign process is left alone.
# Every stage prints what it uses. Extra arguments go to `sigil demo`
# (e.g. --hold 10s, --table true); run as root (cgroups, signals).
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/setup.sh

configuration=${CONFIGURATION:-Release}
echo "[demo] building the sigil command ($configuration)"
dotnet build src/Sigil.Cli -c "$configuration" --no-restore -nologo -clp:NoSummary -v quiet

echo "[demo] sigil demo --arm $*"
exec dotnet "src/Sigil.Cli/bin/$configuration/net10.0/sigil.dll" demo --arm "$@"
