"""Check ballots against the meeting's agenda and the cycle's rubric, before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shuping.core.errors import FieldError
from shuping.core.i18n import N_, message_of
from shuping.meetings.schemas import BallotIn
from shuping.meetings.voters import BallotSetting, Voter
from shuping.scoring import rules


@dataclass(frozen=True)
class Prepared:
    """A ballot that passed every check that needs no write."""

    report_id: int
    items: dict[str, str]
    facts: rules.StoredFacts  # total, first tier, shape
    comment: str | None
    comment_category: str | None


def _check_items(rubric: rules.Rubric, ballot_in: BallotIn, loc: list[str | int], group: str) -> rules.Ballot:
    for key, value in ballot_in.items.items():
        item = rubric.ballot_item.get(key)
        if item is not None and item.kind != "tier" and not isinstance(value, Decimal):
            raise FieldError(
                [*loc, "items", key],
                N_("{key} takes a number from 0 to {max_points}", key=key, max_points=item.max_points),
            )
    try:
        return rules.score_ballot(rubric, group, dict(ballot_in.items))
    except rules.ScoringError as exc:
        message = message_of(exc)
        field_name = message.split(":", 1)[0]
        where: list[str | int] = [*loc, "items"] if " " in field_name else [*loc, "items", field_name]
        raise FieldError(where, message) from None


def prepare(*, setting: BallotSetting, voter: Voter, ballots_in: Sequence[BallotIn], sheet: bool) -> list[Prepared]:
    """Check the ballots against the agenda and the rubric; raise the first problem found."""
    seen: set[int] = set()
    out: list[Prepared] = []
    for i, ballot_in in enumerate(ballots_in):
        loc: list[str | int] = ["body", "ballots", i] if sheet else ["body"]
        if ballot_in.report_id in seen:
            raise FieldError([*loc, "report_id"], N_("The sheet scores this report twice"))
        seen.add(ballot_in.report_id)
        if ballot_in.report_id not in setting.agenda:
            raise FieldError(
                [*loc, "report_id"],
                N_("Report {report_id} is not on this meeting's agenda", report_id=ballot_in.report_id),
            )
        scored = _check_items(setting.rubric, ballot_in, loc, voter.group.key)
        if ballot_in.comment_category is not None and ballot_in.comment_category not in setting.categories:
            raise FieldError(
                [*loc, "comment_category"],
                N_("Not one of the cycle's categories: {items}", items=", ".join(sorted(setting.categories))),
            )
        out.append(
            Prepared(
                report_id=ballot_in.report_id,
                items={k: format(v, "f") if isinstance(v, Decimal) else str(v) for k, v in ballot_in.items.items()},
                facts=scored.stored(),
                comment=ballot_in.comment or None,
                comment_category=ballot_in.comment_category if ballot_in.comment else None,
            )
        )
    return out
