"""Messages in the reader's language: English source strings, translated from gettext catalogues.

A message is written in code as its English text with named placeholders, marked with `N_` so
that `pybabel extract` (and the catalogue test) finds it::

    raise InvalidState(N_("Group weights sum to {sum}, not 1", sum=total))

`N_` returns a `Msg`: a `str` holding the English text (so logs, comparisons and tests read it as
before) that also carries its msgid and parameters. Whatever shows it to a person — the problem
handlers, a schema serialising a gate's blockers — renders it in the request's language with
`translate`. The language is negotiated from `Accept-Language` (zh-CN unless the client asks for
English) and kept per request in a context variable.

Catalogues are the `.po` files under `shuping/locale/<locale>/LC_MESSAGES/` (`messages.po`, extracted
by `make messages`; `terms.po`, statuses and stages in words), read once with Babel when first
needed: nothing to compile, so editing a `.po` file and restarting is all.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar, Token
from decimal import Decimal
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

ZH = "zh-CN"
EN = "en-US"
LOCALES = (ZH, EN)
DEFAULT_LOCALE = ZH
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
# messages.po: what `make messages` extracts (the N_ markers); terms.po: keys in words, kept by hand.
DOMAINS = ("messages", "terms")
# The markers `pybabel extract -k N_` and the catalogue test look for.
KEYWORDS = {"N_": None}

_current: ContextVar[str] = ContextVar("shuping_locale", default=DEFAULT_LOCALE)


class Msg(str):
    """An English message (the msgid formatted with its parameters) that can render itself in another language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, /, **params: Any) -> Msg:
        self = super().__new__(cls, _format(msgid, params, EN))
        self.msgid = msgid
        self.params = params
        return self

    def render(self, locale: str) -> str:
        if locale == EN:
            return str.__str__(self)
        text = catalogue(locale).get(self.msgid)
        if not text:
            return str.__str__(self)
        try:
            return _format(text, self.params, locale)
        except (KeyError, IndexError, ValueError):
            return str.__str__(self)

    def public_params(self) -> dict[str, Any]:
        """The parameters as JSON values, for clients that write their own sentence."""
        return {k: _json_value(v) for k, v in self.params.items()}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.msgid, self.params))


class OneOf(tuple[Any, ...]):
    """Alternatives as a message parameter: "a or b" (terms named in the reader's language)."""


class Sentences(tuple[Any, ...]):
    """Clauses as a message parameter: "a; b" (each rendered in the reader's language)."""


class Term(str):
    """A key as a message parameter (a kind, a thing counted), named in the reader's language (terms.po)."""


def _rebuild(msgid: str, params: dict[str, Any]) -> Msg:
    return Msg(msgid, **params)


def N_(msgid: str, /, **params: Any) -> Msg:
    """Mark an English message (with named `{placeholders}`) for the catalogue; rendered when shown."""
    return Msg(msgid, **params)


def _json_value(value: Any) -> Any:
    if isinstance(value, Msg):
        return str.__str__(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def _format(text: str, params: Mapping[str, Any], locale: str) -> str:
    if not params:
        return text
    return text.format(**{k: _param(v, locale) for k, v in params.items()})


def _param(value: Any, locale: str) -> Any:
    """A parameter as the reader reads it: a message rendered, a key (an enum) named, a list joined."""
    if isinstance(value, Msg):
        return value.render(locale)
    if isinstance(value, Enum):
        return term(str(value.value), locale)
    if isinstance(value, Term):
        return term(str.__str__(value), locale)
    if isinstance(value, Sentences):
        return ("；" if locale == ZH else "; ").join(str(_param(v, locale)) for v in value)
    if isinstance(value, OneOf):
        return (" 或 " if locale == ZH else " or ").join(str(_param(v, locale)) for v in value)
    if isinstance(value, list | tuple | set | frozenset):
        return ("、" if locale == ZH else ", ").join(str(_param(v, locale)) for v in value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def term(key: str, locale: str | None = None) -> str:
    """A key (a status, a stage, a role) in words: the catalogue's entry in context "term", else the key."""
    locale = locale or _current.get()
    if locale == EN:
        return key
    return catalogue(locale).get(f"term\x04{key}") or key


def translate(text: str, locale: str | None = None) -> str:
    """`text` in `locale` (the request's by default): a `Msg` rendered, a plain string looked up as a msgid."""
    locale = locale or _current.get()
    if isinstance(text, Msg):
        return text.render(locale)
    if locale == EN:
        return text
    return catalogue(locale).get(text) or text


@cache
def catalogue(locale: str) -> dict[str, str]:
    """msgid → translation for `locale` (empty for English, the source language)."""
    found: dict[str, str] = {}
    if locale == EN:
        return found
    for domain in DOMAINS:
        path = LOCALE_DIR / locale.replace("-", "_") / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as f:
            po = read_po(f, locale=locale.replace("-", "_"))
        found.update(
            {
                (f"{m.context}\x04{m.id}" if m.context else str(m.id)): str(m.string)
                for m in po
                if m.id and m.string and not m.fuzzy and isinstance(m.id, str)
            }
        )
    return found


def negotiate(accept_language: str | None) -> str:
    """The supported locale the client prefers most (`Accept-Language`), zh-CN when it names none."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")[:20]):
        tag, _sep, rest = part.strip().partition(";")
        quality = 1.0
        if rest.strip().startswith("q="):
            try:
                quality = float(rest.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        locale = {"zh": ZH, "en": EN}.get(primary)
        if locale is not None and quality > 0:
            ranked.append((-quality, index, locale))
    return min(ranked)[2] if ranked else DEFAULT_LOCALE


def current_locale() -> str:
    return _current.get()


def set_locale(locale: str) -> Token[str]:
    """Set the language of what this request (this context) renders; `reset_locale(token)` when it ends."""
    return _current.set(locale)


def reset_locale(token: Token[str]) -> None:
    _current.reset(token)


def message_of(exc: BaseException) -> str:
    """An exception's message, kept as a `Msg` when it is one (so it still renders in the reader's language)."""
    if exc.args and isinstance(exc.args[0], Msg):
        return exc.args[0]
    text = exc.__str__()
    return text if isinstance(text, Msg) else str(exc)
