#!/usr/bin/env bash
# What the tests need from the machine, in one place: `npm test` runs this first (pretest), and so
# does CI (.ci/run).
#   - headless Chromium at /usr/bin/chromium (or $CHROMIUM_PATH) and CJK fonts, for the desk and
#     portal end-to-end tests;
#   - PostgreSQL at $TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) that
#     lets that role create databases, unless LOOPDESK_TEST_ENGINES leaves out `postgres`.
# On Debian or Ubuntu as root, what is missing is installed (apt-get) and started (pg_ctlcluster).
# Anywhere else it says what is missing and the one command to run, and fails.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
DB_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}
ENGINES=${LOOPDESK_TEST_ENGINES:-pglite,postgres}
DEBIAN_PACKAGES=(chromium fonts-noto-cjk postgresql)

say() { printf 'test-env: %s\n' "$*" >&2; }

is_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }
can_install() { is_debian && [ "$(id -u)" = 0 ]; }

# host and port of the PostgreSQL URL (no userinfo, no query), e.g. "127.0.0.1 5432"
db_host() { local rest=${DB_URL#*://}; rest=${rest#*@}; rest=${rest%%/*}; echo "${rest%%:*}"; }
db_port() { local rest=${DB_URL#*://}; rest=${rest#*@}; rest=${rest%%/*}; [[ $rest == *:* ]] && echo "${rest##*:}" || echo 5432; }
is_local_db() { case "$(db_host)" in 127.0.0.1 | localhost | ::1 | '[::1]') return 0 ;; *) return 1 ;; esac; }

chromium_ok() { [ -x "$CHROMIUM" ]; }
fonts_ok() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; }
postgres_wanted() { [[ ,$ENGINES, == *,postgres,* ]]; }
postgres_listening() { (exec 3<>"/dev/tcp/$(db_host)/$(db_port)") 2>/dev/null; }
# Can the tests' role sign in (psql when there is one; otherwise listening is all we can check)?
postgres_signs_in() {
  if command -v psql >/dev/null 2>&1; then
    PGCONNECT_TIMEOUT=5 psql "$DB_URL" -Atqc 'SELECT 1' >/dev/null 2>&1
  else
    postgres_listening
  fi
}

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }
  apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The local cluster (Debian's postgresql-common) that listens on the URL's port: "VERSION NAME".
local_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 1
  pg_lsclusters -h 2>/dev/null | awk -v port="$(db_port)" '$3 == port { print $1, $2; exit }' | grep .
}

start_postgres() {
  local installed_now=0 cluster
  if ! command -v pg_lsclusters >/dev/null 2>&1 || ! local_cluster >/dev/null; then
    dpkg -s postgresql >/dev/null 2>&1 || installed_now=1
    apt_install postgresql
  fi
  cluster=$(local_cluster) || { say "no PostgreSQL cluster listens on port $(db_port)"; return 1; }
  set -- $cluster
  if ! postgres_listening; then
    say "starting PostgreSQL $1/$2"
    pg_ctlcluster --skip-systemctl-redirect "$1" "$2" start || true
    for _ in $(seq 1 30); do postgres_listening && break; sleep 1; done
  fi
  # A cluster this script just installed asks for a password the postgres role does not have: let
  # that role in from this machine only, as the tests expect (never done to an existing cluster).
  if [ $installed_now = 1 ] && ! postgres_signs_in; then
    local hba="/etc/postgresql/$1/$2/pg_hba.conf"
    say "letting the postgres role in from 127.0.0.1 and ::1 without a password ($hba)"
    sed -i '0,/^[[:space:]]*\(local\|host\)/s//host all postgres 127.0.0.1\/32 trust\nhost all postgres ::1\/128 trust\n&/' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$1" "$2" reload
  fi
}

problems=()
check() {
  problems=()
  chromium_ok || problems+=("no Chromium at $CHROMIUM (set CHROMIUM_PATH to use another)")
  fonts_ok || problems+=("no CJK fonts (the Chinese desk would render as boxes)")
  if postgres_wanted; then
    if ! postgres_listening; then
      problems+=("no PostgreSQL at $(db_host):$(db_port) (TEST_DATABASE_URL)")
    elif ! postgres_signs_in; then
      problems+=("PostgreSQL at $(db_host):$(db_port) refuses the tests' role (TEST_DATABASE_URL=${DB_URL})")
    fi
  fi
}

check
if [ ${#problems[@]} -gt 0 ] && can_install; then
  if ! chromium_ok || ! fonts_ok; then apt_install chromium fonts-noto-cjk; fi
  if postgres_wanted && is_local_db && ! postgres_signs_in; then start_postgres || true; fi
  check
fi
if [ ${#problems[@]} -eq 0 ]; then
  exit 0
fi

say 'the tests cannot run on this machine yet:'
for p in "${problems[@]}"; do say "  - $p"; done
if can_install; then
  # Root on Debian and still missing: a remote or refusing database, or a Chromium outside /usr/bin.
  say 'Point TEST_DATABASE_URL at a PostgreSQL 15+ role that may create databases, or leave PostgreSQL out:'
  say '  LOOPDESK_TEST_ENGINES=pglite npm test'
elif is_debian; then
  say 'Install and start what is missing (as root), then run the tests again:'
  say '  sudo bash scripts/test-env.sh && npm test'
else
  say 'This set-up installs things on Debian or Ubuntu only. Run the whole CI in a Debian container:'
  say '  docker run --rm -v "$PWD":/src:ro node:20-bookworm bash -c '\''git -c safe.directory="*" clone -q /src /w && bash /w/.ci/run'\'
  say "or provide the items above yourself (CHROMIUM_PATH, TEST_DATABASE_URL) and run npm test again."
fi
exit 1
