"""Which figures are withheld: none built from fewer than the cycle's `min_ballots_shown` ballots
(DESIGN §4). Pure functions, no I/O; scoring is untouched, only what is shown.

A group with a few ballots is withheld. Its score could still be worked out from what is shown beside
it: the ballot part is the weighted mean of the group scores, so with every other group's score shown
one equation gives the missing one (and the report's poor share gives its poor votes). So while the
withheld groups together hold fewer than k ballots, the smallest shown group is withheld with them;
what can then be worked out is a mean over at least k ballots.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Withheld(StrEnum):
    few_ballots = "few_ballots"  # the group has fewer than k ballots
    complement = "complement"  # shown, it would let a few-ballot group's figures be worked out


def withheld_groups(ballots: Mapping[str, int], k: int) -> dict[str, Withheld]:
    """The groups (by key, from their ballot counts in order) whose figures are withheld, and why."""
    few = {key: n for key, n in ballots.items() if 0 < n < k}
    out = dict.fromkeys(few, Withheld.few_ballots)
    if few and sum(few.values()) < k:
        shown = [(n, i, key) for i, (key, n) in enumerate(ballots.items()) if n >= k]
        if shown:
            out[min(shown)[2]] = Withheld.complement
    return out


def pooled_shown(ballots: Mapping[str, int], k: int) -> bool:
    """Whether figures pooled over all of a report's ballots (its poor share, item averages) may be shown;
    with no ballot there is nothing to withhold."""
    total = sum(ballots.values())
    return total == 0 or total >= k
