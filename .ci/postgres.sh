# Source this file: starts a throwaway PostgreSQL cluster (initdb in a temp dir, a free port on
# 127.0.0.1), exports TEST_POSTGRES_URL, and stops and removes the cluster when the shell exits.
# shellcheck shell=bash

pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && pg_bin="$candidate"
done
if [ -z "$pg_bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "postgres.sh: installing PostgreSQL server (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && pg_bin="$candidate"
  done
fi
if [ -z "$pg_bin" ]; then
  echo "postgres.sh: no PostgreSQL server found (looked in /usr/lib/postgresql/*/bin)" >&2
  return 1 2>/dev/null || exit 1
fi

pg_dir=$(mktemp -d /tmp/speakroom-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# initdb refuses to run as root: run the cluster as the 'postgres' system user when we are root.
if [ "$(id -u)" = 0 ]; then
  chown postgres "$pg_dir"
  pg_as() { runuser -u postgres -- "$@"; }
else
  pg_as() { "$@"; }
fi
pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U speakroom -A trust -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 \
  || { cat "$pg_dir/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
  -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$pg_dir/server.log" >&2; return 1 2>/dev/null || exit 1; }

speakroom_stop_postgres() {
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap speakroom_stop_postgres EXIT

export TEST_POSTGRES_URL="postgresql://speakroom@127.0.0.1:$pg_port/postgres"
echo "postgres.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on port $pg_port"
