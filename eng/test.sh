#!/usr/bin/env bash
# The whole test suite: set up, build the solution warning-free, run every test project, and
# print one closing line "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

bash eng/setup.sh

configuration=${CONFIGURATION:-Release}
echo "[test] building ($configuration)"
dotnet build Sigil.sln -c "$configuration" --no-restore -warnaserror -nologo -clp:NoSummary

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
echo "[test] running tests"
status=0
dotnet test Sigil.sln -c "$configuration" --no-build --nologo \
    --logger "trx" --results-directory "$results" \
    --logger "console;verbosity=normal" || status=$?

# Sum the TRX counters of every test project into the closing line.
read -r passed failed skipped < <(python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("total", 0)) - int(c.get("executed", 0))
print(p, f, s)
PY
)
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
