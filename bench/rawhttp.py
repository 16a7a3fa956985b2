"""A very small HTTP/1.1 client for load generation on 127.0.0.1.

httpx spends several milliseconds of CPU per request once hundreds of connections share its
pool, so a benchmark driven by it measures the client. This one keeps one connection per
simulated user and does no more than write a request and read one response (Content-Length or
chunked), which costs a few tens of microseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any


class ConnectionLost(Exception):
    pass


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        await self._open()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port, limit=1 << 20)
        return self._reader, self._writer

    def _head(self, method: str, path: str, headers: dict[str, str], length: int | None) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        if length is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {length}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    async def _response_head(self, reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
        try:
            block = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            raise ConnectionLost(str(exc)) from exc
        status_line, *header_lines = block.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return int(status_line.split(" ", 2)[1]), headers

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        """Send one request on the kept-alive connection; return the status and the whole body."""
        payload = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        reused = self._writer is not None
        reader, writer = await self._open()
        answered = False
        try:
            writer.write(self._head(method, path, headers or {}, None if payload is None else len(payload)))
            if payload:
                writer.write(payload)
            status, head = await self._response_head(reader)
            answered = True
            if head.get("transfer-encoding") == "chunked":
                content = b"".join([chunk async for chunk in self._chunks(reader)])
            else:
                content = await reader.readexactly(int(head.get("content-length", "0")))
        except (ConnectionError, asyncio.IncompleteReadError, ConnectionLost) as exc:
            await self.close()
            if reused and not answered:
                # The server closed the idle kept-alive connection as this request went out
                # (uvicorn after 5 s): send it again on a new one, as browsers do.
                return await self.request(method, path, body, headers)
            raise ConnectionLost(str(exc)) from exc
        if head.get("connection") == "close":
            await self.close()
        return status, content

    async def _chunks(self, reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
        while True:
            size = int((await reader.readuntil(b"\r\n"))[:-2].split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                return
            chunk = await reader.readexactly(size)
            await reader.readexactly(2)
            yield chunk

    async def events(self, path: str, headers: dict[str, str] | None = None) -> AsyncIterator[tuple[str, str]]:
        """Open a Server-Sent Events stream; yield (event, data) pairs as they arrive."""
        reader, writer = await self._open()
        writer.write(self._head("GET", path, {"Accept": "text/event-stream", **(headers or {})}, None))
        status, head = await self._response_head(reader)
        if status != 200:
            raise ConnectionLost(f"event stream answered {status}")
        chunks = self._chunks(reader) if head.get("transfer-encoding") == "chunked" else _raw(reader)
        buffer = b""
        event, data = "message", []
        async for chunk in chunks:
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for raw in lines:
                line = raw.rstrip(b"\r").decode()
                if not line:
                    if data:
                        yield event, "\n".join(data)
                    event, data = "message", []
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].lstrip())

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def _raw(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    while chunk := await reader.read(65536):
        yield chunk
