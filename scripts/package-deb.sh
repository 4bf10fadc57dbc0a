#!/usr/bin/env bash
# Builds the Debian package: target/debian/erdiag_VERSION-1_ARCH.deb.
#
# The release binary generates its own man pages (`erdiag man --out-dir`) and
# shell completions (`erdiag completions SHELL`), so that both come from the
# same clap definitions as the binary; cargo-deb (metadata in
# crates/cli/Cargo.toml) packs them with the binary and the licence.
# Needs cargo-deb: `cargo install cargo-deb --locked --no-default-features --features gzip`.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked -p erdiag
bin="$target/release/erdiag"
out="$target/release/package"
rm -rf "$out"
mkdir -p "$out/man" "$out/completions"
"$bin" man --out-dir "$out/man" 2>/dev/null
gzip -9n "$out"/man/*.1
"$bin" completions bash >"$out/completions/erdiag.bash"
"$bin" completions zsh >"$out/completions/_erdiag"
"$bin" completions fish >"$out/completions/erdiag.fish"
# cargo-deb finds the target directory through cargo (CARGO_TARGET_DIR included).
cargo deb --locked -p erdiag --no-build "$@"
