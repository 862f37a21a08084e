#!/usr/bin/env bash
# GraphGen next to LangGraph.js on W1–W6 (../shared/bench/WORKLOADS.md), in one session on one machine.
# Each round runs the peer (../shared/bench/peer/bench.mjs, one rep) and then GraphGen (the `workloads` command, one
# rep) on the same savers and the same local SQLite folder and PostgreSQL server; after the rounds, `compare` prints
# per (workload, saver) the medians over the rounds and how many times better GraphGen is, next to issue 7's targets.
# Both SQLite savers run WAL with synchronous=NORMAL (GraphGen's default; better-sqlite3 is built with
# SQLITE_DEFAULT_WAL_SYNCHRONOUS=1), both PostgreSQL savers the server's synchronous_commit; settings.txt says which.
#
#   bash tests/GraphGen.Benchmarks/compare.sh [--rounds 3] [--savers memory,sqlite,postgres] [--workloads W1,W2,W4,W5,W6]
#
# Installs what it needs: the peer's npm packages into $PEER_DIR (default $TMPDIR/graphgen-peer; better-sqlite3
# compiles there, about 2 minutes the first time) and, when postgres is selected and GRAPHGEN_TEST_POSTGRES is unset,
# a local PostgreSQL through .ci/postgres. Raw lines and the table go to $OUT (default BenchmarkDotNet.Artifacts/compare-<time>).
# Exit code: 0 when every target with data is met, 1 when one is missed or a run failed, 2 for bad arguments.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=3
savers=memory,sqlite,postgres
workloads=W1,W2,W4,W5,W6
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --savers) savers=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    *) echo "unknown argument '$1'; usage: compare.sh [--rounds N] [--savers memory,sqlite,postgres] [--workloads W1,W2,W4,W5,W6]" >&2; exit 2 ;;
  esac
done
case "$rounds" in ''|*[!0-9]*|0) echo "--rounds must be a positive integer, not '$rounds'" >&2; exit 2 ;; esac

peer_src=${PEER_SRC:-$root/../shared/bench/peer}
peer_dir=${PEER_DIR:-${TMPDIR:-/tmp}/graphgen-peer}
out=${OUT:-$root/BenchmarkDotNet.Artifacts/compare-$(date +%Y%m%d-%H%M%S)}
export SQLITE_DIR=${SQLITE_DIR:-${TMPDIR:-/tmp}}
mkdir -p "$out" "$peer_dir"

# --- the peer: its own copy of bench.mjs and its packages, reinstalled when the lock file changes
if ! command -v node >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
cp "$peer_src/bench.mjs" "$peer_src/package.json" "$peer_dir/"
if ! cmp -s "$peer_src/package-lock.json" "$peer_dir/package-lock.json" || [ ! -f "$peer_dir/node_modules/better-sqlite3/build/Release/better_sqlite3.node" ]; then
  cp "$peer_src/package-lock.json" "$peer_dir/"
  echo "== npm ci in $peer_dir (compiles better-sqlite3)" >&2
  (cd "$peer_dir" && npm_config_nodedir=/usr npm ci --no-audit --no-fund >&2)
fi

# --- the server, shared by both sides
if [[ ",$savers," == *",postgres,"* ]]; then
  if [ -z "${GRAPHGEN_TEST_POSTGRES:-}" ]; then
    GRAPHGEN_TEST_POSTGRES=$(bash "$root/.ci/postgres")
    export GRAPHGEN_TEST_POSTGRES
    export PG_URL=${PG_URL:-postgresql://graphgen:graphgen@127.0.0.1:5432/graphgen}
  elif [ -z "${PG_URL:-}" ]; then
    echo "GRAPHGEN_TEST_POSTGRES is set: set PG_URL to the same server for the peer (postgresql://user:password@host:port/db)" >&2
    exit 2
  fi
fi

# --- what durability each side runs with (the table is only fair if they match)
{
  # Read after a write: better-sqlite3's WAL default (SQLITE_DEFAULT_WAL_SYNCHRONOUS=1) applies once the WAL is open.
  echo "peer SQLite (better-sqlite3, WAL as the saver sets it): synchronous=$(cd "$peer_dir" && node -e '
    const path = require("path").join(require("os").tmpdir(), "graphgen-peer-probe.db");
    require("fs").rmSync(path, { force: true });
    const db = new (require("better-sqlite3"))(path);
    db.pragma("journal_mode = WAL");
    db.exec("CREATE TABLE probe(x); INSERT INTO probe VALUES (1)");
    console.log(["off", "normal", "full", "extra"][db.pragma("synchronous", { simple: true })]);
    db.close();')"
  if [ -n "${PG_URL:-}" ]; then
    echo "PostgreSQL server: synchronous_commit=$(psql "$PG_URL" -Atc 'show synchronous_commit'), fsync=$(psql "$PG_URL" -Atc 'show fsync') (both sides use the server default)"
    echo "PostgreSQL TLS: peer off (node-postgres without sslmode), GraphGen: the tls field of the postgres saver in the meta line of graphgen.jsonl"
  fi
  echo "GraphGen SQLite (Microsoft.Data.Sqlite): WAL, synchronous=normal (the saver's default); details in the meta line of graphgen.jsonl"
} | tee "$out/settings.txt" >&2

# --- build once, then alternate
dotnet build -c Release "$here/GraphGen.Benchmarks.csproj" -v q -nologo >&2
app="$here/bin/Release/net10.0/GraphGen.Benchmarks.dll"
: > "$out/peer.jsonl"
: > "$out/graphgen.jsonl"
failed=0
for round in $(seq 1 "$rounds"); do
  echo "== round $round of $rounds: peer" >&2
  (cd "$peer_dir" && node --expose-gc bench.mjs --reps 1 --savers "$savers" --workloads "$workloads") >> "$out/peer.jsonl" || failed=1
  echo "== round $round of $rounds: GraphGen" >&2
  dotnet "$app" workloads --reps 1 --savers "$savers" --workloads "$workloads" >> "$out/graphgen.jsonl" || failed=1
done

status=0
dotnet "$app" compare "$out/peer.jsonl" "$out/graphgen.jsonl" | tee "$out/table.md" || status=$?
echo "raw lines, settings and table in $out" >&2
[ "$failed" = 0 ] || { echo "a run failed: see the error fields in $out/*.jsonl" >&2; exit 1; }
exit "$status"
