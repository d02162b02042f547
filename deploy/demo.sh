#!/usr/bin/env bash
# The one-command demo on the embedded default: one silo (localhost clustering, in-memory storage, with its health
# and metrics endpoints) and the client, which ingests the bundled sample catalogue and serves the HTTP API on
# 127.0.0.1. What you need to use it (console address, tokens, API reference, health and metrics URLs) is printed
# last, after every other line, so it is on screen when the demo is up.
#
# Settings (environment): DEMO_PORT (HTTP API, 5080), DEMO_METRICS_PORT (silo metrics, 9464), DEMO_HEALTH_PORT (silo
# health, 9465), DEMO_SILO_PORT (11111), DEMO_GATEWAY_PORT (30000), DEMO_LOGS (artifacts/demo), DEMO_CONFIGURATION
# (Release), DEMO_BUILD=0 (run the binaries already built), ENRICHMENT_ADMIN_TOKEN / ENRICHMENT_INGEST_TOKEN (bring
# your own tokens). DEMO_EXIT_AFTER_QUERIES=1 stops after printing the summary (used by scripted checks).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DEMO_PORT:-5080}"
metrics_port="${DEMO_METRICS_PORT:-9464}"
health_port="${DEMO_HEALTH_PORT:-9465}"
silo_port="${DEMO_SILO_PORT:-11111}"
gateway_port="${DEMO_GATEWAY_PORT:-30000}"
configuration="${DEMO_CONFIGURATION:-Release}"
api="http://127.0.0.1:${port}"
silo_health="http://127.0.0.1:${health_port}/healthz"
silo_metrics="http://127.0.0.1:${metrics_port}/metrics"
logs="${DEMO_LOGS:-artifacts/demo}"
mkdir -p "$logs"

if [ "${DEMO_BUILD:-1}" != 0 ]; then
  echo "Building silo and client ($configuration)..."
  dotnet build src/Silo/Enrichment.Silo.csproj -c "$configuration" -v q --nologo -clp:ErrorsOnly
  dotnet build src/Client/Enrichment.Client.csproj -c "$configuration" -v q --nologo -clp:ErrorsOnly
fi

# tcmalloc makes large libtorch batches several times faster than glibc malloc; use it when installed.
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -e "$tcmalloc" ] && export LD_PRELOAD="$tcmalloc"

# Admin actions (retraining, rollback) need a token; the demo makes one unless you bring your own.
token="${ENRICHMENT_ADMIN_TOKEN:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"
# POST /api/events needs its own token (X-Ingest-Token or Bearer), so a web page cannot post events through a browser.
ingest_token="${ENRICHMENT_INGEST_TOKEN:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"

# The silo declares a CPU accelerator, so it hosts the model grains, and publishes the bundled model.
dotnet "src/Silo/bin/$configuration/net10.0/Enrichment.Silo.dll" --accelerator cpu --model models/demo \
  --silo-port "$silo_port" --primary-silo-port "$silo_port" --gateway-port "$gateway_port" \
  --metrics-port "$metrics_port" --health-port "$health_port" >"$logs/silo.log" 2>&1 &
silo=$!
trap 'kill $silo ${client:-} 2>/dev/null || true; wait $silo ${client:-} 2>/dev/null || true' EXIT INT TERM

echo "Silo pid $silo; logs in $logs/"
# Ready = active in the cluster with the model loaded: the client then finds a gateway and enrichment can start.
echo -n "Waiting for the silo ($silo_health/ready)"
for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null "$silo_health/ready" 2>/dev/null; then break; fi
  if ! kill -0 $silo 2>/dev/null; then
    echo; echo "The silo exited early:"; tail -n 30 "$logs/silo.log"; exit 1
  fi
  echo -n "."; sleep 1
done
echo
curl -fsS -o /dev/null "$silo_health/ready" || { echo "The silo is not ready after 180 s: $(curl -sS "$silo_health/ready" || true)"; exit 1; }

dotnet "src/Client/bin/$configuration/net10.0/Enrichment.Client.dll" serve --urls "$api" --gateway-port "$gateway_port" \
  --admin-token "$token" --ingest-token "$ingest_token" \
  --catalog data/sample/styles.csv --images data/sample/images >"$logs/client.log" 2>&1 &
client=$!

echo "Client pid $client"
echo -n "Waiting for the catalogue to load"
for _ in $(seq 1 120); do
  if grep -q "Ingested" "$logs/client.log" 2>/dev/null; then break; fi
  if ! kill -0 $silo 2>/dev/null || ! kill -0 $client 2>/dev/null; then
    echo; echo "A process exited early:"; tail -n 30 "$logs/silo.log" "$logs/client.log"; exit 1
  fi
  echo -n "."; sleep 1
done
echo
grep "Ingested" "$logs/client.log" | tail -n 1 | sed 's/^.*Ingested/Ingested/'

first_id="$(sed -n 2p data/sample/styles.csv | cut -d, -f1)"
echo -n "Waiting for enrichment"
for _ in $(seq 1 120); do
  if curl -fsS "$api/api/products/$first_id" 2>/dev/null | grep -q '"enrichmentStatus":"Enriched"'; then break; fi
  echo -n "."; sleep 1
done
echo

# A taste of each answer, not the whole body: the summary below must stay on screen.
show() {
  local body
  body="$(curl -fsS "$api$1" 2>&1 || true)"
  echo "\$ curl '$api$1'"
  echo "  ${body:0:240}$([ ${#body} -gt 240 ] && echo " ...")"
}
show "/api/products/$first_id"
show "/api/products?colour=Black&type=Watches&limit=3"
show "/api/rejected?take=3"

# Every address the summary gives has just answered, so the summary is a promise the demo keeps.
for url in "$api/healthz/ready" "$api/metrics" "$api/openapi/v1.json" "$silo_metrics" "$silo_health/ready"; do
  curl -fsS -o /dev/null "$url" || { echo "$url does not answer; logs in $logs/"; exit 1; }
done
curl -fsS -o /dev/null -u "demo:$token" "$api/dashboard/DashboardCounters" || { echo "$api/dashboard/ does not answer; logs in $logs/"; exit 1; }

rule="================================================================================"
cat <<EOF

$rule
Enrichment.Orleans demo is up
  Admin console:   $api/
  Admin token:     $token
                   (paste it in the console; API: header X-Admin-Token or Authorization: Bearer)
  Ingest token:    $ingest_token
                   (POST $api/api/events with header X-Ingest-Token)
  API reference:   $api/scalar/   (OpenAPI 3.1: $api/openapi/v1.json)
  Orleans Dashboard: $api/dashboard/   (sign in with any user name and the admin token as password)
  Client:          metrics $api/metrics, health $api/healthz/ready
  Silo:            metrics $silo_metrics, health $silo_health/ready
  Logs:            $logs/
$([ "${DEMO_EXIT_AFTER_QUERIES:-0}" = 1 ] && echo "Stopping now (DEMO_EXIT_AFTER_QUERIES=1)." || echo "Ctrl+C stops.")
$rule
EOF
if [ "${DEMO_EXIT_AFTER_QUERIES:-0}" = 1 ]; then exit 0; fi
wait $client
