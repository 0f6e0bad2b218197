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

# Sum the TRX counters of every test project into the closing line, and list each failed test
# with the first lines of its message just above it, where the end of a long log shows them.
summary=$(mktemp)
python3 - "$results" "$summary" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
p = f = s = 0
failures = []
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    root = ET.parse(path).getroot()
    c = root.find("t:ResultSummary/t:Counters", ns)
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("total", 0)) - int(c.get("executed", 0))
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            message = r.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).strip().splitlines()
            failures.append((r.get("testName"), message[:6]))
for name, message in failures:
    print("[test] FAILED " + name)
    for line in message:
        print("[test]     " + line[:300])
with open(sys.argv[2], "w") as out:
    print(p, f, s, file=out)
PY
read -r passed failed skipped < "$summary"
rm -f "$summary"
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
