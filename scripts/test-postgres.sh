#!/usr/bin/env bash
# `npm run test:pg`: the whole test suite with the Postgres suites on, against a throwaway
# cluster (scripts/pg-cluster.sh) that is stopped afterwards. Arguments go to vitest, e.g.
#   npm run test:pg -- test/storage
# Needs Postgres installed (Debian: apt-get install postgresql); as root, pass --install
# through PG_INSTALL=1 to have it installed.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(scripts/pg-cluster.sh start ${PG_INSTALL:+--install})"
trap 'scripts/pg-cluster.sh stop "$PG_CLUSTER_DIR"' EXIT
npx vitest run "$@"
