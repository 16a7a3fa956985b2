"""Receipts and ballot ids drawn many at once are as random and well-formed as one at a time."""

from __future__ import annotations

import re
from collections import Counter

from shuping.meetings import tokens as codes

RECEIPT = re.compile(r"[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{10}")


def test_receipts_drawn_at_once_are_well_formed_distinct_and_use_every_letter_evenly() -> None:
    receipts = codes.new_receipts(3200)
    assert len(receipts) == 3200 and len(set(receipts)) == 3200
    assert all(RECEIPT.fullmatch(r) for r in receipts)
    # Each position takes its own 5 bits: 32 letters, each about 100 times per position.
    for position in range(10):
        counts = Counter(r[position] for r in receipts)
        assert len(counts) == 32 and min(counts.values()) > 40 and max(counts.values()) < 170
    assert codes.new_receipts(0) == []
    assert RECEIPT.fullmatch(codes.new_receipt())


def test_ballot_ids_drawn_at_once_are_128_random_bits_each() -> None:
    ids = codes.new_ballot_ids(1000)
    assert len(set(ids)) == 1000 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert codes.new_ballot_ids(0) == [] and len(codes.new_ballot_id()) == 32
