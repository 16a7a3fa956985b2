"""The languages a test client reads problems in (Accept-Language)."""

from __future__ import annotations

# What the test clients send unless a test says otherwise: the suite's assertions read the English messages.
ENGLISH = {"Accept-Language": "en-US"}
CHINESE = {"Accept-Language": "zh-CN"}
