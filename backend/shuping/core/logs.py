"""The server's logs: text or one JSON object per line, to stderr and optionally a file rotated daily.

`request_id` holds the id of the request being answered (set by `app.problems.RequestIdMiddleware`),
so every line logged while answering it names it. The access log (`app.metrics`) logs the route
template a request matched, never its raw path: a one-time ballot code (/vote/<code>) never
reaches a log.
"""

from __future__ import annotations

import logging
import os
import time
from contextvars import ContextVar
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path
from typing import Any, Final

import orjson

request_id: ContextVar[str | None] = ContextVar("shuping_request_id", default=None)

ACCESS_LOGGER: Final = "shuping.access"
# The access-log fields a record may carry (`extra=`), written as they are.
ACCESS_FIELDS: Final = ("method", "route", "status", "duration_ms", "client")
TEXT_FORMAT: Final = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_OURS: Final = "_shuping_handler"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, request_id, and the
    access-log fields when present."""

    def format(self, record: logging.LogRecord) -> str:
        # orjson and strftime rather than json and datetime: a line per request, at a ballot burst's rate.
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        out: dict[str, Any] = {
            "time": f"{stamp}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        for field in ACCESS_FIELDS:
            value = record.__dict__.get(field)
            if value is not None:
                out[field] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(out, default=str).decode()


class DailyFile(TimedRotatingFileHandler):
    """A log file rotated at midnight UTC, the last `retention_days` days kept; shared safely by the
    worker processes of one server.

    The standard handler, finding the day's rotated file already there (another worker renamed the
    file first), deletes it and rotates again: a day of the other workers' lines lost. Here the first
    worker past midnight renames the file, and the others just open the new one.
    """

    def __init__(self, file: Path, retention_days: int) -> None:
        super().__init__(file, when="midnight", utc=True, backupCount=retention_days, encoding="utf-8")

    def doRollover(self) -> None:
        day = time.gmtime(self.rolloverAt - self.interval)
        rotated = self.rotation_filename(f"{self.baseFilename}.{time.strftime(self.suffix, day)}")
        if not os.path.exists(rotated):
            super().doRollover()
            return
        if self.stream:
            self.stream.close()
        self.stream = self._open()
        now = int(time.time())
        self.rolloverAt = self.computeRollover(now)
        while self.rolloverAt <= now:
            self.rolloverAt += self.interval


class _RequestIdFilter(logging.Filter):
    """Give every record the current request's id (or "-"), for the text format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get() or "-"
        return True


def configure(*, as_json: bool, file: Path | None, retention_days: int) -> bool:
    """Install the handlers these settings ask for (replacing ours on every call) and say whether the
    access log is ours: with JSON lines or a file, every line (uvicorn's too) goes to stderr, and to the
    file, in one format, and uvicorn's access line gives way to ours (route template, duration)."""
    root = logging.getLogger()
    uvicorn_loggers = [logging.getLogger(n) for n in ("uvicorn", "uvicorn.error", "uvicorn.access")]
    for logger in (root, *uvicorn_loggers):
        for handler in [h for h in logger.handlers if getattr(h, _OURS, False)]:
            logger.removeHandler(handler)
            handler.close()
    if not as_json and file is None:
        logging.getLogger("uvicorn.access").disabled = False
        return False  # the defaults: uvicorn's text lines, its access log redacting ballot codes

    formatter = JsonFormatter() if as_json else logging.Formatter(TEXT_FORMAT)
    formatter.converter = time.gmtime  # text lines in UTC too
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        # A file per day (rotated at midnight UTC), the last `retention_days` days kept.
        handlers.append(DailyFile(file, retention_days))
    for handler in handlers:
        setattr(handler, _OURS, True)
        handler.setFormatter(formatter)
        handler.addFilter(_RequestIdFilter())
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    # Neither format shows the process id, which costs a system call per record (os.getpid).
    logging.logProcesses = False
    # A line per outgoing request (the Sunshine pull's pages) is the client's business, not the log's.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    server, errors, access = uvicorn_loggers
    # uvicorn's lines through ours, in our format; its access line (a raw path, no route) replaced by ours.
    for logger in (server, errors):
        for handler in [h for h in logger.handlers if not getattr(h, _OURS, False)]:
            logger.removeHandler(handler)
        logger.propagate = True
    access.disabled = True
    return True
