# A throwaway PostgreSQL cluster for the PostgreSQL store's tests, sourced by scripts/test.sh (which
# defines apt_install): `start_test_postgres` initialises a cluster in a temporary folder, starts it on
# a free loopback port (as the `postgres` user when running as root: the server refuses root), exports
# BENCH_TEST_POSTGRES (a superuser URL whose password is generated here) and stops and removes it when
# the calling script exits. A BENCH_TEST_POSTGRES already set is used as is. Without PostgreSQL's
# programs: installed from Debian's `postgresql` as root; otherwise CI fails and a developer's run
# skips those tests with a message.

postgres_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

start_test_postgres() {
  if [ -n "${BENCH_TEST_POSTGRES:-}" ]; then
    return 0
  fi
  local bin
  if ! bin=$(postgres_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt_install postgresql
      bin=$(postgres_bin) || { echo "error: postgresql is installed but initdb is not found" >&2; exit 1; }
    elif [ "${CI:-}" = true ]; then
      echo "error: the PostgreSQL store's tests need PostgreSQL's server (Debian: postgresql)" >&2
      exit 1
    else
      echo "skipped: no PostgreSQL (set BENCH_TEST_POSTGRES, or install postgresql): its store tests are skipped" >&2
      return 0
    fi
  fi
  local as=()
  PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bench-pg.XXXXXX")
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  local password port
  password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf '%s\n' "$password" >"$PG_TEST_DIR/password"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_TEST_DIR/password"; fi
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U bench -E UTF8 --auth-local=trust \
    --auth-host=scram-sha-256 --pwfile="$PG_TEST_DIR/password" >"$PG_TEST_DIR/initdb.log" 2>&1 \
    || { cat "$PG_TEST_DIR/initdb.log" >&2; exit 1; }
  rm -f "$PG_TEST_DIR/password"
  PG_TEST_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data")
  local tls=""
  if test_postgres_certificates; then
    tls="-c ssl=on -c ssl_cert_file=$PG_TEST_DIR/server.pem -c ssl_key_file=$PG_TEST_DIR/server.key"
  fi
  trap stop_test_postgres EXIT
  "${PG_TEST_CTL[@]}" -l "$PG_TEST_DIR/server.log" -w -s \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off $tls" start \
    || { cat "$PG_TEST_DIR/server.log" >&2; exit 1; }
  export BENCH_TEST_POSTGRES="postgres://bench:$password@127.0.0.1:$port/postgres"
  if [ -n "$tls" ]; then export BENCH_TEST_POSTGRES_CA="$PG_TEST_DIR/ca.pem"; fi
  echo "PostgreSQL for the store tests: postgres://bench@127.0.0.1:$port/postgres ($("$bin/postgres" --version))"
}

# A test CA and a server certificate for 127.0.0.1 signed by it (openssl), so the tests can connect
# over TLS with the certificate verified. Without openssl (and not root to install it) the server
# starts without TLS and the TLS test skips outside CI.
test_postgres_certificates() {
  if ! command -v openssl >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then apt_install openssl; else return 1; fi
  fi
  local d=$PG_TEST_DIR
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=bench test CA" -keyout "$d/ca.key" \
    -out "$d/ca.pem" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1 || return 1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" \
    -out "$d/server.csr" >/dev/null 2>&1 || return 1
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
    >"$d/server.ext"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/server.ext" -out "$d/server.pem" >/dev/null 2>&1 || return 1
  chmod 600 "$d/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres "$d/server.key" "$d/server.pem"; fi
}

stop_test_postgres() {
  "${PG_TEST_CTL[@]}" -m immediate -s stop >/dev/null 2>&1 \
    || echo "warning: the test PostgreSQL in $PG_TEST_DIR did not stop" >&2
  rm -rf "$PG_TEST_DIR"
}
