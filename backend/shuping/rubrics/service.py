"""Rubrics: checking, creating, replacing (or versioning, once frozen) and reading them."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.audit.service import Actor
from shuping.core.errors import FieldErrors, NotFound
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.core.values import decimal_text
from shuping.rubrics import formulas, usage, veto_facts
from shuping.rubrics.models import ItemSource, Rubric, RubricItem, RubricVeto, Tier
from shuping.rubrics.schemas import (
    FormulaRead,
    RubricIn,
    RubricItemRead,
    RubricRead,
    RubricSummary,
    RubricVetoRead,
    TierFractionsRead,
    VetoFactRead,
)
from shuping.rubrics.usage import Usage

Loc = list[str | int]
Problem = dict[str, Any]

TIER_ORDER = (Tier.good, Tier.fairly_good, Tier.average, Tier.poor)


def check_rubric(rubric_in: RubricIn, prefix: Loc) -> list[Problem]:
    """Every rule a well-formed rubric must also keep, each broken one with its location."""
    errors: list[Problem] = []

    def fail(loc: Loc, msg: str) -> None:
        errors.append({"loc": [*prefix, *loc], "msg": msg})

    fractions = rubric_in.tier_fractions
    for higher, lower in pairwise(TIER_ORDER):
        hi: Decimal = getattr(fractions, higher.value)
        lo: Decimal = getattr(fractions, lower.value)
        if lo >= hi:
            fail(
                ["tier_fractions", lower.value],
                N_(
                    "Tier fractions must strictly descend: {value} ({lo}) must be below {value2} ({hi})",
                    value=lower,
                    lo=decimal_text(lo),
                    value2=higher,
                    hi=decimal_text(hi),
                ),
            )

    seen: dict[str, int] = {}
    for i, item in enumerate(rubric_in.items):
        if item.key in seen:
            fail(
                ["items", i, "key"],
                N_("Duplicate item key {key!r} (already used by items[{seen}])", key=item.key, seen=seen[item.key]),
            )
        else:
            seen[item.key] = i
        if item.source == ItemSource.ballot:
            if item.kind is None:
                fail(["items", i, "kind"], N_("A ballot item needs a kind: score or tier"))
            if item.formula is not None:
                fail(["items", i, "formula"], N_("Only indicator items have a formula"))
        else:
            if item.kind is not None:
                fail(["items", i, "kind"], N_("An indicator item has no kind (it is not scored on ballots)"))
            if item.formula is not None and not formulas.is_known(item.formula):
                names = ", ".join(f.name for f in formulas.known())
                fail(
                    ["items", i, "formula"],
                    N_("Unknown formula {formula!r}; known formulas: {names}", formula=item.formula, names=names),
                )
    if not any(item.source == ItemSource.ballot for item in rubric_in.items):
        fail(["items"], N_("A rubric needs at least one ballot item"))

    seen_vetoes: dict[str, int] = {}
    for i, veto in enumerate(rubric_in.vetoes):
        if veto.key in seen_vetoes:
            fail(
                ["vetoes", i, "key"],
                N_(
                    "Duplicate veto key {key!r} (already used by vetoes[{seen_vetoes}])",
                    key=veto.key,
                    seen_vetoes=seen_vetoes[veto.key],
                ),
            )
        else:
            seen_vetoes[veto.key] = i
        if veto.fact is not None and not veto_facts.is_known(veto.fact):
            names = ", ".join(f.name for f in veto_facts.known())
            fail(
                ["vetoes", i, "fact"],
                N_("Unknown veto fact {fact!r}; known veto facts: {names}", fact=veto.fact, names=names),
            )
    return errors


def _with_content() -> Select[Rubric]:
    return select(Rubric).options(selectinload(Rubric.items), selectinload(Rubric.vetoes))


async def get_rubric(session: AsyncSession, rubric_id: int) -> Rubric:
    stmt = _with_content().where(Rubric.id == rubric_id).execution_options(populate_existing=True)
    rubric = (await session.execute(stmt)).scalar_one_or_none()
    if rubric is None:
        raise NotFound(N_("Rubric {rubric_id} does not exist", rubric_id=rubric_id))
    return rubric


async def exists(session: AsyncSession, rubric_id: int) -> bool:
    return await session.scalar(select(Rubric.id).where(Rubric.id == rubric_id)) is not None


def _fill(rubric: Rubric, rubric_in: RubricIn) -> None:
    rubric.name = rubric_in.name
    for tier in TIER_ORDER:
        setattr(rubric, f"tier_{tier.value}", getattr(rubric_in.tier_fractions, tier.value))
    rubric.items = [
        RubricItem(
            position=i,
            key=item.key,
            title=item.title,
            category=item.category,
            source=item.source,
            kind=item.kind,
            max_points=item.max_points,
            formula=(item.formula or formulas.MANUAL) if item.source == ItemSource.indicator else None,
            description=item.description,
        )
        for i, item in enumerate(rubric_in.items)
    ]
    rubric.vetoes = [
        RubricVeto(position=i, key=v.key, title=v.title, fact=v.fact) for i, v in enumerate(rubric_in.vetoes)
    ]


async def add_rubric(session: AsyncSession, rubric_in: RubricIn, *, previous: Rubric | None = None) -> Rubric:
    """Store a checked rubric (no audit: the caller records what it did)."""
    rubric = Rubric(version=previous.version + 1 if previous else 1, previous_id=previous.id if previous else None)
    _fill(rubric, rubric_in)
    session.add(rubric)
    await session.flush()
    return rubric


def _audit_data(rubric: Rubric) -> dict[str, Any]:
    return {
        "name": rubric.name,
        "version": rubric.version,
        "items": [i.key for i in rubric.items],
        # A veto decided by a fact is named with it (landing:target_no_landing), so changing it shows.
        "vetoes": [f"{v.key}:{v.fact}" if v.fact else v.key for v in rubric.vetoes],
        "max_total": str(sum((i.max_points for i in rubric.items), Decimal(0))),
    }


async def create_rubric(session: AsyncSession, *, rubric_in: RubricIn, actor: Actor) -> RubricRead:
    errors = check_rubric(rubric_in, ["body"])
    if errors:
        raise FieldErrors(errors)
    rubric = await add_rubric(session, rubric_in)
    await audit.record(
        session,
        actor=actor,
        action="rubric.create",
        entity_type="rubric",
        entity_id=rubric.id,
        data=_audit_data(rubric),
    )
    return await read(session, rubric.id)


async def replace_rubric(session: AsyncSession, *, rubric: Rubric, rubric_in: RubricIn, actor: Actor) -> RubricRead:
    """Replace a rubric's content; a frozen rubric stays as it is and a new version takes the change."""
    errors = check_rubric(rubric_in, ["body"])
    if errors:
        raise FieldErrors(errors)
    if (await usage.of(session, rubric.id)).frozen:
        new = await add_rubric(session, rubric_in, previous=rubric)
        await audit.record(
            session,
            actor=actor,
            action="rubric.version",
            entity_type="rubric",
            entity_id=new.id,
            data={**_audit_data(new), "previous_id": rubric.id},
        )
        return await read(session, new.id)
    before = _audit_data(rubric)
    # Old items go first: their (rubric_id, key) pairs would clash with the new ones.
    rubric.items.clear()
    rubric.vetoes.clear()
    await session.flush()
    _fill(rubric, rubric_in)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="rubric.update",
        entity_type="rubric",
        entity_id=rubric.id,
        data={"before": before, "after": _audit_data(rubric)},
    )
    return await read(session, rubric.id)


def _max_total(rubric: Rubric) -> Decimal:
    return sum((i.max_points for i in rubric.items), Decimal(0))


def _summary_fields(rubric: Rubric, use: Usage) -> dict[str, Any]:
    return {
        "id": rubric.id,
        "name": rubric.name,
        "version": rubric.version,
        "previous_id": rubric.previous_id,
        "item_count": len(rubric.items),
        "max_total": _max_total(rubric),
        "frozen": use.frozen,
        "cycle_count": use.cycles,
        "created_at": rubric.created_at,
        "updated_at": rubric.updated_at,
    }


def to_read(rubric: Rubric, use: Usage) -> RubricRead:
    return RubricRead(
        **_summary_fields(rubric, use),
        tier_fractions=TierFractionsRead(
            good=rubric.tier_good,
            fairly_good=rubric.tier_fairly_good,
            average=rubric.tier_average,
            poor=rubric.tier_poor,
        ),
        items=[RubricItemRead.model_validate(i) for i in rubric.items],
        vetoes=[RubricVetoRead.model_validate(v) for v in rubric.vetoes],
    )


async def read(session: AsyncSession, rubric_id: int) -> RubricRead:
    rubric = await get_rubric(session, rubric_id)
    return to_read(rubric, await usage.of(session, rubric.id))


async def list_rubrics(
    session: AsyncSession, *, q: str | None, limit: int, offset: int
) -> tuple[list[RubricSummary], int]:
    stmt = _with_content().order_by(Rubric.id.desc())
    if q:
        stmt = stmt.where(Rubric.name.ilike(f"%{q}%"))
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    uses = await usage.usage(session, [r.id for r in rows])
    return [RubricSummary(**_summary_fields(r, uses.get(r.id, Usage()))) for r in rows], total


def list_formulas() -> list[FormulaRead]:
    return [FormulaRead(name=f.name, description=f.description, available=f.available) for f in formulas.known()]


def list_veto_facts() -> list[VetoFactRead]:
    return [VetoFactRead(name=f.name, description=f.description, available=f.available) for f in veto_facts.known()]
