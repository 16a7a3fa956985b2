"""The message catalogue: every marked message has its Chinese, keys read as words, languages negotiated."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from shuping.auth.models import Role
from shuping.core.i18n import EN, KEYWORDS, LOCALE_DIR, N_, ZH, OneOf, catalogue, negotiate, translate
from shuping.cycles.models import CycleStage
from shuping.ledger.statemachine import Action as LedgerAction
from shuping.ledger.statemachine import ItemStatus
from shuping.meetings.models import MeetingStatus
from shuping.orgs.models import OrgKind
from shuping.petitions.models import AppointmentStatus
from shuping.petitions.statemachine import CaseStatus
from shuping.reports.models import ReportStatus

SOURCES = Path(__file__).resolve().parents[2] / "backend" / "shuping"
PLACEHOLDER = re.compile(r"\{(\w+)[^{}]*\}")


def extracted() -> set[str]:
    """What `make messages` extracts: every N_("…") in the backend."""
    found = extract_from_dir(str(SOURCES), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {str(message) for _file, _line, message, _comments, _context in found}


def test_every_message_has_its_chinese() -> None:
    zh = catalogue(ZH)
    missing = sorted(m for m in extracted() if not zh.get(m))
    assert not missing, "untranslated (run make messages and write the msgstr): " + "; ".join(missing)


def test_translations_keep_the_placeholders() -> None:
    zh = catalogue(ZH)
    wrong = [m for m in extracted() if m in zh and set(PLACEHOLDER.findall(zh[m])) - set(PLACEHOLDER.findall(m))]
    assert not wrong


@pytest.mark.parametrize(
    "enum",
    [CycleStage, MeetingStatus, ItemStatus, LedgerAction, CaseStatus, AppointmentStatus, ReportStatus, Role, OrgKind],
)
def test_keys_read_as_words(enum: type) -> None:
    zh = catalogue(ZH)
    assert not [v.value for v in enum if not zh.get(f"term\x04{v.value}")]


def test_a_message_renders_in_either_language() -> None:
    msg = N_("Group weights sum to {total}; they must sum to 1", total=Decimal("1.10"))
    assert msg == "Group weights sum to 1.10; they must sum to 1"
    assert translate(msg, EN) == "Group weights sum to 1.10; they must sum to 1"
    assert translate(msg, ZH) == "各评议组权重之和为 1.10，应为 1"
    assert msg.public_params() == {"total": "1.10"}


def test_keys_and_alternatives_in_words() -> None:
    msg = N_(
        "Cannot {doing}: the cycle is in {value}, this needs {allowed}",
        doing=N_("compute results"),
        value=CycleStage.preparation,
        allowed=OneOf([CycleStage.assessment, CycleStage.rectification]),
    )
    assert msg == "Cannot compute results: the cycle is in preparation, this needs assessment or rectification"
    assert translate(msg, ZH) == "无法计算结果：评议周期处于“述前准备”阶段，此操作须在“综合评价 或 述后整改”阶段进行"


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        (None, ZH),
        ("", ZH),
        ("zh-CN", ZH),
        ("zh", ZH),
        ("en-US", EN),
        ("en", EN),
        ("en-GB,en;q=0.8", EN),
        ("fr-FR", ZH),
        ("fr-FR, en;q=0.5", EN),
        ("zh-CN;q=0.4, en;q=0.9", EN),
        ("en;q=0, zh", ZH),
        ("*", ZH),
    ],
)
def test_language_from_accept_language(header: str | None, locale: str) -> None:
    assert negotiate(header) == locale


def test_catalogues_are_where_the_package_ships_them() -> None:
    assert (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").is_file()
    assert (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "terms.po").is_file()
