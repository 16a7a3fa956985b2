"""Paper ballots: two clerks enter each sheet; matching entries count, differences are listed.

Paper ballots count like anonymous ones and are marked as paper. Nothing is guessed: a sheet
whose two entries differ stays out of the tally until one entry is corrected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core import metrics, tables
from shuping.core.errors import Conflict, FieldError, InvalidState
from shuping.core.i18n import N_, current_locale, message_of
from shuping.core.validation_messages import validation_message
from shuping.cycles import freeze
from shuping.cycles.models import Cycle
from shuping.live import service as live
from shuping.meetings import service, tally
from shuping.meetings import tokens as codes
from shuping.meetings.models import Ballot, BallotSource, Meeting, MeetingStatus, PaperSheet
from shuping.meetings.schemas import (
    PaperCommitResult,
    PaperDifference,
    PaperEntryIn,
    PaperForm,
    PaperGroup,
    PaperImportCheck,
    PaperPair,
    PaperRowError,
    PaperSheetIn,
    PaperSheetRead,
    Reconciliation,
)
from shuping.rubrics.models import TIER_NAMES
from shuping.scoring import rules
from shuping.scoring.inputs import scoring_rubric

TIER_WORDS = {name: str(tier) for tier, name in TIER_NAMES.items()}
MAX_SHEETS = 2000  # PaperEntryIn's limit
MAX_ROW_ERRORS = 500


def _require_open_for_paper(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.scheduled:
        raise InvalidState(N_("Paper ballots are entered once the meeting has started"))


def _normalise(items: dict[str, object]) -> dict[str, str]:
    # 28, 28.0 and 28.00 are the same score: two clerks must not differ on notation.
    return {k: format(v.normalize(), "f") if isinstance(v, Decimal) else str(v) for k, v in sorted(items.items())}


def _validate(
    rubric: rules.Rubric, meeting: Meeting, cycle: Cycle, sheet: PaperSheetIn, loc: list[str | int]
) -> rules.Ballot:
    if all(a.report_id != sheet.report_id for a in meeting.agenda):
        raise FieldError(
            [*loc, "report_id"], N_("Report {report_id} is not on this meeting's agenda", report_id=sheet.report_id)
        )
    if all(g.key != sheet.group_key for g in cycle.groups):
        raise FieldError(
            [*loc, "group_key"], N_("The cycle has no evaluator group {group_key!r}", group_key=sheet.group_key)
        )
    categories = {c.name for c in cycle.opinion_categories}
    if sheet.comment_category is not None and sheet.comment_category not in categories:
        raise FieldError([*loc, "comment_category"], N_("Not one of the cycle's opinion categories"))
    try:
        return rules.score_ballot(rubric, sheet.group_key, dict(sheet.items))
    except rules.ScoringError as exc:
        raise FieldError([*loc, "items"], message_of(exc)) from None


async def enter(session: AsyncSession, *, meeting: Meeting, cycle: Cycle, entry_in: PaperEntryIn, actor: User) -> int:
    """Store one clerk's entry of the sheets (replacing that clerk's earlier entry of a sheet)."""
    _require_open_for_paper(meeting)
    await freeze.require_not_frozen(session, cycle.id, N_("enter paper ballots"))
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    group_ids = {g.key: g.id for g in cycle.groups}
    seen: set[tuple[str, int]] = set()
    for i, sheet in enumerate(entry_in.sheets):
        loc: list[str | int] = ["body", "sheets", i]
        if (sheet.sheet_no, sheet.report_id) in seen:
            raise FieldError(
                [*loc, "sheet_no"],
                N_(
                    "Sheet {sheet_no} scores report {report_id} twice",
                    sheet_no=sheet.sheet_no,
                    report_id=sheet.report_id,
                ),
            )
        seen.add((sheet.sheet_no, sheet.report_id))
        _validate(rubric, meeting, cycle, sheet, loc)
    existing = {
        (p.sheet_no, p.report_id, p.entry): p
        for p in (await session.execute(select(PaperSheet).where(PaperSheet.meeting_id == meeting.id))).scalars()
    }
    other = 3 - entry_in.entry
    for i, sheet in enumerate(entry_in.sheets):
        twin = existing.get((sheet.sheet_no, sheet.report_id, other))
        if twin is not None and twin.entered_by_id == actor.id:
            raise Conflict(
                N_(
                    "Sheet {sheet_no}: you entered it already as entry {other}; a second clerk enters it again",
                    sheet_no=sheet.sheet_no,
                    other=other,
                ),
                errors=[{"loc": ["body", "sheets", i, "sheet_no"], "msg": N_("entered by the same clerk")}],
            )
        mine = existing.get((sheet.sheet_no, sheet.report_id, entry_in.entry))
        if mine is not None and mine.counted:
            raise Conflict(
                N_("Sheet {sheet_no} is already counted; it can no longer be changed", sheet_no=sheet.sheet_no)
            )
        fields: dict[str, Any] = {
            "group_id": group_ids[sheet.group_key],
            "items": _normalise(dict(sheet.items)),
            "comment": sheet.comment or None,
            "comment_category": sheet.comment_category if sheet.comment else None,
            "entered_by_id": actor.id,
        }
        if mine is None:
            session.add(
                PaperSheet(
                    meeting_id=meeting.id,
                    sheet_no=sheet.sheet_no,
                    report_id=sheet.report_id,
                    entry=entry_in.entry,
                    counted=False,
                    **fields,
                )
            )
        else:
            for k, v in fields.items():
                setattr(mine, k, v)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="paper.enter",
        entity_type="meeting",
        entity_id=meeting.id,
        data={"entry": entry_in.entry, "sheets": len(entry_in.sheets)},
    )
    return len(entry_in.sheets)


async def form(session: AsyncSession, *, meeting: Meeting, cycle: Cycle, actor: User) -> PaperForm:
    """The agenda, groups and ballot items a clerk enters sheets against, and how many are entered."""
    reports = await service.agenda_reports(session, meeting)
    entered: dict[str, int] = {"1": 0, "2": 0}
    mine: dict[str, int] = {"1": 0, "2": 0}
    rows = await session.execute(
        select(PaperSheet.entry, PaperSheet.entered_by_id, func.count())
        .where(PaperSheet.meeting_id == meeting.id)
        .group_by(PaperSheet.entry, PaperSheet.entered_by_id)
    )
    for entry, clerk_id, count in rows.all():
        entered[str(entry)] += count
        if clerk_id == actor.id:
            mine[str(entry)] += count
    return PaperForm(
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        status=meeting.status,
        reports=service.form_reports(meeting, reports),
        groups=[PaperGroup(key=g.key, name=g.name) for g in cycle.groups],
        items=service.form_items(cycle),
        opinion_categories=[c.name for c in cycle.opinion_categories],
        entered=entered,
        entered_by_me=mine,
    )


def _fields(sheet: PaperSheet, group_keys: dict[int, str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {"group_key": group_keys.get(sheet.group_id)}
    out.update({f"items.{k}": v for k, v in sheet.items.items()})
    out["comment"] = sheet.comment
    out["comment_category"] = sheet.comment_category
    return out


async def _pairs(session: AsyncSession, meeting: Meeting) -> dict[tuple[str, int], dict[int, PaperSheet]]:
    pairs: dict[tuple[str, int], dict[int, PaperSheet]] = {}
    rows = (await session.execute(select(PaperSheet).where(PaperSheet.meeting_id == meeting.id))).scalars()
    for p in rows:
        pairs.setdefault((p.sheet_no, p.report_id), {})[p.entry] = p
    return pairs


def _read(sheet: PaperSheet, group_keys: dict[int, str], actor: User | None) -> PaperSheetRead:
    return PaperSheetRead(
        group_key=group_keys.get(sheet.group_id),
        items=dict(sheet.items),
        comment=sheet.comment,
        comment_category=sheet.comment_category,
        entered_by_me=actor is not None and sheet.entered_by_id == actor.id,
    )


async def reconcile(
    session: AsyncSession, *, meeting: Meeting, cycle: Cycle, actor: User | None = None
) -> Reconciliation:
    group_keys = {g.id: g.key for g in cycle.groups}
    matched = counted = 0
    differences: list[PaperDifference] = []
    disputed: list[PaperPair] = []
    only_first: list[str] = []
    only_second: list[str] = []
    for (sheet_no, report_id), entries in sorted((await _pairs(session, meeting)).items()):
        if 1 not in entries:
            only_second.append(sheet_no)
            continue
        if 2 not in entries:
            only_first.append(sheet_no)
            continue
        a, b = _fields(entries[1], group_keys), _fields(entries[2], group_keys)
        diff = [
            PaperDifference(sheet_no=sheet_no, report_id=report_id, field=k, first=a.get(k), second=b.get(k))
            for k in sorted(a.keys() | b.keys())
            if a.get(k) != b.get(k)
        ]
        if diff:
            differences += diff
            disputed.append(
                PaperPair(
                    sheet_no=sheet_no,
                    report_id=report_id,
                    first=_read(entries[1], group_keys, actor),
                    second=_read(entries[2], group_keys, actor),
                )
            )
        elif entries[1].counted:
            counted += 1
        else:
            matched += 1
    return Reconciliation(
        matched=matched,
        counted=counted,
        differences=differences,
        only_in_first=sorted(set(only_first)),
        only_in_second=sorted(set(only_second)),
        disputed=disputed,
    )


async def commit(session: AsyncSession, *, meeting: Meeting, cycle: Cycle, actor: User) -> PaperCommitResult:
    """Count every sheet whose two entries agree and that is not counted yet."""
    _require_open_for_paper(meeting)
    await freeze.require_not_frozen(session, cycle.id, N_("count paper ballots"))
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    group_keys = {g.id: g.key for g in cycle.groups}
    receipts: list[str] = []
    for (_sheet_no, report_id), entries in sorted((await _pairs(session, meeting)).items()):
        first, second = entries.get(1), entries.get(2)
        if first is None or second is None or first.counted:
            continue
        if _fields(first, group_keys) != _fields(second, group_keys):
            continue
        items: dict[str, object] = {k: (v if v in TIER_WORDS.values() else Decimal(v)) for k, v in first.items.items()}
        scored = rules.score_ballot(rubric, group_keys[first.group_id], items)
        receipt = codes.new_receipt()
        session.add(
            Ballot(
                id=codes.new_ballot_id(),
                meeting_id=meeting.id,
                report_id=report_id,
                group_id=first.group_id,
                source=BallotSource.paper,
                evaluator_id=None,
                receipt=receipt,
                items=first.items,
                **scored.stored(),
                comment=first.comment,
                comment_category=first.comment_category,
            )
        )
        first.counted = second.counted = True
        receipts.append(receipt)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="paper.count",
        entity_type="meeting",
        entity_id=meeting.id,
        data={"counted": len(receipts), "receipts": receipts},
    )
    if receipts:
        live.on_commit(session, "tally", meeting.id, tally.notifier.touch_all)
        live.on_commit(session, "paper-ballots-counted", len(receipts), _count_paper)
    return PaperCommitResult(counted=len(receipts), receipts=receipts)


def _count_paper(counts: list[int]) -> None:
    metrics.PAPER.inc(sum(counts))


# ---------------------------------------------------------------- files


@dataclass(frozen=True)
class RowProblem:
    """Why one row (or the header) of an imported file cannot be stored."""

    row: int
    column: str | None
    msg: str

    def located(self) -> str:
        return N_("row {n}: {error}", n=self.row, error=self.msg)


@dataclass(frozen=True)
class ParsedRows:
    sheets: list[dict[str, Any]]
    rows: list[int]  # the file's row number of each sheet
    problems: list[RowProblem]
    read: int  # data rows in the file


def parse_rows(
    table: tables.Table,
    item_keys: Sequence[str],
    item_titles: dict[str, str] | None = None,
    group_names: dict[str, str] | None = None,
) -> ParsedRows:
    """Read a sheet table: 票号, 报告ID, 评议组, one column per ballot item (its key or its title), 意见, 意见类别.

    评议组 may name the group by its key or its name (group_names: name → key).
    Tier items may be written 好/较好/一般/较差. Returns the sheets, their rows and the row errors.
    """
    aliases = {
        "票号": "sheet_no",
        "报告ID": "report_id",
        "评议组": "group_key",
        "意见": "comment",
        "意见类别": "comment_category",
    }
    titles = {title: key for key, title in (item_titles or {}).items() if title not in aliases}
    names = [aliases.get(h) or titles.get(h) or h for h in table.header]
    missing = [c for c in ("sheet_no", "report_id", "group_key", *item_keys) if c not in names]
    if missing:
        headers = {v: k for k, v in aliases.items()}
        columns = ", ".join(headers.get(c, c) for c in missing)
        problem = RowProblem(table.header_row, None, N_("missing columns: {columns}", columns=columns))
        return ParsedRows([], [], [problem], len(table.rows))
    sheets: list[dict[str, Any]] = []
    numbers: list[int] = []
    errors: list[RowProblem] = []
    for row in table.rows:
        n = row.number
        values = dict(zip(names, (tables.cell_text(v) for v in row.cells), strict=False))
        try:
            report_id = int(values["report_id"])
        except ValueError:
            errors.append(
                RowProblem(n, "报告ID", N_("报告ID {report_id!r} is not a number", report_id=values["report_id"]))
            )
            continue
        items: dict[str, object] = {}
        unreadable = len(errors)
        for k in item_keys:
            raw = values.get(k, "")
            if raw in TIER_WORDS:
                items[k] = TIER_WORDS[raw]
            elif raw in TIER_WORDS.values():
                items[k] = raw
            else:
                try:
                    items[k] = Decimal(raw)
                except ArithmeticError:
                    label = (item_titles or {}).get(k, k)
                    errors.append(
                        RowProblem(
                            n,
                            label,
                            N_("{k} {raw!r} is neither a number nor a tier (好/较好/一般/较差)", k=label, raw=raw),
                        )
                    )
        if len(errors) > unreadable:
            continue
        numbers.append(n)
        sheets.append(
            {
                "sheet_no": values["sheet_no"],
                "report_id": report_id,
                "group_key": (group_names or {}).get(values["group_key"], values["group_key"]),
                "items": items,
                "comment": values.get("comment") or None,
                "comment_category": values.get("comment_category") or None,
            }
        )
    return ParsedRows(sheets, numbers, errors, len(table.rows))


# The file's own headers, as the clerk reads them; an item's problem names the item in its message.
_COLUMN_NAMES = {
    "sheet_no": "票号",
    "report_id": "报告ID",
    "group_key": "评议组",
    "comment": "意见",
    "comment_category": "意见类别",
    "items": "",
}


async def check_import(
    session: AsyncSession, *, meeting: Meeting, cycle: Cycle, parsed: ParsedRows, entry: int, actor: User
) -> PaperImportCheck:
    """Check every row of an import as the real run would, and say what it would store; store nothing."""
    _require_open_for_paper(meeting)
    await freeze.require_not_frozen(session, cycle.id, N_("enter paper ballots"))
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    locale = current_locale()
    titles = {i.key: i.title for i in cycle.rubric.items}
    errors = [PaperRowError(row=p.row, column=p.column, message=p.msg) for p in parsed.problems]
    existing = {
        (p.sheet_no, p.report_id, p.entry): p
        for p in (await session.execute(select(PaperSheet).where(PaperSheet.meeting_id == meeting.id))).scalars()
    }
    seen: dict[tuple[str, int], int] = {}
    new = replaced = 0
    for raw, row in zip(parsed.sheets, parsed.rows, strict=True):
        try:
            sheet = PaperSheetIn.model_validate(raw)
        except ValidationError as exc:
            named: set[str | None] = set()
            for e in exc.errors():
                loc = [str(part) for part in e["loc"]]
                # An item's bad value is named by the item; a union's second complaint about it adds nothing.
                field = titles.get(loc[1], loc[1]) if loc[:1] == ["items"] and len(loc) > 1 else (loc or [""])[0]
                column = _COLUMN_NAMES.get(field, field) or None
                if column in named:
                    continue
                named.add(column)
                errors.append(PaperRowError(row=row, column=column, message=validation_message(dict(e), locale)))
            continue
        try:
            _validate(rubric, meeting, cycle, sheet, [])
        except FieldError as exc:
            first = (exc.errors or [{}])[0]
            column = str(first.get("loc", [None])[-1]) if first.get("loc") else None
            column = _COLUMN_NAMES.get(column or "", column) or None
            errors.append(PaperRowError(row=row, column=column, message=exc.detail))
            continue
        key = (sheet.sheet_no, sheet.report_id)
        if key in seen:
            errors.append(
                PaperRowError(
                    row=row,
                    column="票号",
                    message=N_(
                        "Sheet {sheet_no} scores report {report_id} twice (also on row {seen})",
                        sheet_no=sheet.sheet_no,
                        report_id=sheet.report_id,
                        seen=seen[key],
                    ),
                )
            )
            continue
        seen[key] = row
        twin = existing.get((*key, 3 - entry))
        mine = existing.get((*key, entry))
        if twin is not None and twin.entered_by_id == actor.id:
            errors.append(
                PaperRowError(
                    row=row,
                    column="票号",
                    message=N_(
                        "Sheet {sheet_no}: you entered it already as entry {other}; a second clerk enters it again",
                        sheet_no=sheet.sheet_no,
                        other=3 - entry,
                    ),
                )
            )
        elif mine is not None and mine.counted:
            errors.append(
                PaperRowError(
                    row=row,
                    column="票号",
                    message=N_(
                        "Sheet {sheet_no} is already counted; it can no longer be changed", sheet_no=sheet.sheet_no
                    ),
                )
            )
        elif mine is None:
            new += 1
        else:
            replaced += 1
    if parsed.read == 0 and not parsed.problems:
        errors.append(PaperRowError(row=1, column=None, message=N_("The file holds no sheets")))
    if len(parsed.sheets) > MAX_SHEETS:
        errors.append(
            PaperRowError(row=1, column=None, message=N_("A file may hold at most {count} sheets", count=MAX_SHEETS))
        )
    errors.sort(key=lambda e: e.row)
    return PaperImportCheck(
        entry=entry,
        rows=parsed.read,
        sheets=0 if errors else new + replaced,
        new=new,
        replaced=replaced,
        errors=errors[:MAX_ROW_ERRORS],
    )


async def read_file(filename: str, data: bytes) -> tables.Table:
    """Read an uploaded .xlsx or .csv file of sheets; one that cannot be read is refused at the file field."""
    try:
        return await tables.read(data, filename)
    except tables.UnreadableFile as exc:
        raise FieldError(
            ["body", "file"], N_("Cannot read {filename}: {detail}", filename=filename, detail=exc.detail)
        ) from None
