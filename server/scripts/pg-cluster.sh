#!/usr/bin/env bash
# A PostgreSQL primary and two streaming replicas on 127.0.0.1, for the share service's tests
# and benchmark: initdb, then pg_basebackup -R for each replica, all run as the `postgres` user
# in a temporary folder.
#
#   server/scripts/pg-cluster.sh start DIR [PORT]   start (ports PORT, PORT+1, PORT+2; default 55432)
#   server/scripts/pg-cluster.sh stop DIR           stop all three and remove DIR
#
# `start` prints the environment the tests read (UNROLL_PG_PRIMARY, UNROLL_PG_REPLICAS,
# UNROLL_PG_DIR, UNROLL_PG_BIN, and UNROLL_PG_BOUNCER when PgBouncer is installed: transaction
# pooling in front of the primary on PORT+3) as `export` lines.
set -euo pipefail

command_name="${1:-}"
dir="${2:-}"
port="${3:-55432}"
[ -n "$command_name" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2; }

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql (install Debian's postgresql)" >&2; exit 1; }

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres -- "$@"
  fi
}

# An absolute path, and a working directory the postgres user can enter.
[ "$command_name" = start ] && mkdir -p "$dir"
dir="$(cd "$dir" 2>/dev/null && pwd || echo "$dir")"
cd /

case "$command_name" in
  start)
    chown postgres "$dir" 2>/dev/null || true
    chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/primary" -U postgres --auth=trust -E UTF8 >/dev/null
    cat >>"$dir/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 10
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    echo "host replication postgres 127.0.0.1/32 trust" >>"$dir/primary/pg_hba.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc 'CREATE DATABASE shares' >/dev/null
    replicas=()
    for n in 1 2; do
      rport=$((port + n))
      as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$port" -U postgres -D "$dir/replica$n" -R -X stream --checkpoint=fast >/dev/null
      sed -i "s/^port = .*/port = $rport/" "$dir/replica$n/postgresql.conf"
      as_postgres "$bin/pg_ctl" -D "$dir/replica$n" -l "$dir/replica$n.log" -w start >/dev/null
      replicas+=("postgres://postgres@127.0.0.1:$rport/shares")
    done
    # PgBouncer in transaction mode in front of the primary (as production setups put it), when installed.
    if command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ]; then
      bouncer="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
      bport=$((port + 3))
      echo '"postgres" ""' >"$dir/userlist.txt"
      cat >"$dir/pgbouncer.ini" <<CONF
[databases]
shares = host=127.0.0.1 port=$port dbname=shares user=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $bport
unix_socket_dir = $dir
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = 10
max_client_conn = 1000
ignore_startup_parameters = extra_float_digits,statement_timeout,idle_in_transaction_session_timeout,lock_timeout
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
CONF
      chown postgres "$dir/userlist.txt" "$dir/pgbouncer.ini" 2>/dev/null || true
      as_postgres "$bouncer" -d "$dir/pgbouncer.ini" >/dev/null
      echo "export UNROLL_PG_BOUNCER='postgres://postgres@127.0.0.1:$bport/shares'"
    fi
    echo "export UNROLL_PG_DIR='$dir'"
    echo "export UNROLL_PG_BIN='$bin'"
    echo "export UNROLL_PG_PRIMARY='postgres://postgres@127.0.0.1:$port/shares'"
    echo "export UNROLL_PG_REPLICAS='$(IFS=,; echo "${replicas[*]}")'"
    ;;
  stop)
    if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
    for node in replica2 replica1 primary; do
      [ -d "$dir/$node" ] && as_postgres "$bin/pg_ctl" -D "$dir/$node" -m immediate stop >/dev/null 2>&1 || true
    done
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
