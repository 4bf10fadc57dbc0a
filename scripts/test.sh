#!/usr/bin/env bash
# The project's test command (the README's second command; .ci/run calls it).
# Runs every test of the workspace. The Azure REST API conformance test reads
# the corpus from ERDIAG_CORPUS; when it is unset and ../shared/corpus exists
# beside the checkout, that is used; otherwise the test is skipped with a notice.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ERDIAG_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  ERDIAG_CORPUS="$(cd ../shared/corpus && pwd)"
  export ERDIAG_CORPUS
fi
exec cargo test --workspace --locked "$@"
