# shellcheck shell=bash disable=SC2034  # the PG_* variables are read by the sourcing script
# Throwaway PostgreSQL cluster for the test suite. Sourced by scripts/test.sh.
#
#   pg_throwaway_find_bin   sets PG_BIN (directory holding initdb and pg_ctl) and PG_PSQL
#   pg_throwaway_start      initdb + start on a free loopback port; exports OKNO_TEST_POSTGRES_URL
#   pg_throwaway_stop       stops the server and removes its directory (idempotent; call from a trap)
#
# PostgreSQL refuses to run as root, so when we are root the cluster is owned by and run
# as the `postgres` system user (or `okno-test`, created here, when there is none).
# Everything lives in one mktemp directory: data, log, and the unix socket.

PG_BIN=""
PG_PSQL=""
PG_TMP=""
PG_PORT=""
PG_OS_USER=""
PG_SUPERUSER="postgres"

# Directory with initdb/pg_ctl: the newest /usr/lib/postgresql/*/bin (Debian keeps the server
# binaries off PATH there), else whatever initdb is on PATH. Returns 1 when there is none.
pg_throwaway_find_bin() {
    local dir
    PG_BIN=""
    dir=$(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
        PG_BIN="$dir"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        PG_BIN=$(dirname "$(command -v initdb)")
    fi
    PG_PSQL=""
    if command -v psql >/dev/null 2>&1; then
        PG_PSQL=$(command -v psql)
    elif [[ -n "$PG_BIN" && -x "$PG_BIN/psql" ]]; then
        PG_PSQL="$PG_BIN/psql"
    fi
    [[ -n "$PG_BIN" ]]
}

# Run a command as the cluster's OS user, from inside the cluster directory (the invoking
# directory, e.g. /root, may not be readable by that user).
_pg_as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$PG_TMP" && runuser -u "$PG_OS_USER" -- "$@")
    else
        (cd "$PG_TMP" && "$@")
    fi
}

_pg_port_busy() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
    fi
}

pg_throwaway_start() {
    local locale_args port attempt started=0

    if [[ -z "$PG_BIN" ]] && ! pg_throwaway_find_bin; then
        echo "pg-throwaway: initdb/pg_ctl not found (looked in /usr/lib/postgresql/*/bin and PATH)" >&2
        return 1
    fi

    if [[ $EUID -eq 0 ]]; then
        if id -u postgres >/dev/null 2>&1; then
            PG_OS_USER=postgres
        else
            PG_OS_USER=okno-test
            if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
                useradd --system --no-create-home --home-dir /nonexistent \
                    --shell /usr/sbin/nologin "$PG_OS_USER" || return 1
            fi
        fi
        if ! command -v runuser >/dev/null 2>&1; then
            echo "pg-throwaway: runuser (util-linux) is needed to run PostgreSQL as $PG_OS_USER" >&2
            return 1
        fi
    else
        PG_OS_USER=$(id -un)
    fi

    PG_TMP=$(mktemp -d /tmp/okno-pg.XXXXXX) || return 1
    chmod 700 "$PG_TMP" || return 1
    if [[ $EUID -eq 0 ]]; then
        chown "$PG_OS_USER" "$PG_TMP" || return 1
    fi

    # C.UTF-8 so lower()/upper()/ILIKE work on Cyrillic text; plain C only if it is missing.
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale_args=(--locale=C.UTF-8)
    else
        echo "pg-throwaway: warning: no C.UTF-8 locale, using C (non-ASCII case folding will be ASCII-only)" >&2
        locale_args=(--no-locale)
    fi

    if ! _pg_as_owner "$PG_BIN/initdb" --pgdata="$PG_TMP/data" --username="$PG_SUPERUSER" \
        --auth=trust --encoding=UTF8 "${locale_args[@]}" >"$PG_TMP/initdb.log" 2>&1; then
        echo "pg-throwaway: initdb failed:" >&2
        cat "$PG_TMP/initdb.log" >&2
        return 1
    fi

    # Trust, but only over the socket in our private directory and over loopback.
    cat >"$PG_TMP/data/pg_hba.conf" <<'EOF' || return 1
local all all              trust
host  all all 127.0.0.1/32 trust
host  all all ::1/128      trust
EOF
    # Throwaway data: durability off for speed. Later settings override initdb's.
    cat >>"$PG_TMP/data/postgresql.conf" <<EOF || return 1

# --- okno scripts/pg-throwaway.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
EOF

    # A free port: first one from 55432 nobody listens on. Another process may grab it
    # between the check and the bind, so on failure try the next one.
    port=55432
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        while _pg_port_busy "$port"; do
            port=$((port + 1))
            if ((port > 55632)); then
                echo "pg-throwaway: no free port in 55432-55632" >&2
                return 1
            fi
        done
        rm -f -- "$PG_TMP/postgres.log"
        if _pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_TMP/data" --log="$PG_TMP/postgres.log" \
            --wait --timeout=60 --options="-p $port" start >"$PG_TMP/pg_ctl.log" 2>&1; then
            started=1
            break
        fi
        if grep -q 'could not bind\|could not create any TCP/IP sockets' "$PG_TMP/postgres.log" 2>/dev/null; then
            echo "pg-throwaway: port $port taken meanwhile (attempt $attempt), trying the next one" >&2
            port=$((port + 1))
            continue
        fi
        break
    done
    if ((!started)); then
        echo "pg-throwaway: PostgreSQL did not start. pg_ctl said:" >&2
        cat "$PG_TMP/pg_ctl.log" >&2 || true
        echo "--- tail of $PG_TMP/postgres.log ---" >&2
        tail -n 30 "$PG_TMP/postgres.log" >&2 || true
        return 1
    fi

    PG_PORT=$port
    export OKNO_TEST_POSTGRES_URL="postgres://$PG_SUPERUSER@127.0.0.1:$PG_PORT/postgres"
}

pg_throwaway_stop() {
    [[ -n "$PG_TMP" ]] || return 0
    if [[ -f "$PG_TMP/data/postmaster.pid" ]]; then
        _pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_TMP/data" --mode=fast --wait --timeout=30 \
            stop >/dev/null 2>&1 ||
            _pg_as_owner "$PG_BIN/pg_ctl" --pgdata="$PG_TMP/data" --mode=immediate --wait \
                --timeout=30 stop >/dev/null 2>&1 ||
            echo "pg-throwaway: warning: could not stop PostgreSQL in $PG_TMP" >&2
    fi
    rm -rf -- "$PG_TMP"
    PG_TMP=""
}
