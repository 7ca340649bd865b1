#!/usr/bin/env bash
# Installs (from Debian's packages) and starts PostgreSQL and Redis on loopback for the test
# suite, in throwaway directories; prints the variables the tests read. Usage:
#   eval "$(bash .ci/services.sh start)"   ...   bash .ci/services.sh stop
set -euo pipefail
PG_PORT=${XKIT_CI_PG_PORT:-54329}
REDIS_PORT=${XKIT_CI_REDIS_PORT:-63799}
STATE=${XKIT_CI_SERVICES_DIR:-/tmp/xkit-ci-services}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

install_packages() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null || missing+=(redis-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq >&2
    # Debian's post-install tries to start services; in a container without systemd that is harmless.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}

start() {
  install_packages
  local bin; bin=$(pg_bin)
  rm -rf "$STATE"; mkdir -p "$STATE"
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  local as_pg=()
  if [ "$(id -u)" = 0 ]; then chown postgres "$STATE"; as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$bin/initdb" -D "$STATE/pg" -A trust -U xkit >&2
  "${as_pg[@]}" "$bin/pg_ctl" -D "$STATE/pg" -l "$STATE/pg.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $STATE -c fsync=off -c max_connections=300" start >&2
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE" >&2
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "export XKIT_TEST_POSTGRES_URL=postgres://xkit@127.0.0.1:$PG_PORT/postgres"
  echo "export XKIT_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
}

stop() {
  local bin; bin=$(pg_bin)
  if [ -f "$STATE/pg/postmaster.pid" ]; then
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$STATE/pg" -m fast stop >&2 || true
    else "$bin/pg_ctl" -D "$STATE/pg" -m fast stop >&2 || true; fi
  fi
  [ -f "$STATE/redis.pid" ] && kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true
}

"${1:-start}"
