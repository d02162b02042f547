#!/usr/bin/env bash
# A real multi-process cluster on one machine, everything on 127.0.0.1, for trying the system as it is deployed:
#   1. a throwaway PostgreSQL server (initdb + pg_ctl in a temp dir, free port; as the postgres OS user when root);
#   2. two silo processes on PostgreSQL clustering + storage (silo 1 declares `--accelerator cpu` and serves
#      models/demo when present, silo 2 declares none and hosts products only); each applies the schema itself;
#   3. the client's HTTP API (`serve`), which finds the cluster through the membership table.
# It prints the API's address and the commands to ingest into it, then waits until Ctrl-C (or LOCAL_CLUSTER_TIMEOUT)
# and stops everything it started, whatever the exit path. The durability checks that used to live here (a silo
# SIGKILLed mid-ingest, nothing lost, search agreeing, queries answering) are C# now: tests/Deploy.Tests/LocalCluster.
#
# Usage: bash deploy/local-cluster.sh [--build] [--configuration Release|Debug]
#   --build                  rebuild the binaries even when present (default: reuse them, build when missing)
#   --configuration C        which build of silo and client to run (default Release)
# Environment (all optional):
#   LOCAL_CLUSTER_MODEL      checkpoint dir for the accelerator silo (default models/demo when it holds a
#                            manifest.json; set it empty to run without a model: products then wait in the queue)
#   LOCAL_CLUSTER_LOGS       log folder (default artifacts/local-cluster)
#   LOCAL_CLUSTER_TIMEOUT    seconds before the cluster stops by itself (default 1800)
#   LOCAL_CLUSTER_READY_TIMEOUT  seconds each process may take to report ready (default 120; a loaded machine may need more)
#   ENRICHMENT_PG_BIN        directory holding initdb/pg_ctl/psql (default: PATH, then newest /usr/lib/postgresql/*/bin)
set -euo pipefail
cd "$(dirname "$0")/.."

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

if [ -z "${LOCAL_CLUSTER_MODEL+set}" ]; then
  model=""; [ -f models/demo/manifest.json ] && model=models/demo
else
  model="$LOCAL_CLUSTER_MODEL"
fi
logs="${LOCAL_CLUSTER_LOGS:-artifacts/local-cluster}"
run_timeout="${LOCAL_CLUSTER_TIMEOUT:-1800}"
ready_timeout="${LOCAL_CLUSTER_READY_TIMEOUT:-120}"
mkdir -p "$logs"
logs="$(cd "$logs" && pwd)"
rm -f "$logs"/*.log

log() { echo "[local-cluster $(date -u +%H:%M:%S)] $*"; }
die() { log "FAILED: $*"; exit 1; }

# ---------------------------------------------------------------------------------------------- cleanup
pids=()          # processes we started (silos, client), stopped in reverse order
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

# Orleans' placement pipeline logs every placement at Information under the "Polly" category; keep logs readable.
export ENRICHMENT_Logging__LogLevel__Polly="${ENRICHMENT_Logging__LogLevel__Polly:-Warning}"

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
client_args=(--postgres "$pg" --cluster-id "$cluster_id")
model_args=()
[ -n "$model" ] && model_args=(--model "$model" --model-cache "$logs/model-cache")

dotnet "$silo_dll" --postgres "$pg" --cluster-id "$cluster_id" --silo-port "$silo1_port" --gateway-port "$gw1_port" \
  --accelerator cpu "${model_args[@]}" </dev/null >"$logs/silo1.log" 2>&1 &
silo1=$!; started "$silo1"
dotnet "$silo_dll" --postgres "$pg" --cluster-id "$cluster_id" --silo-port "$silo2_port" --gateway-port "$gw2_port" \
  </dev/null >"$logs/silo2.log" 2>&1 &
silo2=$!; started "$silo2"
log "silo 1 (pid $silo1, accelerator cpu${model:+, model $model}) on $silo1_port/$gw1_port; silo 2 (pid $silo2, no accelerator) on $silo2_port/$gw2_port"
wait_for_log "$logs/silo1.log" "Silo ready" "$ready_timeout" "$silo1"
wait_for_log "$logs/silo2.log" "Silo ready" "$ready_timeout" "$silo2"
log "both silos ready"

dotnet "$client_dll" serve "${client_args[@]}" --urls "$api" </dev/null >"$logs/client.log" 2>&1 &
client=$!; started "$client"
for i in $(seq 1 $((ready_timeout * 5))); do
  curl -fsS -o /dev/null --max-time 2 "$api/healthz" 2>/dev/null && break
  kill -0 "$client" 2>/dev/null || { tail -n 40 "$logs/client.log" >&2; die "client exited"; }
  [ "$i" = $((ready_timeout * 5)) ] && die "client API did not answer on $api"
  sleep 0.2
done
log "client API on $api"

# ---------------------------------------------------------------------------------------------- running
log "cluster up: console $api/ ; stop with Ctrl-C (stops by itself after ${run_timeout}s); logs in $logs"
log "ingest the sample: dotnet $client_dll ingest ${client_args[*]} --catalog data/sample/styles.csv --images data/sample/images"
# Waits on the processes it started: if one of them dies, say so and stop the rest.
while :; do
  for pid in "$silo1" "$silo2" "$client"; do
    kill -0 "$pid" 2>/dev/null || die "process $pid exited; see $logs"
  done
  sleep 1
done
