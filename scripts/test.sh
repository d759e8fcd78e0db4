#!/usr/bin/env bash
# Okno: run every test.
#
#   scripts/test.sh            install what is missing, start a throwaway PostgreSQL, check
#                              headless Chromium, run `cargo test --workspace`, then the
#                              browser tests in tests/browser (if that folder exists)
#   scripts/test.sh --pg-only  only start the throwaway PostgreSQL, run two psql smoke
#                              queries, stop it and clean up (tests this script itself)
#
# Meant for root on a fresh Debian 12 machine (CI runs it via .ci/run with CI=true), and
# for repeated runs on a dev machine. As a non-root user it works too when the packages are
# already installed. Missing PostgreSQL or Chromium is always an error, never a skip.
#
# Exports for the tests:
#   OKNO_TEST_POSTGRES_URL   postgres://postgres@127.0.0.1:PORT/postgres, a superuser of
#                            the throwaway cluster (tests CREATE DATABASE per test)
#   OKNO_TEST_CHROMIUM       path of the Chromium executable
#   OKNO_TEST_CHROMEDRIVER   path of chromedriver
#   OKNO_TEST_ARTIFACTS      <repo>/test-artifacts, where browser tests put screenshots
#   OKNO_BIN                 the freshly built okno binary (browser tests only)
#   CARGO_TERM_COLOR=never
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
# shellcheck source=scripts/pg-throwaway.sh
source "$REPO/scripts/pg-throwaway.sh"

usage() { sed -n '2,9s/^# \{0,1\}//p' "$REPO/scripts/test.sh"; }

MODE=all
case "${1:-}" in
"") ;;
--pg-only) MODE=pg ;;
-h | --help) usage; exit 0 ;;
*) echo "test.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
esac

STAGE="setup"
SUMMARY_PRINTED=0
SECONDS=0
say() { printf '\n==> %s\n' "$*"; }
die() {
    echo >&2
    echo "test.sh: ERROR: $*" >&2
    exit 1
}

RUN_TMP=$(mktemp -d /tmp/okno-test.XXXXXX)
on_exit() {
    local rc=$?
    trap - EXIT
    pg_throwaway_stop
    rm -rf -- "$RUN_TMP"
    if ((rc != 0 && !SUMMARY_PRINTED)); then
        echo "test.sh: FAILED (exit $rc) during: $STAGE, after ${SECONDS}s" >&2
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE

if [[ "${CI:-}" == "true" ]]; then
    echo "test.sh: CI=true: a missing or broken PostgreSQL or Chromium fails the run"
fi

# ---------------------------------------------------------------- packages

CHROMIUM=""
find_chromium() {
    local c
    if [[ -n "${OKNO_TEST_CHROMIUM:-}" && -x "${OKNO_TEST_CHROMIUM}" ]]; then
        CHROMIUM=$OKNO_TEST_CHROMIUM
        return 0
    fi
    for c in chromium chromium-browser google-chrome-stable google-chrome; do
        if command -v "$c" >/dev/null 2>&1; then
            CHROMIUM=$(command -v "$c")
            return 0
        fi
    done
    return 1
}

# Fills MISSING with the Debian packages to install; sets PG_BIN, PG_PSQL and CHROMIUM.
MISSING=()
find_missing_packages() {
    MISSING=()
    pg_throwaway_find_bin || MISSING+=(postgresql)
    [[ -n "$PG_PSQL" ]] || MISSING+=(postgresql-client)
    /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || MISSING+=(python3-aiosmtpd)
    # The Open311 client check installs its PyPI clients into a venv.
    /usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 || MISSING+=(python3-venv)
    [[ "$MODE" == all ]] || return 0
    find_chromium || MISSING+=(chromium)
    command -v chromedriver >/dev/null 2>&1 || MISSING+=(chromium-driver)
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg -s fonts-dejavu-core >/dev/null 2>&1 || MISSING+=(fonts-dejavu-core)
    fi
    if [[ -d "$REPO/tests/browser" ]]; then
        command -v node >/dev/null 2>&1 || MISSING+=(nodejs)
        command -v npm >/dev/null 2>&1 || MISSING+=(npm)
    fi
    return 0
}

STAGE="installing missing packages"
find_missing_packages
if ((${#MISSING[@]} > 0)); then
    if [[ $EUID -ne 0 ]]; then
        die "missing packages: ${MISSING[*]}. Install them (sudo apt-get install ${MISSING[*]}) or run this script as root."
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "missing packages: ${MISSING[*]}, and there is no apt-get to install them with"
    say "Installing: ${MISSING[*]}"
    # Wait for a concurrent apt/dpkg instead of failing on its lock.
    APT=(apt-get -q -o DPkg::Lock::Timeout=600)
    DEBIAN_FRONTEND=noninteractive "${APT[@]}" update
    DEBIAN_FRONTEND=noninteractive "${APT[@]}" install -y --no-install-recommends "${MISSING[@]}"
    find_missing_packages
    ((${#MISSING[@]} == 0)) || die "still missing after apt-get install: ${MISSING[*]}"
fi

# ---------------------------------------------------------------- PostgreSQL

STAGE="starting the throwaway PostgreSQL"
say "Starting a throwaway PostgreSQL ($PG_BIN)"
pg_throwaway_start || die "PostgreSQL could not be started (see above)"
PG_VERSION=$("$PG_PSQL" "$OKNO_TEST_POSTGRES_URL" -XAtq -c 'show server_version') ||
    die "PostgreSQL started but does not answer at $OKNO_TEST_POSTGRES_URL"
echo "PostgreSQL $PG_VERSION running as OS user $PG_OS_USER in $PG_TMP"
echo "OKNO_TEST_POSTGRES_URL=$OKNO_TEST_POSTGRES_URL"

if [[ "$MODE" == pg ]]; then
    STAGE="psql smoke queries"
    PSQL=("$PG_PSQL" "$OKNO_TEST_POSTGRES_URL" -X -v ON_ERROR_STOP=1)
    "${PSQL[@]}" -c 'select version()'
    "${PSQL[@]}" -c 'create database t1'
    "${PSQL[@]}" -c "select datname from pg_database where datname = 't1'"
    SUMMARY_PRINTED=1
    echo "test.sh: PASSED --pg-only: PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT started, queried, created a database; ${SECONDS}s (stopping and cleaning up now)"
    exit 0
fi

# ---------------------------------------------------------------- Chromium

STAGE="checking headless Chromium"
say "Checking headless Chromium ($CHROMIUM)"
CHROMIUM_VERSION=$("$CHROMIUM" --version 2>/dev/null || true)
# --no-sandbox: the sandbox cannot work as root or in most containers.
chromium_out=$(timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --user-data-dir="$RUN_TMP/chromium-profile" \
    --dump-dom 'data:text/html,<p>okno-chromium-ok</p>' 2>"$RUN_TMP/chromium.err" || true)
if [[ "$chromium_out" != *okno-chromium-ok* ]]; then
    tail -n 20 "$RUN_TMP/chromium.err" >&2 || true
    die "Chromium at $CHROMIUM cannot render a page headless (see its stderr above)"
fi
echo "${CHROMIUM_VERSION:-$CHROMIUM} renders headless"

export OKNO_TEST_CHROMIUM="$CHROMIUM"
OKNO_TEST_CHROMEDRIVER=$(command -v chromedriver)
export OKNO_TEST_CHROMEDRIVER
export OKNO_TEST_ARTIFACTS="$REPO/test-artifacts"
mkdir -p "$OKNO_TEST_ARTIFACTS"
export CARGO_TERM_COLOR=never

# ---------------------------------------------------------------- Rust

STAGE="looking for cargo"
if ! command -v cargo >/dev/null 2>&1; then
    PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
    command -v cargo >/dev/null 2>&1 || die "cargo not found: install the Rust toolchain (https://rustup.rs)"
fi
LOCKED=()
[[ -f "$REPO/Cargo.lock" ]] && LOCKED=(--locked)

# Sums the "test result:" lines of a cargo test log into "P passed, F failed, I ignored".
cargo_counts() {
    awk '/^test result:/ {
            for (i = 2; i <= NF; i++) {
                if ($i ~ /^passed/)  p += $(i - 1)
                if ($i ~ /^failed/)  f += $(i - 1)
                if ($i ~ /^ignored/) g += $(i - 1)
            }
        }
        END { printf "%d passed, %d failed, %d ignored", p, f, g }' "$1"
}
# Sums node --test spec reporter totals ("ℹ pass N" ...).
node_counts() {
    awk 'NF == 3 && $2 == "pass"    { p += $3 }
         NF == 3 && $2 == "fail"    { f += $3 }
         NF == 3 && $2 == "skipped" { s += $3 }
         END { printf "%d passed, %d failed, %d skipped", p, f, s }' "$1"
}

FAILED=()
STAGE="cargo test"
say "cargo test --workspace ${LOCKED[*]}"
if cargo test --workspace "${LOCKED[@]}" 2>&1 | tee "$RUN_TMP/cargo-test.log"; then
    RUST_SUMMARY="rust: $(cargo_counts "$RUN_TMP/cargo-test.log")"
else
    RUST_SUMMARY="rust: FAILED ($(cargo_counts "$RUN_TMP/cargo-test.log"))"
    FAILED+=("cargo test")
fi

# ---------------------------------------------------------------- browser

BROWSER_SUMMARY="browser: no tests/browser"
if [[ -d "$REPO/tests/browser" ]]; then
    STAGE="building okno for the browser tests"
    say "cargo build --bin okno"
    if ! cargo build --bin okno "${LOCKED[@]}"; then
        FAILED+=("cargo build --bin okno")
        BROWSER_SUMMARY="browser: NOT RUN (okno did not build)"
    else
        export OKNO_BIN="${CARGO_TARGET_DIR:-$REPO/target}/debug/okno"
        [[ "$OKNO_BIN" == /* ]] || OKNO_BIN="$REPO/$OKNO_BIN"
        [[ -x "$OKNO_BIN" ]] || die "cargo built okno but $OKNO_BIN is not there"

        STAGE="browser tests"
        cd "$REPO/tests/browser"
        # playwright-core needs Node 20 or newer (Debian 12's own nodejs is 18).
        NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
        ((NODE_MAJOR >= 20)) || die "the browser tests need Node 20 or newer; $(command -v node) is $(node --version 2>/dev/null || echo 'not working')"
        if [[ -f package.json ]]; then
            if [[ -f package-lock.json ]]; then
                say "npm ci (tests/browser)"
                npm ci --no-audit --no-fund
            else
                say "npm install (tests/browser; no package-lock.json)"
                npm install --no-audit --no-fund
            fi
        fi
        mapfile -t BROWSER_TESTS < <(find . -name node_modules -prune -o -type f -name '*.test.mjs' -print | sort)
        if ((${#BROWSER_TESTS[@]} == 0)); then
            BROWSER_SUMMARY="browser: no *.test.mjs in tests/browser"
        else
            say "node --test (${#BROWSER_TESTS[@]} files in tests/browser, OKNO_BIN=$OKNO_BIN)"
            if node --test --test-reporter=spec "${BROWSER_TESTS[@]}" 2>&1 | tee "$RUN_TMP/browser.log"; then
                BROWSER_SUMMARY="browser: $(node_counts "$RUN_TMP/browser.log")"
            else
                BROWSER_SUMMARY="browser: FAILED ($(node_counts "$RUN_TMP/browser.log"))"
                FAILED+=("browser tests")
            fi
        fi
        cd "$REPO"
    fi
fi

# ---------------------------------------------------------------- Open311 clients

# Open311 client libraries we did not write (PyPI civicbot and georeport) read the
# services, post a request and read it back from a demo server.
OPEN311_SUMMARY="open311 clients: NOT RUN (okno did not build)"
if [[ -n "${OKNO_BIN:-}" && -x "${OKNO_BIN:-}" ]]; then
    STAGE="Open311 client check"
    say "Open311 client libraries against okno demo"
    O311="$RUN_TMP/open311"
    mkdir -p "$O311"
    O311_PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if /usr/bin/python3 -m venv "$O311/venv" && "$O311/venv/bin/pip" install -q --disable-pip-version-check civicbot georeport; then
        "$OKNO_BIN" demo --data "$O311/data" --requests 20 --listen "127.0.0.1:$O311_PORT" >"$O311/server.log" 2>&1 &
        O311_PID=$!
        for _ in $(seq 1 150); do grep -q "serving on" "$O311/server.log" && break; sleep 0.2; done
        O311_KEY=$("$OKNO_BIN" admin token --email admin@okno.example --scope write --data "$O311/data" | tail -n 1)
        if "$O311/venv/bin/python" "$REPO/scripts/open311-client-check.py" "http://127.0.0.1:$O311_PORT/open311/v2" "$O311_KEY" 2>&1 | tee "$O311/check.log"; then
            OPEN311_SUMMARY="open311 clients: $(grep -c '^ok ' "$O311/check.log") checks passed"
        else
            OPEN311_SUMMARY="open311 clients: FAILED"
            FAILED+=("Open311 client check")
        fi
        kill "$O311_PID" 2>/dev/null || true
        wait "$O311_PID" 2>/dev/null || true
    else
        OPEN311_SUMMARY="open311 clients: FAILED (pip could not install civicbot and georeport)"
        FAILED+=("Open311 client check")
    fi
fi

# ---------------------------------------------------------------- summary

STAGE="summary"
SUMMARY_PRINTED=1
echo
if ((${#FAILED[@]} == 0)); then
    echo "test.sh: PASSED; $RUST_SUMMARY; $BROWSER_SUMMARY; $OPEN311_SUMMARY; PostgreSQL $PG_VERSION; ${CHROMIUM_VERSION:-Chromium}; ${SECONDS}s"
else
    STAGE="$(IFS=,; echo "${FAILED[*]}")"
    echo "test.sh: FAILED ($STAGE); $RUST_SUMMARY; $BROWSER_SUMMARY; $OPEN311_SUMMARY; PostgreSQL $PG_VERSION; ${CHROMIUM_VERSION:-Chromium}; ${SECONDS}s"
    exit 1
fi
