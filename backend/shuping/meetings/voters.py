"""Who casts a ballot, and the meeting's setting the ballot is checked against.

What does not change while a meeting runs (the agenda, the rubric, the items, the voter's group,
a token's meeting and group) is kept per process, so that a ballot request touches the database
only when a cache misses.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core.errors import AppError
from shuping.core.i18n import N_
from shuping.cycles import service as cycles_service
from shuping.cycles.models import EvaluatorGroupMember
from shuping.db import database
from shuping.meetings import service
from shuping.meetings import tokens as codes
from shuping.meetings.errors import ForeignToken, NotAnEvaluator
from shuping.meetings.models import BallotSource, BallotToken
from shuping.scoring import rules
from shuping.scoring.inputs import scoring_rubric


@dataclass(frozen=True)
class GroupRef:
    id: int
    key: str
    anonymous: bool = False


@dataclass(frozen=True)
class BallotSetting:
    """What a meeting's ballots are checked against before they are queued.

    None of it changes while a meeting is live (the agenda is fixed when the meeting is made,
    groups and rubric when the cycle leaves setup), so a process may keep it for a few seconds.
    """

    meeting_id: int
    cycle_id: int
    rubric: rules.Rubric
    groups: Mapping[int, GroupRef]
    categories: frozenset[str]
    agenda: frozenset[int]


class SettingCache:
    """Ballot settings per meeting, each kept for `ttl` seconds; concurrent misses share one load."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        # Where `fetch` reads: the process's database; tests point it at their own connection.
        self.sessions: Callable[[], AsyncSession] = partial(database.session, read_only=True)
        self._entries: dict[int, tuple[float, BallotSetting]] = {}
        self._loading: dict[int, asyncio.Future[BallotSetting]] = {}

    def peek(self, meeting_id: int) -> BallotSetting | None:
        """The meeting's setting if it is cached and fresh."""
        hit = self._entries.get(meeting_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        return None

    async def fetch(self, meeting_id: int) -> BallotSetting | None:
        """The meeting's setting, loaded in a session of its own when it is not cached; None when
        the meeting cannot be loaded (unknown), so that the caller leaves the answer to the route."""
        if (setting := self.peek(meeting_id)) is not None:
            return setting
        try:
            async with self.sessions() as session:
                return await self.get(session, meeting_id)
        except AppError:
            return None

    async def get(self, session: AsyncSession, meeting_id: int) -> BallotSetting:
        if (setting := self.peek(meeting_id)) is not None:
            return setting
        pending = self._loading.get(meeting_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[BallotSetting] = asyncio.get_running_loop().create_future()
        self._loading[meeting_id] = future
        try:
            setting = await self._load(session, meeting_id)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so a load nobody else awaited is not reported
            raise
        else:
            self._entries[meeting_id] = (time.monotonic() + self.ttl, setting)
            future.set_result(setting)
            return setting
        finally:
            del self._loading[meeting_id]

    @staticmethod
    async def _load(session: AsyncSession, meeting_id: int) -> BallotSetting:
        meeting = await service.get_meeting(session, meeting_id)
        cycle = await cycles_service.get_cycle(session, meeting.cycle_id)
        assert cycle.rubric is not None
        # The meeting's tokens come along: every phone's first ballot then needs no lookup either.
        await token_refs.load_meeting(session, meeting_id)
        return BallotSetting(
            meeting_id=meeting.id,
            cycle_id=cycle.id,
            rubric=scoring_rubric(cycle.rubric),
            groups={g.id: GroupRef(g.id, g.key, g.anonymous) for g in cycle.groups},
            categories=frozenset(c.name for c in cycle.opinion_categories),
            agenda=frozenset(a.report_id for a in meeting.agenda),
        )

    def clear(self) -> None:
        self._entries.clear()


settings = SettingCache()


@dataclass(frozen=True)
class TokenRef:
    id: int
    meeting_id: int
    group_id: int


class TokenCache:
    """Token hash → (id, meeting, group): facts that never change for a token. Whether it is
    revoked or used is decided by the writer, so a cached entry can never let a ballot through."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._entries: OrderedDict[str, TokenRef] = OrderedDict()

    def peek(self, code: str) -> TokenRef | None:
        return self._entries.get(codes.token_hash(code))

    async def get(self, session: AsyncSession, code: str) -> TokenRef:
        digest = codes.token_hash(code)
        ref = self._entries.get(digest)
        if ref is None:
            token = await service.token_for(session, code, None)  # unknown or revoked: its problem
            ref = TokenRef(token.id, token.meeting_id, token.group_id)
            self._remember(digest, ref)
        return ref

    async def load_meeting(self, session: AsyncSession, meeting_id: int) -> None:
        """Remember a meeting's unrevoked tokens (up to half the cache), read in one query."""
        rows = await session.execute(
            select(BallotToken.token_hash, BallotToken.id, BallotToken.group_id)
            .where(BallotToken.meeting_id == meeting_id, BallotToken.revoked.is_(False))
            .order_by(BallotToken.id)
            .limit(self.size // 2)
        )
        for digest, token_id, group_id in rows:
            self._remember(digest, TokenRef(token_id, meeting_id, group_id))

    def _remember(self, digest: str, ref: TokenRef) -> None:
        self._entries[digest] = ref
        self._entries.move_to_end(digest)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


token_refs = TokenCache()


@dataclass(frozen=True)
class Voter:
    """Who casts a ballot: a signed-in evaluator, or the holder of a one-time token."""

    group: GroupRef
    user: User | None = None
    token_id: int | None = None
    # Who asked, for the replay digest (never stored): the code's hash, or the person.
    principal: str = ""

    @property
    def named(self) -> bool:
        """Whether the ballot is stored with its evaluator's name: in named groups only."""
        return self.user is not None and not self.group.anonymous

    @property
    def source(self) -> BallotSource:
        return BallotSource.named if self.named else BallotSource.token


async def evaluator_group_id(session: AsyncSession, *, user: User, cycle_id: int) -> int:
    group_id = await session.scalar(
        select(EvaluatorGroupMember.group_id).where(
            EvaluatorGroupMember.cycle_id == cycle_id, EvaluatorGroupMember.user_id == user.id
        )
    )
    if group_id is None:
        raise NotAnEvaluator(N_("You are not assigned to an evaluator group of this cycle"))
    return int(group_id)


async def named_voter(session: AsyncSession, *, user: User, setting: BallotSetting) -> Voter:
    group_id = await evaluator_group_id(session, user=user, cycle_id=setting.cycle_id)
    return Voter(group=setting.groups[group_id], user=user, principal=f"user:{user.id}")


async def token_voter(session: AsyncSession, *, code: str, setting: BallotSetting) -> Voter:
    ref = await token_refs.get(session, code)
    if ref.meeting_id != setting.meeting_id:
        raise ForeignToken(N_("This ballot code was issued for another meeting"))
    return voter_for_token(code, ref, setting)


def voter_for_token(code: str, ref: TokenRef, setting: BallotSetting) -> Voter:
    """The holder of a known token of this meeting."""
    scope = "token:" + hashlib.sha256(b"scope:" + code.encode()).hexdigest()
    return Voter(group=setting.groups[ref.group_id], token_id=ref.id, principal=scope)
