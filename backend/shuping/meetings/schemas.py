"""Meeting, token, ballot and tally schemas."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, StrictBool, StrictInt, model_validator

from shuping.core.i18n import N_
from shuping.core.schemas import BodyId, InputSchema, IsoDateTime, ReaderText, Schema, TextInput
from shuping.meetings.models import Direction, MeetingStatus, Voting
from shuping.scoring.withholding import Withheld

TIER_VALUES = ("good", "fairly_good", "average", "poor")


def _score_or_tier(value: object) -> Decimal | str:
    """A JSON number (never a boolean or a numeric string) or one of the four tiers."""
    if isinstance(value, bool):
        raise ValueError(N_("expected a number or a tier, not a boolean"))
    if isinstance(value, int | float):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(N_("not a finite number")) from None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str) and value in TIER_VALUES:
        return value
    raise ValueError(N_("expected a number, or one of good, fairly_good, average, poor"))


ScoreOrTier = Annotated[
    Decimal | str,
    BeforeValidator(_score_or_tier),
    Field(json_schema_extra={"anyOf": [{"type": "number"}, {"type": "string", "enum": list(TIER_VALUES)}]}),
]


class AgendaItemRead(Schema):
    report_id: int
    position: int
    org_code: str
    org_name: str
    title: str
    voting: Voting


class MeetingRead(Schema):
    id: int
    cycle_id: int
    title: str
    direction: Direction
    starts_at: datetime
    status: MeetingStatus
    current_report_id: int | None
    revealed: bool
    screen_key: str | None = Field(default=None, description="Only for the host's staff: opens the big screen")
    started_at: datetime | None
    ended_at: datetime | None
    agenda: list[AgendaItemRead]


class MeetingCreate(InputSchema):
    title: str = Field(min_length=1, max_length=200)
    direction: Direction
    report_ids: list[BodyId] = Field(min_length=1, max_length=500)
    starts_at: IsoDateTime


class SpeakerIn(InputSchema):
    report_id: BodyId


class VotingIn(InputSchema):
    open: StrictBool


class RevealIn(InputSchema):
    revealed: StrictBool


class TokensCreate(InputSchema):
    group_key: str = Field(min_length=1, max_length=32)
    count: StrictInt = Field(ge=1, le=500)


class TokensIssued(Schema):
    meeting_id: int
    group_key: str
    tokens: list[str] = Field(description="Shown once: only their hashes are kept")


class TokenSummary(Schema):
    group_key: str
    issued: int
    used: int
    revoked: int


class TokensRevoke(InputSchema):
    tokens: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(min_length=1, max_length=500)


class RevokedCount(Schema):
    revoked: int


class BallotIn(InputSchema):
    report_id: BodyId
    items: dict[Annotated[str, Field(max_length=64)], ScoreOrTier] = Field(max_length=100)
    comment: str | None = Field(default=None, max_length=2000)
    comment_category: str | None = Field(default=None, max_length=50)


class BallotSubmission(InputSchema):
    """One ballot (`report_id`, `items`, …) or a whole sheet (`ballots`: one per report, all or nothing)."""

    report_id: BodyId | None = None
    items: dict[Annotated[str, Field(max_length=64)], ScoreOrTier] | None = Field(default=None, max_length=100)
    comment: str | None = Field(default=None, max_length=2000)
    comment_category: str | None = Field(default=None, max_length=50)
    ballots: list[BallotIn] | None = Field(default=None, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _one_form(self) -> BallotSubmission:
        single = self.report_id is not None or self.items is not None
        if self.ballots is not None and single:
            raise ValueError(N_("send either one ballot (report_id, items) or a sheet (ballots), not both"))
        if self.ballots is None and (self.report_id is None or self.items is None):
            raise ValueError(N_("a ballot needs report_id and items (or send a sheet as ballots)"))
        return self

    @property
    def is_sheet(self) -> bool:
        return self.ballots is not None

    def as_ballots(self) -> list[BallotIn]:
        if self.ballots is not None:
            return self.ballots
        assert self.report_id is not None and self.items is not None
        return [
            BallotIn(
                report_id=self.report_id, items=self.items, comment=self.comment, comment_category=self.comment_category
            )
        ]


class BallotAccepted(Schema):
    receipt: str
    report_id: int
    group_key: str


class SheetAccepted(Schema):
    ballots: list[BallotAccepted]


class FormReport(Schema):
    report_id: int
    org_name: str
    title: str
    voting: Voting
    voted: bool


class FormItem(Schema):
    key: str
    title: str
    kind: Literal["score", "tier"]
    max_points: str
    description: str | None


class BallotForm(Schema):
    meeting_id: int
    meeting_title: str
    direction: Direction
    status: MeetingStatus
    group_key: str
    group_name: str
    anonymous: bool = Field(
        default=False,
        description="The group votes anonymously: a signed-in evaluator's ballot names nobody and is cast once",
    )
    current_report_id: int | None
    reports: list[FormReport]
    items: list[FormItem]
    opinion_categories: list[str]


class MyMeeting(Schema):
    meeting_id: int
    meeting_title: str
    status: MeetingStatus
    group_key: str
    group_name: str


class TallyGroup(Schema):
    key: str
    name: str
    received: int = Field(description="Ballots received, always shown")
    expected: int
    score: str | None = Field(default=None, description="Group score, once scores are visible and unless withheld")
    withheld: Withheld | None = Field(
        default=None,
        description="Why the score is withheld (null: shown, or scores not visible): `few_ballots`, fewer than "
        "`hidden_below` ballots; `complement`, it would let such a group's score be worked out",
    )
    hidden_below: int | None = Field(
        default=None, description="When withheld: the cycle's minimum of ballots behind any score shown"
    )


class TallyReport(Schema):
    report_id: int
    org_name: str
    title: str
    voting: Voting
    groups: list[TallyGroup]
    score: str | None = Field(default=None, description="Ballot part, once scores are visible and unless withheld")
    rank: int | None = Field(default=None, description="Rank by ballot part in this meeting, as the score")
    withheld: bool = Field(
        default=False, description="Score and rank withheld: the report has fewer than `hidden_below` ballots"
    )
    hidden_below: int | None = Field(
        default=None, description="When withheld: the cycle's minimum of ballots behind any score shown"
    )


class Tally(Schema):
    meeting_id: int
    title: str
    status: MeetingStatus
    current_report_id: int | None
    revealed: bool
    scores_visible: bool = Field(
        description="Scores and ranks are in this tally: the meeting is revealed and no report is open for voting "
        "(the same for everyone; before that only the counts received are)"
    )
    reports: list[TallyReport]
    receipts: list[str] | None = Field(default=None, description="Receipts counted, once the meeting has ended")


class PaperSheetIn(TextInput):
    sheet_no: str = Field(min_length=1, max_length=32)
    report_id: BodyId
    group_key: str = Field(min_length=1, max_length=32)
    items: dict[Annotated[str, Field(max_length=64)], ScoreOrTier] = Field(max_length=100)
    comment: str | None = Field(default=None, max_length=2000)
    comment_category: str | None = Field(default=None, max_length=50)


class PaperEntryIn(InputSchema):
    entry: Literal[1, 2]
    sheets: list[PaperSheetIn] = Field(min_length=1, max_length=2000)


class PaperEntryResult(Schema):
    entry: int
    stored: int


class PaperDifference(Schema):
    sheet_no: str
    report_id: int
    field: str
    first: str | None
    second: str | None


class PaperSheetRead(Schema):
    """One clerk's entry of a sheet, as stored (scores as written, tiers by key)."""

    group_key: str | None
    items: dict[str, str]
    comment: str | None
    comment_category: str | None
    entered_by_me: bool = Field(description="The caller entered this copy")


class PaperPair(Schema):
    """A sheet whose two entries differ: both copies whole, so the second clerk can correct theirs."""

    sheet_no: str
    report_id: int
    first: PaperSheetRead
    second: PaperSheetRead


class Reconciliation(Schema):
    matched: int
    counted: int
    differences: list[PaperDifference]
    only_in_first: list[str]
    only_in_second: list[str]
    disputed: list[PaperPair] = Field(description="Each sheet with differences, both entries")


class PaperGroup(Schema):
    key: str
    name: str


class PaperForm(Schema):
    """What a clerk needs to enter paper sheets: the agenda, the groups and the rubric's ballot items."""

    meeting_id: int
    meeting_title: str
    status: MeetingStatus
    reports: list[FormReport]
    groups: list[PaperGroup]
    items: list[FormItem]
    opinion_categories: list[str]
    entered: dict[str, int] = Field(description='Sheets stored per entry ("1", "2")')
    entered_by_me: dict[str, int] = Field(description="Of those, the caller's, per entry")


class PaperRowError(Schema):
    row: int = Field(description="Row number in the file (the header is row 1)")
    column: str | None
    message: ReaderText = Field(description="In the request's language (Accept-Language)")


class PaperImportCheck(Schema):
    """A dry run of an import: what would be stored, and every row that stops it; nothing stored."""

    entry: int
    dry_run: Literal[True] = True
    applied: Literal[False] = False
    rows: int = Field(description="Data rows read")
    sheets: int = Field(description="Sheets that would be stored")
    new: int = Field(description="Of those, sheets not yet entered in this entry")
    replaced: int = Field(description="Of those, sheets whose earlier copy in this entry would be replaced")
    errors: list[PaperRowError]


class PaperCommitResult(Schema):
    counted: int
    receipts: list[str]
