#!/bin/sh
# Make sure PostgreSQL's server binaries (initdb, pg_ctl, postgres) are installed, for the
# scale-out tests that run a private cluster in a temporary folder (tests/support/postgres.py).
#
# Idempotent and silent when they are there. An install keeps the *system* cluster from running
# (scripts/apt-install-service.sh): the tests start their own, on a free loopback port.
set -eu

have_postgres() {
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

if have_postgres; then
    exit 0
fi
"$(dirname "$0")/apt-install-service.sh" ensure-postgres postgresql postgresql.service postgresql
if ! have_postgres; then
    echo "ensure-postgres: installation finished but no initdb was found under /usr/lib/postgresql" >&2
    exit 1
fi
echo "ensure-postgres: installed $(ls -d /usr/lib/postgresql/*/ | head -1)" >&2
