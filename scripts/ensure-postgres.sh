#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed, for the
# scale-out tests that run a private cluster in a temporary folder (tests/support/postgres.py).
#
# Idempotent and silent when they are there. When it installs the package it keeps the *system*
# cluster from running: the tests start their own, on a free loopback port, as the postgres user.
set -eu

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if have_postgres; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure-postgres: PostgreSQL is not installed and installing it needs root:" >&2
        echo "    apt-get install postgresql" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: PostgreSQL is not installed and apt-get is not available;" \
         "install PostgreSQL's server package (initdb, pg_ctl)." >&2
    exit 1
fi

echo "ensure-postgres: installing postgresql" >&2
# Keep the package's postinst from starting the system cluster (policy-rc.d exit 101 = forbidden).
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=""
cleanup() {
    if [ -n "$OWN_POLICY" ]; then
        $SUDO rm -f "$POLICY"
    fi
}
trap cleanup EXIT INT TERM
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    OWN_POLICY=1
fi
if ! apt-cache show postgresql >/dev/null 2>&1; then
    $SUDO apt-get update -qq
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
cleanup
OWN_POLICY=""

if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl stop postgresql.service >/dev/null 2>&1 || true
    $SUDO systemctl disable postgresql.service >/dev/null 2>&1 || true
elif command -v service >/dev/null 2>&1; then
    $SUDO service postgresql stop >/dev/null 2>&1 || true
fi

if ! have_postgres; then
    echo "ensure-postgres: installation finished but no initdb was found under /usr/lib/postgresql" >&2
    exit 1
fi
echo "ensure-postgres: installed $(ls -d /usr/lib/postgresql/*/ | head -1)" >&2
