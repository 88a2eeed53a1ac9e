#!/bin/sh
# Make sure Debian's Dovecot IMAP server (package dovecot-imapd) is installed, for the tests that
# run a private Dovecot instance on loopback (tests/support/dovecot.py).
#
# Idempotent and silent when Dovecot is already there. An install leaves the *system* Dovecot
# service neither running nor enabled (scripts/apt-install-service.sh): the tests start their own
# unprivileged instance with a throw-away config, and a system daemon on port 143 is not wanted.
set -eu

have_dovecot() {
    command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]
}

if have_dovecot; then
    exit 0
fi
"$(dirname "$0")/apt-install-service.sh" ensure-dovecot dovecot-imapd dovecot.service dovecot.socket dovecot
if ! have_dovecot; then
    echo "ensure-dovecot: installation finished but no dovecot binary was found" >&2
    exit 1
fi
echo "ensure-dovecot: installed $(/usr/sbin/dovecot --version 2>/dev/null || dovecot --version)" >&2
