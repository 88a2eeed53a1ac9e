"""`python -m mock_portal`: the mock ASSIST portal with its SMTP and IMAP servers."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from datetime import date
from pathlib import Path

from mock_portal.config import DEFAULT_SEED_FILE, PortalConfig
from mock_portal.faults import FaultPlan
from mock_portal.server import Listen, serve_forever


def _host_port(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {value!r}")
    return host, int(port)


def parser() -> argparse.ArgumentParser:
    defaults = PortalConfig()
    p = argparse.ArgumentParser(prog="python -m mock_portal", description=__doc__)
    p.add_argument("--host", default="127.0.0.1", help="address of all three servers (default %(default)s)")
    p.add_argument(
        "--port", type=int, default=8700, help="portal HTTP port; 0 = any free (default %(default)s)"
    )
    p.add_argument("--smtp-port", type=int, default=8725, help="bundled SMTP port (default %(default)s)")
    p.add_argument("--imap-port", type=int, default=8143, help="bundled IMAP port (default %(default)s)")
    p.add_argument(
        "--smtp-relay",
        type=_host_port,
        metavar="HOST:PORT",
        help="send the portal's mail to this SMTP server instead of the bundled one",
    )
    p.add_argument(
        "--state",
        type=Path,
        default=defaults.state_dir,
        metavar="DIR",
        help="folder of the SQLite state (default %(default)s)",
    )
    p.add_argument("--faults", type=Path, metavar="FILE", help="fault plan, JSON or TOML")
    p.add_argument("--no-control", action="store_true", help="no /_mock control API")
    p.add_argument(
        "--seed-file",
        type=Path,
        default=DEFAULT_SEED_FILE,
        metavar="FILE",
        help="seed of an empty state (default fixtures/demo/employers.toml)",
    )
    p.add_argument(
        "--password-ttl",
        type=float,
        default=defaults.password_ttl,
        metavar="SECONDS",
        help="life of an emailed password (default %(default)s)",
    )
    p.add_argument(
        "--session-idle",
        type=float,
        default=defaults.session_idle,
        metavar="SECONDS",
        help="idle timeout of a session (default %(default)s)",
    )
    p.add_argument(
        "--lockout-after",
        type=int,
        default=defaults.lockout_after,
        metavar="N",
        help="wrong passwords in a row that lock the account (default %(default)s)",
    )
    p.add_argument(
        "--lockout-seconds",
        type=float,
        default=defaults.lockout_seconds,
        metavar="S",
        help="how long an account stays locked (default %(default)s)",
    )
    p.add_argument("--mail-from", default=defaults.mail_from, help="sender of the password email")
    p.add_argument("--mail-subject", default=defaults.mail_subject, help="subject of the password email")
    p.add_argument(
        "--fpx-pending-expiry",
        type=float,
        default=defaults.fpx_pending_expiry,
        metavar="SECONDS",
        help="FPX times out a transaction left Pending (Unsuccessful) after this long (default %(default)s)",
    )
    p.add_argument(
        "--today",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the portal's date (pending months, future-month rule); default the real date",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # aiosmtpd logs every SMTP command at INFO (and each /healthz probe); keep its warnings only.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    try:
        faults = FaultPlan.from_file(args.faults) if args.faults else None
    except (OSError, ValueError) as exc:
        print(f"bad --faults file {args.faults}: {exc}", file=sys.stderr)
        return 64
    if not args.seed_file.is_file():
        print(f"seed file not found: {args.seed_file}", file=sys.stderr)
        return 64
    config = PortalConfig(
        state_dir=args.state,
        seed_file=args.seed_file,
        control=not args.no_control,
        password_ttl=args.password_ttl,
        session_idle=args.session_idle,
        lockout_after=args.lockout_after,
        lockout_seconds=args.lockout_seconds,
        mail_from=args.mail_from,
        mail_subject=args.mail_subject,
        today=args.today,
        fpx_pending_expiry=args.fpx_pending_expiry,
    )
    listen = Listen(args.host, args.port, args.smtp_port, args.imap_port, args.smtp_relay)
    try:
        asyncio.run(serve_forever(config, listen, faults))
    except OSError as exc:  # a port in use, an address not ours
        print(f"mock portal cannot start: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
