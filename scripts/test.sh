#!/usr/bin/env bash
# The project's test command (the README's second command; .ci/run calls it).
# Runs every test of the workspace. The Azure REST API conformance test reads
# the corpus from ERDIAG_CORPUS; when it is unset and ../shared/corpus exists
# beside the checkout, that is used; otherwise the test is skipped with a notice.
# Ends with one summary line over all test binaries: `tests: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ERDIAG_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  ERDIAG_CORPUS="$(cd ../shared/corpus && pwd)"
  export ERDIAG_CORPUS
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
read -r passed failed < <(awk '/^test result: /{for(i=1;i<=NF;i++){if($(i+1)~/^passed/)p+=$i; if($(i+1)~/^failed/)f+=$i}} END{print p+0, f+0}' "$log")
echo
echo "tests: ${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -eq 0 ] && [ "${passed:-0}" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
