#!/bin/sh
# Install a Debian/Ubuntu package whose postinst would start a system service, WITHOUT leaving that
# service running or enabled: the tests start private instances on loopback with their own config.
#
#   scripts/apt-install-service.sh WHO PACKAGE [SERVICE...]
#
# WHO names the calling script in messages. Needs root (or password-less sudo) and apt-get; says so
# and fails otherwise. Used by ensure-dovecot.sh and ensure-postgres.sh.
set -eu
WHO=$1
PACKAGE=$2
shift 2

# Installing needs root: use sudo when we are not root and sudo works without a prompt.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "$WHO: $PACKAGE is not installed and installing it needs root; run as root (or with" \
             "password-less sudo):  apt-get install $PACKAGE" >&2
        exit 1
    fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "$WHO: $PACKAGE is not installed and apt-get is not available; install it (or your" \
         "distribution's equivalent) yourself." >&2
    exit 1
fi

echo "$WHO: installing $PACKAGE" >&2
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
if ! apt-cache show "$PACKAGE" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$PACKAGE" >/dev/null
cleanup
OWN_POLICY=""

# Belt and braces: whatever the postinst managed to start or enable, stop and disable it.
# systemctl is only usable when systemd is PID 1; containers often have neither.
for service in "$@"; do
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        $SUDO systemctl stop "$service" >/dev/null 2>&1 || true
        $SUDO systemctl disable "$service" >/dev/null 2>&1 || true
    else
        if command -v service >/dev/null 2>&1; then
            $SUDO service "$service" stop >/dev/null 2>&1 || true
        elif [ -x "/etc/init.d/$service" ]; then
            $SUDO "/etc/init.d/$service" stop >/dev/null 2>&1 || true
        fi
        if command -v update-rc.d >/dev/null 2>&1; then
            $SUDO update-rc.d "$service" disable >/dev/null 2>&1 || true
        fi
    fi
done
