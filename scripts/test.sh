#!/usr/bin/env bash
# The project's test command (the README's second command; .ci/run calls it).
#
# 1. Every Rust test of the workspace. The Azure REST API conformance test
#    reads the corpus from ERDIAG_CORPUS; when it is unset and
#    ../shared/corpus exists beside the checkout, that is used; otherwise the
#    test is skipped with a notice.
#    The PostgreSQL store's tests run against a server started here (below).
# 2. The Azure SDK for Python (azure-mgmt-network, azure-core), unmodified,
#    against `erdiag emulate`, in a virtual environment (.venv) installed from
#    PyPI. With AZURE_CLI_TEST=1 the Azure CLI too (in .venv-az).
#    Without Python or PyPI this part is skipped with a notice — except under
#    CI, where it must run.
#
# Ends with one summary line over everything: `tests: N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${ERDIAG_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  ERDIAG_CORPUS="$(cd ../shared/corpus && pwd)"
  export ERDIAG_CORPUS
fi
log="$(mktemp)"
# The PostgreSQL history store's tests read ERDIAG_TEST_POSTGRES. When it is
# unset and Debian's postgresql is installed, a throwaway server on loopback
# is started for this run (scripts/postgres-test-server.sh) and stopped at the
# end; without either, those tests are skipped with a notice (under CI they fail).
pg_dir=""
cleanup() {
  rm -f "$log"
  if [ -n "$pg_dir" ]; then bash scripts/postgres-test-server.sh stop "$pg_dir" || true; fi
}
trap cleanup EXIT
if [ -z "${ERDIAG_TEST_POSTGRES:-}" ] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if pg_env="$(bash scripts/postgres-test-server.sh start)"; then
    ERDIAG_TEST_POSTGRES="$(sed -n 's/^ERDIAG_TEST_POSTGRES=//p' <<<"$pg_env")"
    export ERDIAG_TEST_POSTGRES
    pg_dir="$(sed -n 's/^ERDIAG_TEST_POSTGRES_DIR=//p' <<<"$pg_env")"
  fi
fi
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
read -r passed failed < <(awk '/^test result: /{for(i=1;i<=NF;i++){if($(i+1)~/^passed/)p+=$i; if($(i+1)~/^failed/)f+=$i}} END{print p+0, f+0}' "$log")

skip_python() {
  if [ -n "${CI:-}" ]; then
    echo "error: $1 (CI must run the Azure SDK conformance tests)" >&2
    status=1
  else
    echo "NOTICE: $1: skipping the Azure SDK for Python conformance tests"
  fi
}

target_dir="${CARGO_TARGET_DIR:-target}"
export ERDIAG_BIN="$PWD/$target_dir/debug/erdiag"
case "$target_dir" in /*) export ERDIAG_BIN="$target_dir/debug/erdiag" ;; esac
if [ "$status" -eq 0 ]; then
  if ! command -v python3 >/dev/null; then
    skip_python "python3 is not installed"
  elif ! { [ -x .venv/bin/python ] || python3 -m venv .venv; }; then
    skip_python "cannot create a virtual environment"
  elif ! .venv/bin/pip install -q --disable-pip-version-check -r tests/sdk/requirements.txt; then
    skip_python "cannot install tests/sdk/requirements.txt from PyPI"
  else
    if [ "${AZURE_CLI_TEST:-0}" = "1" ]; then
      if { [ -x .venv-az/bin/az ] || { python3 -m venv .venv-az && .venv-az/bin/pip install -q --disable-pip-version-check azure-cli; }; }; then
        export ERDIAG_AZ="$PWD/.venv-az/bin/az"
      else
        skip_python "cannot install the Azure CLI from PyPI"
      fi
    fi
    cargo build --locked --quiet -p erdiag
    pylog="$(mktemp)"
    .venv/bin/python -m pytest -q -p no:cacheprovider tests/sdk 2>&1 | tee "$pylog" || status=$?
    py_passed=$(grep -Eo '[0-9]+ passed' "$pylog" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    py_failed=$(grep -Eo '[0-9]+ failed' "$pylog" | tail -1 | grep -Eo '[0-9]+' || echo 0)
    passed=$((passed + py_passed))
    failed=$((failed + py_failed))
    rm -f "$pylog"
  fi
fi

echo
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -eq 0 ] && [ "${passed}" -eq 0 ]; then
  echo "error: no test ran" >&2
  exit 1
fi
exit "$status"
