#!/usr/bin/env bash
# The multi-server set-up on one machine, on loopback, with one command (docs/deployment.md):
# PostgreSQL primary + streaming replica, Redis, the demo, two app servers, nginx in front.
# Installs PostgreSQL, nginx and Redis from Debian's packages where missing (root or sudo).
# Ctrl+C stops everything and removes the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing from Debian: ${missing[*]}"
  $sudo apt-get update -q
  # The packaged services are not needed (the rehearsal starts its own on free ports).
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ -x .venv/bin/python ] || ./dev install
exec .venv/bin/python bench/failover.py --serve "$@"
