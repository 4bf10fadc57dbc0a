#!/usr/bin/env bash
# Fuzzes every target for SECONDS each (default 60), seeded with the corpus
# outputs of its platform when ERDIAG_CORPUS is set, and prints one line per
# target: seconds, executions, coverage. Needs a nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz`).
#
#   crates/ce/fuzz/run.sh 60 > fuzz-results.txt
#   crates/ce/fuzz/run.sh 30 frr_show_interface detect   # only these targets
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-60}"
shift || true
cargo +nightly fuzz build -O >/dev/null 2>&1
targets="${*:-$(cargo +nightly fuzz list)}"
for t in $targets; do
  mkdir -p "corpus/$t"
  if [ -n "${ERDIAG_CORPUS:-}" ]; then
    plat="${t%%_show*}"
    [ "$t" = detect ] && plat=""
    [ "$t" = parse_config ] && cp ../tests/fixtures/config/* "corpus/$t/"
    find "$ERDIAG_CORPUS/ntc-templates" "$ERDIAG_CORPUS/show-outputs" -type f \( -name '*.raw' -o -name '*.txt' \) -path "*${plat}*" -exec cp -t "corpus/$t" {} + 2>/dev/null || true
    [ "$plat" = frr ] && { cp ../tests/fixtures/frr/* "corpus/$t/" 2>/dev/null || true; }
    [ -n "$plat" ] && [ -d "../tests/fixtures/$plat" ] && { find "../tests/fixtures/$plat" -type f -exec cp -t "corpus/$t" {} + || true; }
  fi
  start=$(date +%s)
  log=$(cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 2>&1) || { echo "$t: FAILED"; echo "$log" | tail -30; exit 1; }
  end=$(date +%s)
  runs=$(echo "$log" | sed -n 's/^stat::number_of_executed_units: *//p')
  cov=$(echo "$log" | grep -o 'cov: [0-9]*' | tail -1)
  echo "$t: $((end - start)) s, ${runs:-?} executions, ${cov:-cov: ?}"
done
