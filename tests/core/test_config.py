"""Settings refuse an unsafe secret outside demo/dev mode."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shuping.config import DEFAULT_SECRET, Settings


def test_default_secret_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="SHUPING_SECRET_KEY"):
        Settings(mode="production", secret_key=DEFAULT_SECRET)


def test_short_secret_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="SHUPING_SECRET_KEY"):
        Settings(mode="production", secret_key="short")


def test_strong_secret_accepted_in_production() -> None:
    s = Settings(mode="production", secret_key="x" * 48)
    assert s.secret_key == "x" * 48


def test_demo_mode_allows_the_default() -> None:
    assert Settings(mode="demo").secret_key == DEFAULT_SECRET


def test_environment_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHUPING_ACCESS_TOKEN_MINUTES", "7")
    assert Settings().access_token_minutes == 7
