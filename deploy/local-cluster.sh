#!/usr/bin/env bash
# A real multi-process cluster on one machine, everything on 127.0.0.1, as a durability check:
#   1. a throwaway PostgreSQL server (initdb + pg_ctl in a temp dir, free port; as the postgres OS user when root);
#   2. two silos as separate processes on PostgreSQL clustering + storage (silo 1 declares `--accelerator cpu`,
#      silo 2 declares none and hosts products only); each applies the schema itself;
#   3. the client's HTTP API (`serve`);
#   4. `ingest` of the bundled sample catalogue, SIGKILLing silo 2 mid-ingest; events reported `failed`
#      (never accepted) are retried by re-running ingest, which is idempotent (duplicates/stale are no-ops);
#   5. checks that every catalogue product is served by GET /api/products/{id}, that every clothing type's search
#      finds all its products, and that queries kept answering while a silo was dead.
# Prints "local-cluster: lost N of M products, ..." and exits 0 only when nothing was lost. Everything it started
# (client, silos, PostgreSQL) is stopped on exit, whatever the exit path.
#
# Usage: bash deploy/local-cluster.sh [--build] [--configuration Release|Debug]
#   --build                  rebuild the binaries even when present (default: reuse them, build when missing)
#   --configuration C        which build of silo and client to run (default Release; the test passes its own, whose
#                            project references have just built them)
# Environment (all optional):
#   LOCAL_CLUSTER_CATALOG    catalogue CSV (default data/sample/styles.csv)
#   LOCAL_CLUSTER_IMAGES     its image folder (default data/sample/images)
#   LOCAL_CLUSTER_MODEL      checkpoint dir for the accelerator silo (default models/demo when it holds a
#                            manifest.json; set it empty to run without a model: products then wait in the queue)
#   LOCAL_CLUSTER_LOGS       log folder (default artifacts/local-cluster)
#   LOCAL_CLUSTER_KILL_AFTER products stored before silo 2 is killed (default 60)
#   LOCAL_CLUSTER_INGEST_RUNS most ingest runs before giving up on failed events (default 8)
#   LOCAL_CLUSTER_TIMEOUT    seconds before the whole run gives up and stops everything (default 600)
#   LOCAL_CLUSTER_CLIENT     how client processes find the gateways: "postgres" (default; the membership table,
#                            --postgres) or "gateways" (static 127.0.0.1 gateway list, --gateway-port of both silos)
#   ENRICHMENT_PG_BIN        directory holding initdb/pg_ctl/psql (default: PATH, then newest /usr/lib/postgresql/*/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The ingest command draws a progress display; keep it plain in logs.
export TERM=dumb NO_COLOR=1

build=0
configuration=Release
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=1 ;;
    --configuration|-c) configuration="${2:?--configuration needs Debug or Release}"; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

catalog="${LOCAL_CLUSTER_CATALOG:-data/sample/styles.csv}"
images="${LOCAL_CLUSTER_IMAGES:-data/sample/images}"
if [ -z "${LOCAL_CLUSTER_MODEL+set}" ]; then
  model=""; [ -f models/demo/manifest.json ] && model=models/demo
else
  model="$LOCAL_CLUSTER_MODEL"
fi
logs="${LOCAL_CLUSTER_LOGS:-artifacts/local-cluster}"
kill_after="${LOCAL_CLUSTER_KILL_AFTER:-60}"
max_runs="${LOCAL_CLUSTER_INGEST_RUNS:-8}"
run_timeout="${LOCAL_CLUSTER_TIMEOUT:-600}"
client_mode="${LOCAL_CLUSTER_CLIENT:-postgres}"
case "$client_mode" in postgres|gateways) ;; *) echo "LOCAL_CLUSTER_CLIENT must be postgres or gateways" >&2; exit 2 ;; esac
mkdir -p "$logs"
logs="$(cd "$logs" && pwd)"
rm -f "$logs"/*.log

log() { echo "[local-cluster $(date -u +%H:%M:%S)] $*"; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------- cleanup
pids=()          # processes we started (silos, client, ingest, query loop), stopped in reverse order
watchdog=""      # detached process that cleans up if this script is SIGKILLed
timer=""         # fires LOCAL_CLUSTER_TIMEOUT
pg_root=""       # throwaway PostgreSQL directory
pg_ctl=""
as_pg=()         # prefix that runs a command as the postgres OS user when we are root

stop_all() {
  local rc=$?
  trap - EXIT INT TERM
  # Cleanup must run to the end: under errexit, a kill of a helper that already exited would end the script here
  # with status 1 and leave the rest to the watchdog.
  set +e
  local i
  if [ -n "$timer" ]; then pkill -KILL -P "$timer" 2>/dev/null; kill -KILL "$timer" 2>/dev/null; fi
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null; fi
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    # Give each a few seconds to leave the cluster cleanly, then make sure.
    for _ in $(seq 1 50); do kill -0 "${pids[i]}" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  if [ -n "$pg_root" ] && [ -d "$pg_root" ]; then
    if [ -f "$pg_root/data/postmaster.pid" ]; then
      "${as_pg[@]}" "$pg_ctl" stop -D "$pg_root/data" -m immediate -s >/dev/null 2>&1 || true
    fi
    cp "$pg_root/postgres.log" "$logs/postgres.log" 2>/dev/null || true
    rm -rf "$pg_root"
  fi
  if [ "$rc" -ne 0 ]; then
    log "exit $rc; logs in $logs"
  fi
  exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'log "terminated (SIGTERM; LOCAL_CLUSTER_TIMEOUT is ${run_timeout}s)"; exit 143' TERM
# Background helpers never hold this script's stdout/stderr: a caller reading them would wait for them to exit.
# "&&": when cleanup kills the sleep first, the timer must not go on to signal this script.
( exec >/dev/null 2>&1; sleep "$run_timeout" && kill -TERM $$ ) &
timer=$!

# started PID: remembers a process for cleanup, also for the watchdog (pids file beside the PostgreSQL data).
started() { pids+=("$1"); [ -n "$pg_root" ] && echo "$1" >>"$pg_root/pids"; return 0; }

# ---------------------------------------------------------------------------------------------- helpers
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
taken_ports=" "
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    case "$taken_ports" in *" $p "*) continue ;; esac
    if ! port_in_use "$p"; then taken_ports+="$p "; echo "$p"; return 0; fi
  done
  die "no free TCP port found"
}

find_pg_bin() {
  local d
  for d in "${ENRICHMENT_PG_BIN:-}" $(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/x)") \
           $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/psql" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# wait_for_log FILE PATTERN SECONDS PID: waits until FILE contains PATTERN; fails if PID exits first.
wait_for_log() {
  local file=$1 pattern=$2 seconds=$3 pid=$4
  for _ in $(seq 1 $((seconds * 5))); do
    grep -q "$pattern" "$file" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then tail -n 40 "$file" >&2; die "process $pid exited before logging '$pattern' ($file)"; fi
    sleep 0.2
  done
  tail -n 40 "$file" >&2
  die "no '$pattern' in $file after ${seconds}s"
}

psql_value() { "${as_pg[@]}" "$pg_bin/psql" -h "$pg_root" -p "$pg_port" -U postgres -d enrichment -XAtq -c "$1" 2>/dev/null; }

# ---------------------------------------------------------------------------------------------- binaries
silo_dll=src/Silo/bin/$configuration/net10.0/Enrichment.Silo.dll
client_dll=src/Client/bin/$configuration/net10.0/Enrichment.Client.dll
if [ "$build" = 1 ] || [ ! -f "$silo_dll" ] || [ ! -f "$client_dll" ]; then
  log "building silo and client ($configuration)"
  dotnet build src/Silo/Enrichment.Silo.csproj -c "$configuration" -v q --nologo -clp:ErrorsOnly </dev/null >"$logs/build.log" 2>&1 \
    || { tail -n 40 "$logs/build.log" >&2; die "silo build failed"; }
  dotnet build src/Client/Enrichment.Client.csproj -c "$configuration" -v q --nologo -clp:ErrorsOnly </dev/null >>"$logs/build.log" 2>&1 \
    || { tail -n 40 "$logs/build.log" >&2; die "client build failed"; }
else
  log "reusing $configuration binaries ($silo_dll, $client_dll; --build rebuilds)"
fi
if [ "$client_mode" = postgres ] && [ ! -f "$(dirname "$client_dll")/Npgsql.dll" ]; then
  die "the client build has no Npgsql.dll, so its --postgres mode cannot load the ADO.NET provider: src/Client/Enrichment.Client.csproj needs <PackageReference Include=\"Npgsql\" /> (or run with LOCAL_CLUSTER_CLIENT=gateways)"
fi
[ -f "$catalog" ] || die "catalogue $catalog not found"
[ -d "$images" ] || die "image folder $images not found"

# Orleans' placement pipeline logs every placement at Information under the "Polly" category; keep logs readable.
export ENRICHMENT_Logging__LogLevel__Polly="${ENRICHMENT_Logging__LogLevel__Polly:-Warning}"
# Without a model, products simply wait in the enrichment queue: nothing polls, so nothing needs tuning here.

tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -e "$tcmalloc" ] && export LD_PRELOAD="$tcmalloc"

# ---------------------------------------------------------------------------------------------- PostgreSQL
pg_bin="$(find_pg_bin)" || die "PostgreSQL server binaries (initdb, pg_ctl, psql) not found: apt-get install postgresql, or set ENRICHMENT_PG_BIN"
pg_ctl="$pg_bin/pg_ctl"
# The enrichment-pg- prefix and owner.pid let test.sh stop a server left behind by a hard-killed run.
pg_root="$(mktemp -d "${TMPDIR:-/tmp}/enrichment-pg-XXXXXXXX")"
echo $$ >"$pg_root/owner.pid"
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the postgres OS user (initdb refuses root)"
  chown -R postgres: "$pg_root"
  chmod 755 "$pg_root"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_root/data" -U postgres -A trust -E UTF8 --locale=C -N >"$logs/initdb.log" 2>&1 \
  || { cat "$logs/initdb.log" >&2; die "initdb failed"; }
cat >>"$pg_root/data/postgresql.conf" <<EOF

# --- deploy/local-cluster.sh throwaway server ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$pg_root'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 64MB
EOF
pg_started=0
for _ in 1 2 3; do
  pg_port="$(free_port)"
  if "${as_pg[@]}" "$pg_ctl" start -D "$pg_root/data" -l "$pg_root/postgres.log" -w -t 60 -s -o "-p $pg_port" >/dev/null 2>&1; then
    pg_started=1; break
  fi
done
[ "$pg_started" = 1 ] || { cat "$pg_root/postgres.log" >&2 2>/dev/null; die "PostgreSQL did not start"; }
"${as_pg[@]}" "$pg_bin/psql" -h "$pg_root" -p "$pg_port" -U postgres -d postgres -XAtq -c "CREATE DATABASE enrichment" >/dev/null \
  || die "CREATE DATABASE failed"
# If this script dies without running its EXIT trap (SIGKILL), a detached watchdog stops what it started.
owner=$$
setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 2; done
  [ -f '$pg_root/pids' ] && kill -KILL \$(cat '$pg_root/pids') 2>/dev/null
  ${as_pg[*]} '$pg_ctl' stop -D '$pg_root/data' -m immediate -s >/dev/null 2>&1
  rm -rf '$pg_root'" </dev/null >/dev/null 2>&1 &
watchdog=$!
pg="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=enrichment;Timeout=30"
log "PostgreSQL on 127.0.0.1:$pg_port ($pg_root)"

# ---------------------------------------------------------------------------------------------- silos + client
cluster_id="local-$$"
silo1_port=$(free_port); gw1_port=$(free_port); silo2_port=$(free_port); gw2_port=$(free_port); api_port=$(free_port)
api="http://127.0.0.1:$api_port"
if [ "$client_mode" = postgres ]; then
  client_args=(--postgres "$pg" --cluster-id "$cluster_id")
else
  client_args=(--cluster-id "$cluster_id" --gateway-port "$gw1_port" "$gw2_port")
fi
model_args=()
[ -n "$model" ] && model_args=(--model "$model" --model-cache "$logs/model-cache")

dotnet "$silo_dll" --postgres "$pg" --cluster-id "$cluster_id" --silo-port "$silo1_port" --gateway-port "$gw1_port" \
  --accelerator cpu "${model_args[@]}" </dev/null >"$logs/silo1.log" 2>&1 &
silo1=$!; started "$silo1"
dotnet "$silo_dll" --postgres "$pg" --cluster-id "$cluster_id" --silo-port "$silo2_port" --gateway-port "$gw2_port" \
  </dev/null >"$logs/silo2.log" 2>&1 &
silo2=$!; started "$silo2"
log "silo 1 (pid $silo1, accelerator cpu${model:+, model $model}) on $silo1_port/$gw1_port; silo 2 (pid $silo2, no accelerator) on $silo2_port/$gw2_port"
wait_for_log "$logs/silo1.log" "Silo ready" 120 "$silo1"
wait_for_log "$logs/silo2.log" "Silo ready" 120 "$silo2"
log "both silos ready"

dotnet "$client_dll" serve "${client_args[@]}" --urls "$api" </dev/null >"$logs/client.log" 2>&1 &
client=$!; started "$client"
for i in $(seq 1 300); do
  curl -fsS -o /dev/null --max-time 2 "$api/healthz" 2>/dev/null && break
  kill -0 "$client" 2>/dev/null || { tail -n 40 "$logs/client.log" >&2; die "client exited"; }
  [ "$i" = 300 ] && die "client API did not answer on $api"
  sleep 0.2
done
log "client API on $api (finds the cluster by $client_mode)"

# ---------------------------------------------------------------------------------------------- queries while ingesting
# Searches one clothing type twice a second for the rest of the run; counts answers and failures.
query_type="$(sed -n 2p "$catalog" | cut -d, -f4)"
(
  ok=0 failed=0
  trap 'echo "ok=$ok failed=$failed" >"$logs/queries.tally"; exit 0' TERM
  while :; do
    if curl -fsS -o /dev/null --max-time 5 -G "$api/api/products" --data-urlencode "type=$query_type" --data-urlencode "limit=5" 2>/dev/null
    then ok=$((ok + 1)); else failed=$((failed + 1)); echo "$(date -u +%H:%M:%S) query failed" >>"$logs/queries.log"; fi
    echo "ok=$ok failed=$failed" >"$logs/queries.tally"
    sleep 0.5
  done
) </dev/null >/dev/null 2>&1 &
query_loop=$!; started "$query_loop"

# ---------------------------------------------------------------------------------------------- ingest + kill
ingest_args=(ingest "${client_args[@]}" --catalog "$catalog" --images "$images")
ingest() { # ingest RUN: runs the ingest command into ingest-RUN.log, returns its exit code
  dotnet "$client_dll" "${ingest_args[@]}" </dev/null >"$logs/ingest-$1.log" 2>&1
}
products_stored() { psql_value "SELECT count(*) FROM orleansstorage WHERE graintypestring LIKE '%product%' AND graintypestring NOT LIKE '%search%'" || echo 0; }

expected=$(($(grep -c . "$catalog") - 1))
started=$(date +%s)
log "ingesting $catalog ($expected products); silo 2 is killed after $kill_after products are stored"
dotnet "$client_dll" "${ingest_args[@]}" </dev/null >"$logs/ingest-1.log" 2>&1 &
ingest_pid=$!; started "$ingest_pid"
killed_at=""
for _ in $(seq 1 1200); do
  if ! kill -0 "$ingest_pid" 2>/dev/null; then break; fi
  stored="$(products_stored)"
  if [ "${stored:-0}" -ge "$kill_after" ]; then
    kill -KILL "$silo2"
    killed_at="$stored"
    log "SIGKILLed silo 2 (pid $silo2) with $stored products stored"
    break
  fi
  sleep 0.1
done
[ -n "$killed_at" ] || { kill -KILL "$silo2" 2>/dev/null || true; log "WARNING: ingest ended before $kill_after products were stored; silo 2 killed afterwards"; }
wait "$silo2" 2>/dev/null || true
rc=0; wait "$ingest_pid" || rc=$?
log "ingest run 1 exited $rc: $(grep -h '^Done:' "$logs/ingest-1.log" | tail -n 1)"
run=1
while [ "$rc" -ne 0 ]; do
  grep -q '^Done:' "$logs/ingest-$run.log" || { tail -n 40 "$logs/ingest-$run.log" >&2; die "ingest run $run crashed (exit $rc, no summary)"; }
  [ "$run" -lt "$max_runs" ] || die "events still failing after $run ingest runs"
  run=$((run + 1))
  sleep 2
  rc=0; ingest "$run" || rc=$?
  log "ingest run $run exited $rc: $(grep -h '^Done:' "$logs/ingest-$run.log" | tail -n 1)"
done
log "ingest complete after $run run(s), $(( $(date +%s) - started ))s"

# ---------------------------------------------------------------------------------------------- checks
# One curl process fetches every product, 8 at a time; what does not answer 200 gets two more tries one by one
# (an activation moving off the dead silo may need one).
curl_config="$logs/products.curl"
tail -n +2 "$catalog" | cut -d, -f1 | grep -v '^$' | sed "s#.*#url = \"$api/api/products/&\"\noutput = \"/dev/null\"#" >"$curl_config"
curl -sS --parallel --parallel-max 8 --max-time 30 -K "$curl_config" -w '%{http_code} %{url_effective} %{time_total}\n' \
  >"$logs/products.codes" 2>/dev/null || true
tail -n +2 "$catalog" | cut -d, -f1 | grep -v '^$' | sort -u >"$logs/products.expected"
grep '^200 ' "$logs/products.codes" | sed 's#^200 .*/api/products/\([^ ]*\) .*#\1#' | sort -u >"$logs/products.served" || true
checked=$(grep -c . "$logs/products.expected")
lost=0; lost_ids=()
while read -r id; do
  [ -n "$id" ] || continue
  code=""
  for _ in 1 2; do
    sleep 0.5
    code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 15 "$api/api/products/$id" 2>/dev/null || true)"
    [ "$code" = 200 ] && break
  done
  if [ "$code" != 200 ]; then lost=$((lost + 1)); lost_ids+=("$id:$code"); fi
done < <(comm -23 "$logs/products.expected" "$logs/products.served")
[ "$checked" -eq "$expected" ] || die "catalogue has $checked distinct ids for $expected rows"
log "checked $checked products over HTTP: $lost missing"

# Every clothing type's search must find all of its products (the index is as durable as the products).
index_missing=0
while read -r count type; do
  body="$(curl -fsS --max-time 10 -G "$api/api/products" --data-urlencode "type=$type" --data-urlencode "limit=1" 2>/dev/null || true)"
  total="$(printf '%s' "$body" | grep -o '"total":[0-9]*' | head -n 1 | cut -d: -f2)"
  if [ "${total:-x}" != "$count" ]; then
    index_missing=$((index_missing + count - ${total:-0}))
    log "search type=$type found ${total:-no answer} of $count"
  fi
done < <(tail -n +2 "$catalog" | cut -d, -f4 | sort | uniq -c | sed 's/^ *//')

kill -TERM "$query_loop" 2>/dev/null || true; wait "$query_loop" 2>/dev/null || true
queries="$(cat "$logs/queries.tally" 2>/dev/null || echo "ok=0 failed=0")"
q_ok="$(echo "$queries" | sed 's/.*ok=\([0-9]*\).*/\1/')"
kill -0 "$silo1" 2>/dev/null || die "silo 1 died"
kill -0 "$client" 2>/dev/null || die "client died"

echo "local-cluster: lost $lost of $expected products, index missing $index_missing, ingest runs $run, silo 2 killed at ${killed_at:-end} stored, queries during run $queries"
[ "$lost" -eq 0 ] || die "lost products: ${lost_ids[*]:0:20}"
[ "$index_missing" -eq 0 ] || die "search misses $index_missing products"
[ "${q_ok:-0}" -gt 0 ] || die "no query answered during the run"
log "OK"
