#!/usr/bin/env bash
# A local SpeakRoom cluster on this machine: a throwaway PostgreSQL (as CI makes one), Redis, N app
# processes and HAProxy on port 8080 (or PORT). Usage: deploy/cluster.sh [processes]. Ctrl-C stops all.
# Needs the Debian packages haproxy and redis-server (`make cluster` installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/postgres.sh
python=${PYTHON:-.venv/bin/python}
"$python" -m deploy.cluster --database-url "$TEST_POSTGRES_URL" --processes "${1:-2}" --port "${PORT:-8080}"
