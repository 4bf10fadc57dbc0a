#!/usr/bin/env bash
# A throwaway PostgreSQL server for the history store's tests: a new cluster
# in a temporary folder, listening on 127.0.0.1 only (the first free port from
# 55432), trust authentication, run as the `postgres` user when started as
# root (PostgreSQL refuses to run as root). Prints two lines to eval:
#   ERDIAG_TEST_POSTGRES=postgres://postgres@127.0.0.1:PORT/postgres
#   ERDIAG_TEST_POSTGRES_DIR=/tmp/erdiag-pg.XXXXXX
#
# Usage: scripts/postgres-test-server.sh start
#        scripts/postgres-test-server.sh stop DIR
set -euo pipefail
bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
if [ -z "$bin" ]; then
  echo "error: no PostgreSQL server found under /usr/lib/postgresql (Debian's postgresql package)" >&2
  exit 1
fi
run=()
[ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)

case "${1:-start}" in
  stop)
    "${run[@]}" "$bin/pg_ctl" -D "$2/data" -m fast -w stop >&2
    rm -rf "$2"
    ;;
  start)
    port=55432
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    dir="$(mktemp -d /tmp/erdiag-pg.XXXXXX)"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    "${run[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >"$dir/initdb.log"
    "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c max_connections=200" start >&2
    echo "ERDIAG_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
    echo "ERDIAG_TEST_POSTGRES_DIR=$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
