#!/usr/bin/env bash
# Installs erdiag the ways a user does and checks each install works, then
# removes it and checks nothing is left behind:
#   1. `cargo install --path crates/cli --locked` into a temporary root;
#   2. the Debian package (scripts/package-deb.sh), with apt-get, when
#      cargo-deb and root are available — under CI both must be.
# Ends with one line: `package: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
check() { # check NAME COMMAND...
  local name="$1"
  shift
  if "$@" >/tmp/erdiag-package-check.log 2>&1; then
    passed=$((passed + 1))
    echo "ok      $name"
  else
    failed=$((failed + 1))
    echo "FAILED  $name"
    sed 's/^/        /' /tmp/erdiag-package-check.log | tail -20
  fi
}
missing() { # under CI a missing tool is a failure, elsewhere a notice
  if [ -n "${CI:-}" ]; then
    failed=$((failed + 1))
    echo "FAILED  $1 (CI must run it)"
  else
    echo "NOTICE: $1: skipped"
  fi
}

# What the container image holds is the package on Debian slim (no container
# engine runs here to build it): the Containerfile's COPY must match the
# package, and the package must carry everything the image runs.
containerfile_copies() {
  local pat f
  pat="$(sed -n 's#^COPY \([^ ]*\) .*#\1#p' Containerfile)"
  for f in $pat; do
    [ "$(realpath "$f")" = "$(realpath "$1")" ] && return 0
  done
  echo "COPY $pat does not match $1"
  return 1
}
package_holds() {
  local content f
  content="$(dpkg-deb -c "$1")"
  for f in ./usr/bin/erdiag ./usr/share/man/man1/erdiag.1.gz ./usr/share/man/man1/erdiag-lab-up.1.gz \
    ./usr/share/bash-completion/completions/erdiag ./usr/share/zsh/vendor-completions/_erdiag \
    ./usr/share/fish/vendor_completions.d/erdiag.fish ./usr/share/doc/erdiag/copyright ./usr/lib/systemd/system/erdiag-watch.service; do
    grep -q " $f\$" <<<"$content" || { echo "missing $f"; return 1; }
  done
}

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
check "cargo install --path crates/cli --locked" cargo install --quiet --locked --path crates/cli --root "$root"
check "installed erdiag --version names the commit" bash -c "'$root/bin/erdiag' --version | grep -Eq '^erdiag [0-9]+\.[0-9]+\.[0-9]+ \(([0-9a-f]{12}|unknown), built [0-9]{4}-[0-9]{2}-[0-9]{2}\)$'"
check "installed erdiag demo runs" bash -c "cd / && '$root/bin/erdiag' demo -q -o json | grep -q '\"verdict\"'"
check "cargo uninstall removes it" bash -c "cargo uninstall --quiet --root '$root' erdiag && [ ! -e '$root/bin/erdiag' ]"

if ! command -v cargo-deb >/dev/null; then
  missing "cargo-deb is not installed"
elif [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  missing "installing a Debian package needs root and apt-get"
elif dpkg -s erdiag >/dev/null 2>&1; then
  missing "an erdiag package is already installed on this machine"
else
  check "scripts/package-deb.sh builds the package" bash scripts/package-deb.sh --quiet
  deb="$(ls -t "$CARGO_TARGET_DIR"/debian/erdiag_*.deb 2>/dev/null | head -1)"
  if [ -z "$deb" ]; then
    failed=$((failed + 1))
    echo "FAILED  no package in $CARGO_TARGET_DIR/debian: the install checks did not run"
  else
    check "the package recommends frr and iproute2, does not depend on them" bash -c "dpkg-deb -f '$deb' Recommends | grep -q frr && ! dpkg-deb -f '$deb' Depends | grep -Eq 'frr|iproute2'"
    # What the container image holds is this package on Debian slim (no
    # container engine runs here to build it): the Containerfile's COPY
    # matches the package, and the package carries everything the image runs.
    check "the Containerfile copies this package" containerfile_copies "$deb"
    check "the package holds the binary, man pages, completions and licence" package_holds "$deb"
    check "apt-get install ./erdiag_*.deb" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb"
    files="$(dpkg -L erdiag 2>/dev/null | while read -r f; do [ -f "$f" ] && echo "$f"; done)"
    check "the package installed files" test -n "$files"
    check "/usr/bin/erdiag demo runs" bash -c "cd / && /usr/bin/erdiag demo -q -o table >/dev/null"
    check "man -w erdiag finds the page" man -w erdiag
    check "man -w erdiag-diagnose finds a subcommand's page" man -w erdiag-diagnose
    check "the bash completion is installed" test -s /usr/share/bash-completion/completions/erdiag
    check "the licence is installed" test -s /usr/share/doc/erdiag/copyright
    check "apt-get purge erdiag" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq erdiag
    check "nothing is left behind" bash -c "! dpkg -s erdiag >/dev/null 2>&1 && for f in $(echo $files); do [ ! -e \"\$f\" ] || { echo \"left: \$f\"; exit 1; }; done"
  fi
fi

echo
echo "package: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
