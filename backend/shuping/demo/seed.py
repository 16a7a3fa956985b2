"""Load the demo county idempotently: organisations and accounts, added where missing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth import passwords
from shuping.auth.models import Role, User
from shuping.demo import county as c
from shuping.demo.cycle import load_demo_cycle
from shuping.demo.evaluation import load_demo_evaluation
from shuping.demo.ledger import load_ledger
from shuping.demo.luolong import load_luolong
from shuping.demo.petitions import load_petitions
from shuping.orgs.models import Organization, OrgKind

DEMO_PASSWORD = "shuping-demo"


@dataclass
class DemoSummary:
    orgs_added: int = 0
    users_added: int = 0
    cases_added: int = 0
    cycles_added: int = 0
    opinions_added: int = 0
    programmes_added: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        kinds = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()))
        return (
            f"demo county: {self.orgs_added} organisations, {self.users_added} accounts, "
            f"{self.cases_added} petition cases, {self.cycles_added} cycles, {self.opinions_added} opinions and "
            f"{self.programmes_added} target programmes added "
            f"({kinds})"
        )


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    kind: OrgKind
    parent_code: str | None
    doc_prefix: str | None = None
    issuing_organ: str | None = None


@dataclass(frozen=True)
class UserSpec:
    username: str
    full_name: str
    role: Role
    org_code: str


def org_specs() -> list[OrgSpec]:
    specs = [OrgSpec(c.COUNTY_CODE, c.COUNTY_NAME, OrgKind.county, None, c.COUNTY_DOC_PREFIX, c.COUNTY_ISSUING_ORGAN)]
    units = [(s, n, v, OrgKind.township) for s, n, v in c.TOWNSHIPS]
    s, n, v = c.WORKING_COMMITTEE
    units.append((s, n, v, OrgKind.working_committee))
    for suffix, name, villages, kind in units:
        code = c.COUNTY_CODE + suffix
        specs.append(OrgSpec(code, name, kind, c.COUNTY_CODE))
        for i, vname in enumerate(c.village_names(name, villages), start=1):
            specs.append(OrgSpec(f"{code}{200 + i:03d}", vname, OrgKind.village, code))
    for i, dname in enumerate(c.DEPARTMENTS, start=1):
        specs.append(OrgSpec(f"{c.COUNTY_CODE}-D{i:02d}", dname, OrgKind.department, c.COUNTY_CODE))
    return specs


def user_specs(orgs: list[OrgSpec]) -> list[UserSpec]:
    specs = [
        UserSpec("admin", "组织部管理员", Role.admin, c.ORG_DEPT_CODE),
        UserSpec("clerk", "组织部干事" + c.person_name(1), Role.clerk, c.ORG_DEPT_CODE),
    ]
    n = 100
    for i in range(1, 8):
        specs.append(UserSpec(f"leader{i:02d}", c.person_name(n := n + 1), Role.leader, c.COUNTY_CODE))
    for i in range(1, 25):
        specs.append(UserSpec(f"deputy{i:02d}", c.person_name(n := n + 1), Role.deputy, c.COUNTY_CODE))
    for o in orgs:
        if o.kind in (OrgKind.township, OrgKind.working_committee, OrgKind.village):
            specs.append(UserSpec(f"s{o.code}", c.person_name(n := n + 1), Role.secretary, o.code))
    return specs


async def load_demo(session: AsyncSession, *, evaluation: bool = True) -> DemoSummary:
    """Add whatever of the demo county is missing; never changes what is there.

    With `evaluation`, the demo cycle is also carried through its meeting to published
    results (the test suite loads the county without it, and builds its own cycles).
    """
    summary = DemoSummary()
    orgs = org_specs()
    by_code = {o.code: o for o in (await session.execute(select(Organization))).scalars()}
    for spec in orgs:
        if spec.code in by_code:
            continue
        parent = by_code[spec.parent_code] if spec.parent_code else None
        org = Organization(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            parent_id=parent.id if parent else None,
            doc_prefix=spec.doc_prefix,
            issuing_organ=spec.issuing_organ,
        )
        session.add(org)
        await session.flush()
        by_code[spec.code] = org
        summary.orgs_added += 1

    existing = set((await session.execute(select(User.username))).scalars())
    missing = [u for u in user_specs(orgs) if u.username not in existing]
    if missing:
        # One hash for the shared demo password: argon2 costs ~0.1 s a hash.
        password_hash = await passwords.hash_password(DEMO_PASSWORD)
        for u in missing:
            session.add(
                User(
                    username=u.username,
                    full_name=u.full_name,
                    password_hash=password_hash,
                    role=u.role,
                    org_id=by_code[u.org_code].id,
                )
            )
        summary.users_added = len(missing)
    await session.flush()
    summary.cases_added = await load_petitions(session)
    summary.cycles_added = await load_demo_cycle(session)
    if evaluation:
        summary.cycles_added += await load_demo_evaluation(session)
    summary.opinions_added = await load_ledger(session)
    if evaluation:
        summary.programmes_added = int(await load_luolong(session, DEMO_PASSWORD))
    for spec in orgs:
        summary.counts[spec.kind.value] = summary.counts.get(spec.kind.value, 0) + 1
    if (
        summary.orgs_added
        or summary.users_added
        or summary.cases_added
        or summary.cycles_added
        or summary.opinions_added
        or summary.programmes_added
    ):
        await audit.record(
            session,
            actor=None,
            actor_name="system",
            action="demo.load",
            entity_type="demo",
            data={
                "orgs_added": summary.orgs_added,
                "users_added": summary.users_added,
                "cases_added": summary.cases_added,
                "cycles_added": summary.cycles_added,
                "opinions_added": summary.opinions_added,
                "programmes_added": summary.programmes_added,
            },
        )
    return summary
