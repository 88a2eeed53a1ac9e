"""pymap's IMAP connection, changed to send each response in one piece.

pymap writes a response in many small ``writer.write`` calls, which leave as separate
TCP segments. imapclient's ``idle_check`` reads with a non-blocking socket and aborts
with "unterminated line" when it catches a line half-sent (seen here: ``* 1 FETCH (``
arriving alone after an SMTP delivery). Real servers send whole lines, so we do too.
"""

from __future__ import annotations

import io
from asyncio import StreamReader, StreamWriter
from contextlib import AsyncExitStack, closing

from proxyprotocol.sock import SocketInfo
from pymap.context import connection_exit
from pymap.imap import IMAPConnection, IMAPServer
from pymap.imap.state import ConnectionState
from pymap.parsing.response import Response


class WholeResponseConnection(IMAPConnection):
    """An IMAP connection that writes every response with a single write."""

    __slots__: list[str] = []

    async def write_response(self, resp: Response) -> None:
        buffer = io.BytesIO()
        # async_write, not bytes(resp): FETCH responses load message content lazily.
        await resp.async_write(buffer)
        data = buffer.getvalue()
        try:
            self.writer.write(data)
            await self.writer.drain()
        except ConnectionError:
            pass  # the client left; pymap's own write_response ignores this too
        else:
            self._print("%s <--| %s", data)


class WholeResponseServer(IMAPServer):
    """pymap's IMAPServer, running :class:`WholeResponseConnection` s."""

    __slots__: list[str] = []

    async def __call__(self, reader: StreamReader, writer: StreamWriter, sock_info: SocketInfo) -> None:
        # Same steps as IMAPServer.__call__, with our connection class.
        conn = WholeResponseConnection(self.commands, self._config, reader, writer, sock_info)
        state = ConnectionState(self._login, self._config)
        async with AsyncExitStack() as stack:
            connection_exit.set(stack)
            stack.enter_context(closing(conn))
            await conn.run(state)
