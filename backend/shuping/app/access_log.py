"""What the access log may not keep: one-time ballot codes."""

from __future__ import annotations

import logging
import re


class RedactBallotCodes(logging.Filter):
    """Keep one-time ballot codes (/vote/<code>) out of the access log: a logged code and time
    could be matched against the order ballots arrive in."""

    _code = re.compile(r"^(/vote/)(?!meeting/)[^\s?\"]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self._code.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args)
        return True


def redact_ballot_codes() -> None:
    """Add the filter to uvicorn's access log, once however many apps are made."""
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactBallotCodes) for f in access_log.filters):
        access_log.addFilter(RedactBallotCodes())
