#!/usr/bin/env bash
# The one-command demo on the embedded default: one silo (localhost clustering, in-memory storage)
# and the client, which ingests the bundled sample catalogue and serves the HTTP API on 127.0.0.1.
# DEMO_EXIT_AFTER_QUERIES=1 stops after printing the example queries (used by scripted checks).
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DEMO_PORT:-5080}"
api="http://127.0.0.1:${port}"
logs=artifacts/demo
mkdir -p "$logs"

echo "Building silo and client (Release)..."
dotnet build src/Silo/Enrichment.Silo.csproj -c Release -v q --nologo -clp:ErrorsOnly
dotnet build src/Client/Enrichment.Client.csproj -c Release -v q --nologo -clp:ErrorsOnly

# tcmalloc makes large libtorch batches several times faster than glibc malloc; use it when installed.
tcmalloc=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4
[ -e "$tcmalloc" ] && export LD_PRELOAD="$tcmalloc"

# Admin actions (retraining, rollback) need a token; the demo makes one unless you bring your own.
token="${ENRICHMENT_ADMIN_TOKEN:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"
# POST /api/events needs its own token (X-Ingest-Token or Bearer), so a web page cannot post events through a browser.
ingest_token="${ENRICHMENT_INGEST_TOKEN:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"

# The silo declares a CPU accelerator, so it hosts the model grains, and publishes the bundled model.
dotnet src/Silo/bin/Release/net10.0/Enrichment.Silo.dll --accelerator cpu --model models/demo \
  --metrics-port "${DEMO_METRICS_PORT:-9464}" >"$logs/silo.log" 2>&1 &
silo=$!
dotnet src/Client/bin/Release/net10.0/Enrichment.Client.dll serve --urls "$api" --admin-token "$token" --ingest-token "$ingest_token" \
  --catalog data/sample/styles.csv --images data/sample/images >"$logs/client.log" 2>&1 &
client=$!
trap 'kill $client $silo 2>/dev/null || true; wait $client $silo 2>/dev/null || true' EXIT INT TERM

echo "Silo pid $silo, client pid $client; logs in $logs/"
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

show() {
  echo; echo "\$ curl '$api$1'"
  curl -fsS "$api$1" | head -c 1200; echo
}
show "/api/products/$first_id"
show "/api/products?colour=Black&type=Watches&limit=3"
show "/api/rejected?take=3"

if [ "${DEMO_EXIT_AFTER_QUERIES:-0}" = 1 ]; then exit 0; fi
echo
echo "Admin console: $api/  (admin token: $token)"
echo "Ingest token (POST /api/events, header X-Ingest-Token): $ingest_token"
echo "HTTP API: GET /api/products/{id}, GET /api/products?colour=..&type=.., POST /api/events; metrics: $api/metrics and http://127.0.0.1:${DEMO_METRICS_PORT:-9464}/metrics"
echo "Ctrl+C stops."
wait $client
