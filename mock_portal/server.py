"""One process, one event loop: the portal (uvicorn) and the bundled SMTP + IMAP servers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn

from mock_portal.app import create_app
from mock_portal.config import PortalConfig
from mock_portal.faults import FaultPlan, Faults
from mock_portal.mail import MailServer
from mock_portal.mailer import Mailer
from mock_portal.portal import Portal
from mock_portal.seed import load_seed
from mock_portal.state import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Listen:
    host: str = "127.0.0.1"
    port: int = 8700
    smtp_port: int = 8725
    imap_port: int = 8143
    smtp_relay: tuple[str, int] | None = None


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: `serve_forever` owns SIGINT/SIGTERM, so that the
    mail server stops too and the process exits 0 (uvicorn would re-raise the signal)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve_forever(config: PortalConfig, listen: Listen, faults: FaultPlan | None = None) -> None:
    """Start everything, print the three addresses, run until SIGINT/SIGTERM, stop cleanly."""
    seed = load_seed(config.seed_file)
    store = Store(config.database)
    if store.is_empty():
        store.load(seed)
    mail_server = MailServer(listen.host, listen.smtp_port, listen.imap_port, store.employers.mailboxes())
    await mail_server.start()
    try:
        relay_host, relay_port = listen.smtp_relay or (listen.host, mail_server.smtp_port)
        fault_state = Faults(faults)
        portal = Portal(
            config=config,
            seed=seed,
            store=store,
            faults=fault_state,
            mailer=Mailer(store, fault_state, relay_host, relay_port),
            mail_server=mail_server,
            mail_host=listen.host,
        )
        server = _Server(
            uvicorn.Config(
                create_app(portal),
                host=listen.host,
                port=listen.port,
                log_level="warning",
                access_log=False,
                lifespan="off",
            )
        )
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, _stopper(server))
        serving = asyncio.create_task(_serve(server, listen))
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if server.started:
            port = server.servers[0].sockets[0].getsockname()[1]
            print(f"Mock ASSIST portal: http://{listen.host}:{port}", flush=True)
            print(f"SMTP: {listen.host}:{mail_server.smtp_port}", flush=True)
            print(f"IMAP: {listen.host}:{mail_server.imap_port}", flush=True)
            if listen.smtp_relay:
                print(f"Outgoing mail relayed to {relay_host}:{relay_port}", flush=True)
        await serving
        await portal.mailer.cancel_scheduled()
    finally:
        await mail_server.stop()
        store.close()


async def _serve(server: uvicorn.Server, listen: Listen) -> None:
    try:
        await server.serve()
    except SystemExit:  # uvicorn exits when it cannot bind; its log says why
        raise OSError(f"the portal could not listen on {listen.host}:{listen.port}") from None


def _stopper(server: uvicorn.Server):  # type: ignore[no-untyped-def]
    def stop() -> None:
        if server.should_exit:
            server.force_exit = True
        server.should_exit = True

    return stop
