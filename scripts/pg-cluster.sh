#!/usr/bin/env bash
# A throwaway Postgres cluster on 127.0.0.1 for the tests (and for trying several instances).
#
#   eval "$(scripts/pg-cluster.sh start)"   # prints: export CITAT_TEST_DATABASE_URL=… PG_CLUSTER_DIR=…
#   npm test                                 # the Postgres suites use CITAT_TEST_DATABASE_URL
#   scripts/pg-cluster.sh stop               # stops it and deletes its directory
#
# Needs Debian's `postgresql` package (initdb, pg_ctl); `--install` installs it with apt-get
# when missing (root only). initdb refuses to run as root, so as root the cluster runs as the
# `postgres` user in a temporary directory owned by it. Nothing listens beyond 127.0.0.1;
# authentication is "trust" (a test cluster, never for production data).
set -euo pipefail

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$found" ] && echo "$found"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    # runuser keeps the environment minimal; cd / so the postgres user can read its cwd.
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

cmd=${1:-}
case "$cmd" in
  start)
    if [ "${2:-}" = "--install" ] && [ -z "$(find_bin initdb)" ]; then
      echo "pg-cluster: installing postgresql with apt-get" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update >&2 && apt-get install -y --no-install-recommends postgresql >&2
    fi
    INITDB=$(find_bin initdb); PG_CTL=$(find_bin pg_ctl)
    if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
      echo "pg-cluster: initdb/pg_ctl not found (install Debian's postgresql package)" >&2
      exit 1
    fi
    dir=$(mktemp -d /tmp/citat-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    # A free port: ask the kernel for one.
    port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_owner "$INITDB" -D "$dir/data" -U citat --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$PG_CTL" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2 \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export CITAT_TEST_DATABASE_URL=postgres://citat@127.0.0.1:$port/postgres PG_CLUSTER_DIR=$dir"
    ;;
  stop)
    dir=${2:-${PG_CLUSTER_DIR:-}}
    if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then echo "pg-cluster: no cluster to stop (PG_CLUSTER_DIR unset)" >&2; exit 0; fi
    as_owner "$(find_bin pg_ctl)" -D "$dir/data" -m immediate -w stop >&2 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [--install] | stop [dir]" >&2
    exit 2
    ;;
esac
