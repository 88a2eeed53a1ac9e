#!/bin/sh
# Make sure Debian's Dovecot IMAP server (package dovecot-imapd) is installed, for the tests that
# run a private Dovecot instance on loopback (tests/support/dovecot.py).
#
# Idempotent and silent when Dovecot is already there. When it installs the package it makes sure
# the *system* Dovecot service is neither left running nor enabled: the tests start their own
# unprivileged instance with a throw-away config, and a system daemon on port 143 is not wanted.
set -eu

have_dovecot() {
    command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]
}

if have_dovecot; then
    exit 0
fi

# Installing needs root: use sudo when we are not root and sudo works without a prompt.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "ensure-dovecot: Dovecot is not installed and installing it needs root." >&2
        echo "ensure-dovecot: run as root (or with password-less sudo):" >&2
        echo "    apt-get install dovecot-imapd" >&2
        exit 1
    fi
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-dovecot: Dovecot is not installed and apt-get is not available;" \
         "install Dovecot's IMAP server (dovecot-imapd or your distribution's equivalent)." >&2
    exit 1
fi

echo "ensure-dovecot: installing dovecot-imapd" >&2

# Keep the package's postinst from starting the system service at all (invoke-rc.d honours
# policy-rc.d; exit code 101 = "action forbidden"). Only when no policy is in place already,
# and removed again whatever happens.
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

# Refresh the package lists only when apt does not know the package (fresh image, empty lists).
if ! apt-cache show dovecot-imapd >/dev/null 2>&1; then
    $SUDO apt-get update -qq
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null

cleanup
OWN_POLICY=""

# Belt and braces: whatever the postinst managed to start or enable, stop and disable it.
# systemctl is only usable when systemd is PID 1; containers often have neither.
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    $SUDO systemctl stop dovecot.service dovecot.socket >/dev/null 2>&1 || true
    $SUDO systemctl disable dovecot.service dovecot.socket >/dev/null 2>&1 || true
else
    if command -v service >/dev/null 2>&1; then
        $SUDO service dovecot stop >/dev/null 2>&1 || true
    elif [ -x /etc/init.d/dovecot ]; then
        $SUDO /etc/init.d/dovecot stop >/dev/null 2>&1 || true
    fi
    if command -v update-rc.d >/dev/null 2>&1; then
        $SUDO update-rc.d dovecot disable >/dev/null 2>&1 || true
    fi
fi

if ! have_dovecot; then
    echo "ensure-dovecot: installation finished but no dovecot binary was found" >&2
    exit 1
fi
echo "ensure-dovecot: installed $(/usr/sbin/dovecot --version 2>/dev/null || dovecot --version)" >&2
