#!/usr/bin/env bash
# Seeds corpus/TARGET for the targets of this folder: the scenarios'
# snapshots (snapshot), the import fixtures (import), the ACL tests and CE
# texts of the scenarios (evidence).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/snapshot corpus/import corpus/evidence
for d in ../scenarios/*/; do cp "$d/snapshot.json" "corpus/snapshot/$(basename "$d").json"; done
cp ../crates/import/tests/fixtures/* corpus/import/
python3 - <<'PY'
import json, pathlib
for f in pathlib.Path("../scenarios").glob("*/snapshot.json"):
    inputs = json.loads(f.read_text()).get("inputs") or {}
    texts = list((inputs.get("aclTest") or {}).values())
    texts += [c.get("text", "") for side in (inputs.get("ce") or {}).values() for c in side]
    for i, t in enumerate(texts):
        pathlib.Path(f"corpus/evidence/{f.parent.name}-{i}.txt").write_text(t)
PY
