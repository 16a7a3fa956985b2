"""Comprehensive evaluation (综合评价): gather a cycle's ballots, score them, publish and freeze."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import orjson
from sqlalchemy import LargeBinary, Row, Table, delete, func, insert, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.runtime import cyclic_gc_paused
from shuping.cycles import freeze
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage
from shuping.db import utcnow
from shuping.meetings.counting import tally_ballots
from shuping.meetings.models import Ballot, Meeting
from shuping.orgs.models import Organization
from shuping.orgs.scope import within_reach
from shuping.reports import assessment
from shuping.reports.models import Report
from shuping.results.models import ResultEntry, ResultSet, ResultStatus
from shuping.results.schemas import (
    MissingIndicator,
    ResultItem,
    ResultsRead,
    ResultsSummary,
)
from shuping.rubrics.models import Rubric, RubricItem, RubricVeto
from shuping.scoring import rules
from shuping.scoring.inputs import scoring_grading, scoring_group, scoring_rubric
from shuping.scoring.withholding import withheld_groups

show = rules.display


@dataclass
class CycleInputs:
    cycle: Cycle
    rubric: rules.Rubric
    groups: list[rules.Group]
    grading: rules.Grading
    reports: list[rules.ReportInput]
    orgs: dict[int, Any]  # id, code and name of each reporting organisation
    report_org: dict[int, int]


def rubric_of(cycle: Cycle) -> Rubric:
    """The cycle's rubric; results need one."""
    if cycle.rubric is None:
        raise InvalidState(N_("The cycle has no rubric"))
    return cycle.rubric


async def _indicator_points(
    session: AsyncSession, cycle: Cycle, reports: Sequence[Row[int, int, int]]
) -> dict[int, dict[str, Decimal | None]]:
    """Per report: each indicator item's points — computed by its formula, else as entered."""
    assessed = await assessment.indicators(session, rubric_of(cycle), reports)
    return {rid: {key: i.points for key, i in items.items()} for rid, items in assessed.items()}


async def report_ballots(session: AsyncSession, cycle: Cycle, report_id: int) -> list[rules.Ballot]:
    """One report's ballots, each named by its receipt (for the explanation)."""
    key_of = {g.id: g.key for g in cycle.groups}
    rows = await session.execute(
        select(Ballot.group_id, Ballot.total, Ballot.first_tier, Ballot.straight, Ballot.signature, Ballot.receipt)
        .join(Meeting, Meeting.id == Ballot.meeting_id)
        .where(Meeting.cycle_id == cycle.id, Ballot.report_id == report_id)
        .order_by(Ballot.receipt)
    )
    return [
        rules.Ballot(
            group=key_of[gid],
            total=Fraction(total),
            first_tier=rules.Tier(first_tier) if first_tier else None,
            straight=straight,
            signature=signature,
            ref=receipt,
        )
        for gid, total, first_tier, straight, signature, receipt in rows
    ]


async def gather(session: AsyncSession, cycle: Cycle, *, ballots_of: int | None = None) -> CycleInputs:
    """Every input of DESIGN §3 for a cycle: ballots of all its meetings, indicators, vetoes.

    Ballots come tallied per report and group by the database; `ballots_of` names a report whose
    ballots come one by one instead (the explanation shows them).
    """
    rubric = scoring_rubric(rubric_of(cycle))
    groups = [scoring_group(g) for g in cycle.groups]
    # Columns, not `Report` objects: a province has 50,000 reports, each with its text.
    reports = (
        await session.execute(
            select(Report.id, Report.org_id, Report.cycle_id)
            .where(Report.cycle_id == cycle.id)
            .order_by(Report.position, Report.id)
        )
    ).all()
    orgs = {
        o.id: o
        for o in await session.execute(
            select(Organization.id, Organization.code, Organization.name).where(
                Organization.id.in_(select(Report.org_id).where(Report.cycle_id == cycle.id))
            )
        )
    }
    tallies = await tally_ballots(session, cycle, groups)
    ballots = await report_ballots(session, cycle, ballots_of) if ballots_of is not None else []
    # As entered, and those a veto fact decides from the cycle's data (e.g. no project landed).
    vetoes = await assessment.vetoes(session, rubric_of(cycle), reports)
    indicators = await _indicator_points(session, cycle, reports)
    return CycleInputs(
        cycle=cycle,
        rubric=rubric,
        groups=groups,
        grading=scoring_grading(cycle),
        reports=[
            rules.ReportInput(r.id, ballots, indicators.get(r.id, {}), vetoes[r.id])
            if r.id == ballots_of
            else rules.ReportInput(r.id, (), indicators.get(r.id, {}), vetoes[r.id], tallies=tallies[r.id])
            for r in reports
        ],
        orgs=orgs,
        report_org={r.id: r.org_id for r in reports},
    )


_TIER_VALUES: dict[rules.Tier | None, str] = {t: t.value for t in rules.Tier}


def share(value: Fraction | None) -> str | None:
    return None if value is None else show(value, 4)


class _Items:
    """Result items as stored in the document (the `ResultItem` shape), built as plain data: a province's
    50,000 reports would spend seconds in validating models that are validated again when read."""

    def __init__(self, inputs: CycleInputs) -> None:
        self.inputs = inputs
        self.max_total = show(inputs.rubric.max_total) or "0.00"
        specs = {g.key: g for g in inputs.cycle.groups}
        self.group_facts = {
            g.key: {"key": g.key, "name": specs[g.key].name, "weight": format(g.weight, "f"), "quorum": g.quorum}
            for g in inputs.groups
        }
        self.k = inputs.cycle.min_ballots_shown

    def __call__(self, r: rules.ReportResult) -> dict[str, Any]:
        org = self.inputs.orgs[self.inputs.report_org[r.report_id]]
        facts = self.group_facts
        k = self.k
        # Figures of fewer than k ballots are not even stored (DESIGN §4), so no reader of the result can show
        # them; the total counts their ballots all the same.
        withheld = withheld_groups({g.key: g.ballots for g in r.groups}, k)
        return {
            "report_id": r.report_id,
            "org_id": org.id,
            "org_code": org.code,
            "org_name": org.name,
            "total": show(r.total),
            "max_total": self.max_total,
            "ballot_part": show(r.ballot_part),
            "tier": _TIER_VALUES.get(r.tier),
            "rank": r.rank,
            "flagged": r.flagged,
            "vetoed": bool(r.vetoes),
            "tier_rule": r.tier_rule,
            "indicator_points": show(r.indicator_points) or "0.00",
            "missing_indicators": r.missing_indicators,
            "incomplete": r.incomplete,
            "quorum_ok": r.quorum_ok,
            "consistency_flags": r.consistency_flags,
            "groups": [
                {
                    **facts[g.key],
                    "ballots": g.ballots,
                    "dropped": g.dropped,
                    "score": None if why else show(g.score),
                    "approval_rate": None if why else share(g.approval_rate),
                    # by the tiers' values, looked up: `.value` is a Python-level property, read 600,000 times
                    # at province scale
                    "tier_counts": None if why else {_TIER_VALUES[t]: n for t, n in g.tier_counts.items()},
                    "quorum_ok": g.quorum_ok,
                    "withheld": why.value if why else None,
                    "hidden_below": k if why else None,
                }
                for g in r.groups
                for why in (withheld.get(g.key),)
            ],
        }


def _blockers(items: list[dict[str, Any]]) -> list[str]:
    out = [f"{i['org_name']}: no ballot in any group (incomplete)" for i in items if i["incomplete"]]
    out += [f"{i['org_name']}: a group misses its quorum" for i in items if not i["incomplete"] and not i["quorum_ok"]]
    return out


def encode_item(item: dict[str, Any]) -> bytes:
    """An item as canonical JSON: sorted keys, no blanks, UTF-8 (what `json.dumps(..., ensure_ascii=False,
    sort_keys=True, separators=(",", ":"))` writes)."""
    return orjson.dumps(item, option=orjson.OPT_SORT_KEYS)


def results_hash(max_total: str, encoded_items: list[bytes]) -> str:
    """SHA-256 of the canonical JSON of `{"items": [...], "max_total": ...}`, the items in ranking order."""
    digest = hashlib.sha256(b'{"items":[')
    digest.update(b",".join(encoded_items))
    digest.update(b'],"max_total":' + orjson.dumps(max_total) + b"}")
    return digest.hexdigest()


async def stored_hash(session: AsyncSession, result_set: ResultSet) -> str:
    """The hash of the result as stored now (to check it is what was computed)."""
    rows = await session.scalars(
        select(ResultEntry.item).where(ResultEntry.cycle_id == result_set.cycle_id).order_by(ResultEntry.position)
    )
    return results_hash(result_set.document["max_total"], [item.encode() for item in rows])


async def get_result_set(session: AsyncSession, cycle_id: int) -> ResultSet | None:
    return (await session.execute(select(ResultSet).where(ResultSet.cycle_id == cycle_id))).scalar_one_or_none()


def require_assessment(cycle: Cycle) -> None:
    cycles_service.require_stage(cycle, CycleStage.assessment, doing=N_("compute results"))


async def compute(session: AsyncSession, *, cycle: Cycle, actor: User) -> ResultsSummary:
    """Score the cycle and store the result (replacing an unpublished one); answer its summary."""
    require_assessment(cycle)
    await freeze.require_not_frozen(session, cycle.id, N_("recompute"))
    with cyclic_gc_paused():
        inputs = await gather(session, cycle)
        results = rules.compute(inputs.rubric, inputs.groups, inputs.grading, inputs.reports)
        item = _Items(inputs)
        built = [item(r) for r in results]
        missing = missing_indicators(rubric_of(cycle), built)
        result_set = await _store(session, cycle, actor, item.max_total, built, missing)
    return summary(result_set)


def missing_indicators(rubric: Rubric, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each indicator some report lacks, in rubric order, with the organisations lacking it."""
    lacking: dict[str, list[str]] = {}
    for i in items:
        for key in i["missing_indicators"]:
            lacking.setdefault(key, []).append(i["org_name"])
    return [
        {"key": it.key, "title": it.title, "org_names": lacking[it.key]} for it in rubric.items if it.key in lacking
    ]


async def _store(
    session: AsyncSession,
    cycle: Cycle,
    actor: User,
    max_total: str,
    items: list[dict[str, Any]],
    missing: list[dict[str, Any]],
) -> ResultSet:
    """Replace the cycle's result: its summary and hash, and one ranking row per item."""
    encoded = [encode_item(i) for i in items]
    digest = results_hash(max_total, encoded)
    document = {"max_total": max_total, "reports": len(items), "blockers": _blockers(items)}
    result_set = await get_result_set(session, cycle.id)
    now = utcnow()
    if result_set is None:
        result_set = ResultSet(
            cycle_id=cycle.id,
            status=ResultStatus.computed,
            document=document,
            hash=digest,
            computed_at=now,
            computed_by_id=actor.id,
        )
        session.add(result_set)
    else:
        result_set.document, result_set.hash = document, digest
        result_set.computed_at, result_set.computed_by_id = now, actor.id
        result_set.status = ResultStatus.computed
    result_set.missing_indicators = missing
    await session.execute(delete(ResultEntry).where(ResultEntry.cycle_id == cycle.id))
    await session.flush()
    entries = [
        {
            "cycle_id": cycle.id,
            "report_id": i["report_id"],
            "org_id": i["org_id"],
            "total": Decimal(i["total"]) if i["total"] is not None else None,
            "tier": i["tier"],
            "rank": i["rank"],
            "flagged": i["flagged"],
            "published": False,
            "position": position,
            "item": text.decode(),
        }
        for position, (i, text) in enumerate(zip(items, encoded, strict=True))
    ]
    if entries:
        await _insert_entries(session, entries)
    await audit.record(
        session,
        actor=actor,
        action="results.compute",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"hash": digest, "reports": len(items)},
    )
    return result_set


async def _insert_entries(session: AsyncSession, entries: list[dict[str, Any]]) -> None:
    """Insert the ranking rows: by COPY in PostgreSQL (50,000 rows: 2.7 s as INSERTs, a fraction of that
    copied); through Core elsewhere (the ORM's bookkeeping per row costs seconds at that size)."""
    if session.get_bind().dialect.name == "postgresql":
        asyncpg_connection = (await (await session.connection()).get_raw_connection()).driver_connection
        assert asyncpg_connection is not None
        columns = list(entries[0])
        await asyncpg_connection.copy_records_to_table(
            ResultEntry.__tablename__, records=[tuple(e[c] for c in columns) for e in entries], columns=columns
        )
    else:
        await session.execute(insert(cast(Table, ResultEntry.__table__)), entries)


def summary(result_set: ResultSet) -> ResultsSummary:
    blockers: list[str] = result_set.document["blockers"]
    return ResultsSummary(
        cycle_id=result_set.cycle_id,
        status=result_set.status,
        computed_at=result_set.computed_at,
        published_at=result_set.published_at,
        hash=result_set.hash,
        max_total=result_set.document["max_total"],
        reports=result_set.document["reports"],
        publishable=result_set.status == ResultStatus.computed and not any("incomplete" in b for b in blockers),
        blockers=blockers,
        missing_indicators=[MissingIndicator(**m) for m in result_set.missing_indicators or []],
        missing_indicators_reason=result_set.indicator_override,
        quorum_override_reason=result_set.quorum_override,
    )


async def stored_items(
    session: AsyncSession, cycle_id: int, *, offset: int = 0, limit: int | None = None, report_id: int | None = None
) -> list[ResultItem]:
    """Stored result items in ranking order: a page of them, or one report's."""
    return [ResultItem.model_validate(i) for i in await _ranking(session, cycle_id, offset, limit, report_id)]


async def _ranking(
    session: AsyncSession,
    cycle_id: int,
    offset: int = 0,
    limit: int | None = None,
    report_id: int | None = None,
    detail_of: frozenset[int] | None = None,
) -> StoredRanking:
    # The items as UTF-8 bytes, which is what orjson parses: as text, an item naming its organisation in
    # Chinese takes two bytes per character throughout (a province's 50,000: 105 MiB, as bytes 54).
    utf8 = (
        func.convert_to(ResultEntry.item, "UTF8", type_=LargeBinary)
        if session.get_bind().dialect.name == "postgresql"
        else sql_cast(ResultEntry.item, LargeBinary)
    )
    query = select(ResultEntry.report_id, utf8).where(ResultEntry.cycle_id == cycle_id)
    if report_id is not None:
        query = query.where(ResultEntry.report_id == report_id)
    query = query.order_by(ResultEntry.position).offset(offset).limit(limit)
    rows = (await session.execute(query)).all()
    return StoredRanking([r for r, _ in rows], [text for _, text in rows], detail_of)


@dataclass(frozen=True)
class StoredRanking:
    """Result items as stored (canonical JSON, in UTF-8), each parsed only when reached and again on each
    pass: a province's 50,000 items parsed at once hold about 400 MiB."""

    report_ids: list[int]
    texts: list[bytes]
    detail_of: frozenset[int] | None = None  # when set, only these organisations' items keep their detail

    def __len__(self) -> int:
        return len(self.texts)

    def detailed_report_ids(self) -> frozenset[int]:
        """The reports whose detail (groups, item averages) the reader may see."""
        if self.detail_of is None:
            return frozenset(self.report_ids)
        return frozenset(
            report_id
            for report_id, text in zip(self.report_ids, self.texts, strict=True)
            if orjson.loads(text)["org_id"] in self.detail_of
        )

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for text in self.texts:
            item: dict[str, Any] = orjson.loads(text)
            if self.detail_of is not None and item["org_id"] not in self.detail_of:
                item["groups"], item["consistency_flags"] = [], []
            yield item


async def ranking(
    session: AsyncSession, *, cycle: Cycle, user: User, offset: int = 0, limit: int | None = None
) -> tuple[ResultsSummary, StoredRanking]:
    """The summary and (a page of) the ranking as `user` may see them."""
    result_set = await get_result_set(session, cycle.id)
    if result_set is None:
        raise NotFound(N_("No results computed for this cycle yet"))
    staff = cycles_service.can_manage(user, cycle)
    if not staff and result_set.status != ResultStatus.published:
        raise Forbidden(N_("The results are not published yet"))
    # A secretary or another host's clerk sees the published ranking, and the detail of the
    # organisations they reach only; evaluators see every report's detail.
    detail_of = None
    if not staff and user.role in (Role.secretary, Role.clerk):
        reached = select(Organization.id).where(within_reach(user, Organization.id))
        detail_of = frozenset((await session.execute(reached)).scalars())
    return summary(result_set), await _ranking(session, cycle.id, offset, limit, detail_of=detail_of)


async def read(
    session: AsyncSession, *, cycle: Cycle, user: User, offset: int = 0, limit: int | None = None
) -> ResultsRead:
    """The summary and a page of the ranking (every item from `offset` when `limit` is None)."""
    summary, items = await ranking(session, cycle=cycle, user=user, offset=offset, limit=limit)
    return ResultsRead(
        **summary.model_dump(),
        item_titles=await item_titles(session, cycle),
        offset=offset,
        limit=limit,
        items=[ResultItem.model_validate(i) for i in items],
    )


async def item_titles(session: AsyncSession, cycle: Cycle) -> dict[str, str]:
    """Each item's and veto's title by key in the cycle's rubric, so a reader sees names, never keys."""
    if cycle.rubric_id is None:
        return {}
    rows = await session.execute(
        select(RubricItem.key, RubricItem.title)
        .where(RubricItem.rubric_id == cycle.rubric_id)
        .union_all(select(RubricVeto.key, RubricVeto.title).where(RubricVeto.rubric_id == cycle.rubric_id))
    )
    return {key: title for key, title in rows.all()}
