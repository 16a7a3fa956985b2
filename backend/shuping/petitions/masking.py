"""Mask a petitioner's name and phone before anything stores them (pure; masking twice changes nothing)."""

from __future__ import annotations

MASK = "*"


def mask_name(name: str) -> str:
    """Keep the surname's first character: 张三丰 → 张**."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + MASK * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits of a mobile number, else only the last four: 138****1234."""
    compact = "".join(ch for ch in phone.strip() if ch not in " -()")
    if not compact:
        return ""
    if len(compact) == 11 and compact[0] == "1" and compact[:3].isdigit() and compact[-4:].isdigit():
        return compact[:3] + MASK * 4 + compact[-4:]
    if len(compact) <= 4:
        return MASK * len(compact)
    return MASK * (len(compact) - 4) + compact[-4:]
