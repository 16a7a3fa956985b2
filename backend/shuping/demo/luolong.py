"""The Luolong demo: 洛阳市洛龙区's investment-promotion target responsibility (招商引资目标责任), Sept–Dec 2013.

The newspaper page's last article (洛龙新闻, `shared/reference/ruyang-two-way-evaluation-article.txt`)
describes it: on 13 September 2013 the district's mobilisation meeting made investment promotion every
unit's duty — the two industrial clusters (产业集聚区), the district departments and the towns and
sub-districts 安乐镇、李楼镇、丰李镇、开元办、古城办 — set up 13 industrial-chain teams (产业链招商攻坚小组),
each led by a district leader, over nine target industries, had the people's congress, the CPPCC and the
two offices' supervision office inspect progress monthly, the commerce bureau (区商务局) publish each
unit's completion every month, and made a project's landing a one-vote veto.

Here: the district (`DISTRICT_CODE`, a Party committee like the demo county) with those units, each with
a secretary (login `s<code>`, e.g. s410311101 for 安乐镇, s410311-D01 for 区商务局), the commerce bureau's
clerk `c410311-D01` who runs the programme, the supervision office's clerk `c410311-D06`; the programme
2013年招商引资目标责任 (1 September – 31 December 2013) with five measures and each unit's targets (开元办
has none for 开工项目数); the 13 teams; leads from 京津冀, 长三角, 珠三角 and elsewhere, some 500强, moved
through the stages by their units' secretaries on dated days (one moved back with its reason, 古城办's
never lands). Everything goes through the targets services, as a person would; the moves' recorded
times are then set to the days they happened. Companies and people are fictional; the units are the
article's. Idempotent: nothing is added once the programme exists.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.auth import passwords
from shuping.auth.models import Role, User
from shuping.cycles import groups as cycles_groups
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroupMember
from shuping.cycles.schemas import GradingIn, GroupIn
from shuping.demo import county as c
from shuping.demo import timeline as t
from shuping.ledger import supervision
from shuping.ledger.models import EventKind, LedgerEvent, LedgerItem, LedgerNote
from shuping.ledger.statemachine import Action, ItemStatus
from shuping.meetings import tokens as codes
from shuping.meetings.models import AgendaItem, Ballot, BallotSource, Direction, Meeting, MeetingStatus, Voting
from shuping.orgs.models import Organization, OrgKind
from shuping.reports.models import Report, ReportStatus
from shuping.results import publishing as results_publishing
from shuping.results import service as results_service
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemKind, ItemSource
from shuping.rubrics.schemas import RubricIn, RubricItemIn, RubricVetoIn
from shuping.scoring.inputs import scoring_rubric
from shuping.scoring.rules import score_ballot
from shuping.targets import assessment as target_assessment
from shuping.targets import bulletins, monthly, projects, service
from shuping.targets.bulletin_schemas import BulletinCreate
from shuping.targets.models import (
    MeasureBasis,
    ProgrammeStatus,
    ProjectStage,
    Ranking,
    SupervisionBody,
    TargetBulletin,
    TargetCycleFreeze,
    TargetFinding,
    TargetMonthlyReport,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
    TargetSupervisionRound,
)
from shuping.targets.schemas import (
    MeasureCreate,
    ProgrammeCreate,
    ProgrammeUpdate,
    ProjectCreate,
    StageMoveIn,
    TargetIn,
    TargetsPut,
    TeamCreate,
)

DISTRICT_CODE = "410311"
DISTRICT_NAME = "洛龙区委"
DISTRICT_DOC_PREFIX = "洛龙整改"  # its notices 洛龙整改〔2014〕1号, its bulletins 洛龙通
DISTRICT_ISSUING_ORGAN = "中共洛阳市洛龙区委办公室"
COMMERCE_CODE = f"{DISTRICT_CODE}-D01"  # 区商务局: runs the programme and publishes its bulletins
OFFICE_CODE = f"{DISTRICT_CODE}-D06"  # 区委办公室: the two offices' supervision office (两办督察室)
COMMERCE_CLERK = f"c{COMMERCE_CODE}"
# The bureau's documents (its monthly bulletins): 洛龙商务〔2013〕1号, issued by 洛阳市洛龙区商务局.
COMMERCE_DOC_PREFIX, COMMERCE_ISSUING_ORGAN = "洛龙商务", "洛阳市洛龙区商务局"
OFFICE_CLERK = f"c{OFFICE_CODE}"

PROGRAMME_NAME = "2013年招商引资目标责任"
PERIOD = (date(2013, 9, 1), date(2013, 12, 31))
MOBILISED = date(2013, 9, 13)  # 洛龙区招商引资工作动员大会, the article's day

# (code, name, kind): the units of the article, the towns and sub-districts with the county's 1xx codes,
# the two clusters like the county's working committee (3xx), the departments as D01 …
UNITS: list[tuple[str, str, OrgKind]] = [
    (f"{DISTRICT_CODE}301", "洛龙产业集聚区", OrgKind.working_committee),
    (f"{DISTRICT_CODE}302", "洛阳经济技术开发区产业集聚区", OrgKind.working_committee),
    (COMMERCE_CODE, "区商务局", OrgKind.department),
    (f"{DISTRICT_CODE}-D02", "区发展和改革委员会", OrgKind.department),
    (f"{DISTRICT_CODE}-D03", "区建设局", OrgKind.department),
    (f"{DISTRICT_CODE}-D04", "区国土资源局", OrgKind.department),
    (f"{DISTRICT_CODE}-D05", "区环境保护局", OrgKind.department),
    (OFFICE_CODE, "区委办公室", OrgKind.department),
    (f"{DISTRICT_CODE}101", "安乐镇", OrgKind.township),
    (f"{DISTRICT_CODE}102", "李楼镇", OrgKind.township),
    (f"{DISTRICT_CODE}103", "丰李镇", OrgKind.township),
    (f"{DISTRICT_CODE}104", "开元办", OrgKind.township),
    (f"{DISTRICT_CODE}105", "古城办", OrgKind.township),
]

INDUSTRIES = [
    "光伏光热",
    "轴承",
    "新材料",
    "汽车制造及零部件",
    "装备制造",
    "电子商务",
    "电子制造",
    "航空航天",
    "医药及医疗器械",
]

# (key, name, unit, weight, stage counted at, basis)
MEASURES: list[tuple[str, str, str, int, ProjectStage, MeasureBasis]] = [
    ("signed", "签约项目数", "个", 20, ProjectStage.signed, MeasureBasis.projects),
    ("contract", "合同金额", "万元", 25, ProjectStage.signed, MeasureBasis.contract_amount),
    ("funds", "到位资金", "万元", 25, ProjectStage.signed, MeasureBasis.funds_in_place),
    ("landed", "落地项目数", "个", 15, ProjectStage.landed, MeasureBasis.projects),
    ("started", "开工项目数", "个", 15, ProjectStage.started, MeasureBasis.projects),
]

# Each unit's targets in the order of MEASURES; None: no target (开元办 has no land to start a project on).
TARGETS: dict[str, tuple[int | None, ...]] = {
    f"{DISTRICT_CODE}301": (6, 150000, 30000, 4, 3),
    f"{DISTRICT_CODE}302": (5, 120000, 25000, 3, 2),
    COMMERCE_CODE: (3, 50000, 10000, 2, 1),
    f"{DISTRICT_CODE}-D02": (2, 30000, 6000, 1, 1),
    f"{DISTRICT_CODE}-D03": (1, 10000, 2000, 1, 1),
    f"{DISTRICT_CODE}101": (3, 30000, 6000, 2, 1),
    f"{DISTRICT_CODE}102": (3, 30000, 6000, 2, 1),
    f"{DISTRICT_CODE}103": (3, 25000, 5000, 2, 1),
    f"{DISTRICT_CODE}104": (2, 15000, 3000, 1, None),
    f"{DISTRICT_CODE}105": (2, 15000, 3000, 1, 1),
}

# The 13 teams: (name, leader, industries, member unit codes).
TEAMS: list[tuple[str, str, list[str], list[str]]] = [
    ("光伏光热产业链招商攻坚小组", "区委副书记", ["光伏光热"], ["301", "101"]),
    ("轴承产业链招商攻坚小组", "常务副区长", ["轴承"], ["302", "101"]),
    ("新材料产业链招商攻坚第一小组", "区委常委、组织部部长", ["新材料"], ["301", "102"]),
    ("新材料产业链招商攻坚第二小组", "区人大常委会副主任", ["新材料", "光伏光热"], ["302", "-D02"]),
    ("汽车制造及零部件产业链招商攻坚小组", "副区长", ["汽车制造及零部件"], ["301", "103"]),
    ("装备制造产业链招商攻坚第一小组", "区委常委、宣传部部长", ["装备制造"], ["302", "-D03"]),
    ("装备制造产业链招商攻坚第二小组", "区政协副主席", ["装备制造", "轴承"], ["301", "102"]),
    ("电子商务产业链招商攻坚小组", "副区长", ["电子商务"], ["-D01", "104"]),
    ("电子制造产业链招商攻坚小组", "区委常委、统战部部长", ["电子制造"], ["302", "105"]),
    ("电子制造及电子商务产业链招商攻坚小组", "区人大常委会副主任", ["电子制造", "电子商务"], ["-D01", "104"]),
    ("航空航天产业链招商攻坚小组", "区委常委、常务副区长", ["航空航天"], ["302"]),
    ("医药产业链招商攻坚小组", "区政协副主席", ["医药及医疗器械"], ["301", "103"]),
    ("医疗器械产业链招商攻坚小组", "副区长", ["医药及医疗器械"], ["-D01", "105"]),
]

G5, C5, I1, NO = Ranking.global_500, Ranking.china_500, Ranking.industry_100, Ranking.none
STAGES = {"洽谈": ProjectStage.negotiating, "签约": ProjectStage.signed, "落地": ProjectStage.landed}
STAGES |= {"开工": ProjectStage.started, "投产": ProjectStage.producing}
BACK_REASON = "项目用地规划调整，土地手续未落实，暂缓落地"


@dataclass(frozen=True)
class Lead:
    unit: str  # the code after the district's
    team: int | None  # index in TEAMS
    company: str
    industry: str
    region: str
    ranking: Ranking
    contract: int  # 万元
    funds: int  # 万元
    moves: str  # "洽谈09-03 签约09-24 …": each stage reached on a day of 2013; "退" marks a move back

    def steps(self) -> list[tuple[ProjectStage, date, str]]:
        out = []
        for word in self.moves.split():
            back = word.startswith("退")
            word = word.removeprefix("退")
            out.append((STAGES[word[:2]], day(word[2:]), BACK_REASON if back else ""))
        return out


LEADS: list[Lead] = [
    # 洛龙产业集聚区
    Lead(
        "301",
        0,
        "苏州晶曜光伏科技有限公司",
        "光伏光热",
        "长三角",
        NO,
        42000,
        9000,
        "洽谈09-03 签约09-24 落地10-16 开工11-08 投产12-20",
    ),
    Lead(
        "301",
        2,
        "北京中材高新复合材料有限公司",
        "新材料",
        "京津冀",
        C5,
        38000,
        8000,
        "洽谈09-10 签约10-09 落地11-05 开工12-03",
    ),
    Lead(
        "301",
        4,
        "天津汽研零部件有限公司",
        "汽车制造及零部件",
        "京津冀",
        NO,
        26000,
        4500,
        "洽谈09-17 签约10-22 落地11-26",
    ),
    Lead("301", 6, "上海重装精工机械有限公司", "装备制造", "长三角", G5, 30000, 5000, "洽谈09-18 签约11-12 落地12-17"),
    Lead("301", 11, "广州康瑞医疗器械有限公司", "医药及医疗器械", "珠三角", NO, 9000, 1500, "洽谈10-14 签约12-06"),
    Lead("301", None, "杭州绿源新能源有限公司", "光伏光热", "江浙地区", NO, 0, 0, "洽谈11-20"),
    # 洛阳经济技术开发区产业集聚区
    Lead(
        "302",
        10,
        "中航精密制造（西安）有限公司",
        "航空航天",
        "西北",
        C5,
        45000,
        12000,
        "洽谈09-04 签约09-27 落地10-24 开工11-28",
    ),
    Lead(
        "302",
        1,
        "无锡华力轴承股份有限公司",
        "轴承",
        "长三角",
        I1,
        28000,
        6000,
        "洽谈09-12 签约10-17 落地11-19 开工12-12",
    ),
    Lead("302", 5, "北京智造装备技术有限公司", "装备制造", "京津冀", NO, 20000, 3000, "洽谈09-23 签约11-07 落地12-19"),
    Lead("302", 8, "深圳讯联电子有限公司", "电子制造", "珠三角", C5, 18000, 2000, "洽谈10-10 签约12-13"),
    Lead("302", 3, "宁波甬新材料科技有限公司", "新材料", "江浙地区", NO, 0, 0, "洽谈11-14"),
    # 区商务局
    Lead(
        "-D01",
        7,
        "杭州云商电子商务有限公司",
        "电子商务",
        "长三角",
        C5,
        16000,
        4000,
        "洽谈09-16 签约10-11 落地11-15 开工12-16",
    ),
    Lead("-D01", 9, "东莞宏讯智能终端有限公司", "电子制造", "珠三角", NO, 22000, 3500, "洽谈09-25 签约11-01 落地12-11"),
    Lead("-D01", 12, "北京康泰医疗科技有限公司", "医药及医疗器械", "京津冀", NO, 8000, 1000, "洽谈10-21 签约12-09"),
    # 区发展和改革委员会
    Lead(
        "-D02",
        3,
        "江苏晶硅新材料有限公司",
        "新材料",
        "长三角",
        NO,
        24000,
        5000,
        "洽谈09-11 签约10-15 落地11-21 开工12-18",
    ),
    Lead("-D02", None, "上海联创光电科技有限公司", "电子制造", "长三角", NO, 0, 0, "洽谈12-02"),
    # 区建设局
    Lead("-D03", 5, "河北冀工装备制造有限公司", "装备制造", "京津冀", NO, 12000, 2500, "洽谈09-26 签约10-29 落地12-05"),
    # 安乐镇
    Lead(
        "101",
        0,
        "苏州晶阳光伏科技有限公司",
        "光伏光热",
        "长三角",
        NO,
        12000,
        3000,
        "洽谈09-05 签约09-26 落地10-18 开工11-20",
    ),
    Lead("101", 1, "北京华轴精密轴承有限公司", "轴承", "京津冀", C5, 15000, 2500, "洽谈09-16 签约10-22 落地12-10"),
    Lead("101", None, "深圳鹏城电子商务有限公司", "电子商务", "珠三角", NO, 4000, 0, "洽谈10-08 签约12-18"),
    Lead("101", None, "浙江金瓯新材料有限公司", "新材料", "江浙地区", NO, 0, 0, "洽谈11-12"),
    # 李楼镇
    Lead("102", 2, "天津滨海新材料有限公司", "新材料", "京津冀", NO, 14000, 3000, "洽谈09-09 签约10-14 落地11-18"),
    Lead(
        "102",
        6,
        "常州精锻机械有限公司",
        "装备制造",
        "长三角",
        I1,
        11000,
        2000,
        "洽谈09-20 签约11-06 落地12-16 开工12-27",
    ),
    Lead("102", None, "佛山南海电器有限公司", "电子制造", "珠三角", NO, 6000, 800, "洽谈10-16 签约12-20"),
    # 丰李镇: its car-parts project lands, moves back when its land falls through, and lands again.
    Lead(
        "103",
        4,
        "天津诚达汽车零部件有限公司",
        "汽车制造及零部件",
        "京津冀",
        NO,
        16000,
        3000,
        "洽谈09-06 签约10-08 落地10-25 退签约11-28 落地12-23",
    ),
    Lead("103", 11, "广州百草堂药业有限公司", "医药及医疗器械", "珠三角", C5, 9000, 1500, "洽谈09-24 签约11-13"),
    # 开元办
    Lead("104", 7, "上海优品电子商务有限公司", "电子商务", "长三角", NO, 8000, 2000, "洽谈09-13 签约10-10 落地11-22"),
    Lead("104", 9, "深圳云端数码科技有限公司", "电子制造", "珠三角", NO, 5000, 800, "洽谈10-17 签约12-12"),
    # 古城办: signed, never landed (the veto fact).
    Lead("105", 8, "昆山立讯精密电子有限公司", "电子制造", "长三角", NO, 7000, 1000, "洽谈09-19 签约10-30"),
    Lead("105", 12, "石家庄华康医疗器械有限公司", "医药及医疗器械", "京津冀", NO, 0, 0, "洽谈11-25"),
]


# Each month's reports reach the commerce bureau early the next month (the October holiday delays September's).
MONTHS = ["2013-09", "2013-10", "2013-11", "2013-12"]
REPORTED = {"2013-09": date(2013, 10, 9), "2013-10": date(2013, 11, 5), "2013-11": date(2013, 12, 4)}
REPORTED["2013-12"] = date(2014, 1, 6)
STAGE_WORDS = {ProjectStage.negotiating: "新洽谈", ProjectStage.signed: "新签约", ProjectStage.landed: "新落地"}
STAGE_WORDS |= {ProjectStage.started: "新开工", ProjectStage.producing: "新投产"}


def month_note(code: str, month: str) -> str:
    """What a unit says of its month: its projects' moves that month, from the leads."""
    year, mm = (int(p) for p in month.split("-"))
    counts: dict[ProjectStage, int] = {}
    backs = 0
    for lead in LEADS:
        if DISTRICT_CODE + lead.unit != code:
            continue
        for stage, on, reason in lead.steps():
            if (on.year, on.month) == (year, mm):
                if reason:
                    backs += 1
                else:
                    counts[stage] = counts.get(stage, 0) + 1
    if not counts and not backs:
        return f"{mm}月无新进展项目，继续跟踪在谈项目，加大对接力度。"
    parts = [
        f"{STAGE_WORDS[s]}项目{n}个" for s, n in sorted(counts.items(), key=lambda kv: list(ProjectStage).index(kv[0]))
    ]
    if backs:
        parts.append(f"{backs}个项目因土地手续退回签约阶段，正协调解决")
    return f"{mm}月" + "，".join(parts) + "。"


# The bulletins the commerce bureau publishes once the month's reports are in.
PUBLISHED = {"2013-09": date(2013, 10, 12), "2013-10": date(2013, 11, 8), "2013-11": date(2013, 12, 7)}
PUBLISHED["2013-12"] = date(2014, 1, 9)

# The year-end cycle (2013年度): set up with the programme, the units' summaries in January, the district
# leaders' appraisal meeting, the target figures frozen as it enters assessment, results published.
CYCLE_NAME = "2013年度洛龙区招商引资目标责任考评"
RUBRIC_NAME = "招商引资目标责任考评表"
CYCLE_SET_UP = MOBILISED
SUMMARIES_SUBMITTED = date(2014, 1, 8)
SUMMARIES_REVIEWED = date(2014, 1, 10)
APPRAISAL_DAY = date(2014, 1, 15)
ASSESSED = date(2014, 1, 16)
COMPUTED = date(2014, 1, 17)
RESULTS_PUBLISHED = date(2014, 1, 20)
LEADERS = 7  # 区级领导 who appraise each unit: usernames l410311-01 …
# How well each unit worked, as the leaders saw it: the generator scatters their scores around these.
APPRAISAL = {"301": 0.9, "302": 0.92, "-D01": 0.88, "-D02": 0.8, "-D03": 0.78, "101": 0.93, "102": 0.9}
APPRAISAL |= {"103": 0.82, "104": 0.85, "105": 0.7}


# Two supervision rounds (督查) and what they found, each finding put right in the 2013年度 cycle's ledger:
# (unit, visit, finding, deadline, [(action, day, note)]) — the unit's secretary starts and completes, the
# supervision office verifies.
ROUNDS: list[tuple[SupervisionBody, str, str, str, str]] = [
    (
        SupervisionBody.congress,
        "区人大常委会招商引资工作专题督查",
        "10-21",
        "10-23",
        "区人大常委会组织部分常委会组成人员，对各单位招商引资目标任务完成情况和重大项目进展情况进行督查。",
    ),
    (
        SupervisionBody.office,
        "两办督察室11月份招商引资督查",
        "11-25",
        "11-27",
        "两办督察室按照每月督察一次的要求，对各单位11月份招商引资工作和重大项目推进情况进行督察。",
    ),
]
FINDINGS: list[list[tuple[str, str, str, str, list[tuple[Action, str, str]]]]] = [
    [
        ("103", "10-22", "天津诚达汽车零部件项目用地手续办理滞后，项目落地进度慢于计划", "12-31",
         [(Action.start, "10-25", "成立项目服务专班，协调国土部门办理用地手续"),
          (Action.complete, "12-23", "用地手续办结，项目重新落地"),
          (Action.verify, "12-27", "经实地查看，项目已落地")]),
        ("105", "10-23", "招商信息收集不足，在谈项目仅1个，未形成项目储备", "11-30",
         [(Action.start, "10-28", "发动辖区企业和群众提供招商信息"),
          (Action.complete, "11-26", "新增在谈项目1个"),
          (Action.verify, "12-02", "项目储备有所增加，整改到位")]),
        ("-D03", "10-21", "服务项目落户“特事特办”落实不到位，审批环节多、时间长", "11-30",
         [(Action.start, "10-24", "梳理审批流程，推行并联审批"),
          (Action.complete, "11-20", "审批时限压缩一半"),
          (Action.verify, "11-29", "经核查，整改到位")]),
    ],
    [
        ("105", "11-26", "签约项目迟迟未落地，存在“一票否决”风险", "12-31",
         [(Action.start, "11-29", "主要领导包联项目，每周调度一次")]),
        ("301", "11-25", "已落地项目开工准备不充分，开工率偏低", "12-31",
         [(Action.start, "11-28", "逐个项目排定开工时间表"),
          (Action.complete, "12-20", "新开工项目1个，其余项目完成开工准备"),
          (Action.verify, "12-30", "经实地查看，整改到位")]),
        ("102", "11-27", "月报数据与项目台账不一致，佐证材料不齐全", "12-15",
         [(Action.start, "11-29", "逐个项目核对月报数据，补齐合同和到位资金凭证"),
          (Action.complete, "12-10", "数据已核对一致，佐证材料补齐"),
          (Action.verify, "12-13", "经核查，整改到位")]),
    ],
]  # fmt: skip


def day(mmdd: str) -> date:
    month, dd = mmdd.split("-")
    return date(2013, int(month), int(dd))


def org_rows() -> list[tuple[str, str, OrgKind, str | None]]:
    """(code, name, kind, parent code): the district, then its units."""
    return [(DISTRICT_CODE, DISTRICT_NAME, OrgKind.county, None)] + [
        (code, name, kind, DISTRICT_CODE) for code, name, kind in UNITS
    ]


def user_rows() -> list[tuple[str, str, Role, str]]:
    """(username, full name, role, org code): a secretary per unit, the bureau's and the office's clerks."""
    rows = [
        (COMMERCE_CLERK, "区商务局干事" + c.person_name(301), Role.clerk, COMMERCE_CODE),
        (OFFICE_CLERK, "两办督察室干事" + c.person_name(302), Role.clerk, OFFICE_CODE),
    ]
    rows += [(f"s{code}", c.person_name(310 + i), Role.secretary, code) for i, (code, _n, _k) in enumerate(UNITS)]
    rows += [(leader_name(i), c.person_name(350 + i), Role.leader, DISTRICT_CODE) for i in range(1, LEADERS + 1)]
    return rows


def leader_name(n: int) -> str:
    return f"l{DISTRICT_CODE}-{n:02d}"


async def _orgs_and_users(session: AsyncSession, password: str) -> dict[str, Organization]:
    by_code = {
        o.code: o
        for o in (
            await session.execute(select(Organization).where(Organization.code.like(f"{DISTRICT_CODE}%")))
        ).scalars()
    }
    documents = {
        DISTRICT_CODE: (DISTRICT_DOC_PREFIX, DISTRICT_ISSUING_ORGAN),
        COMMERCE_CODE: (COMMERCE_DOC_PREFIX, COMMERCE_ISSUING_ORGAN),
    }
    for code, name, kind, parent in org_rows():
        if code in by_code:
            continue
        org = Organization(
            code=code,
            name=name,
            kind=kind,
            parent_id=by_code[parent].id if parent else None,
            doc_prefix=documents.get(code, (None, None))[0],
            issuing_organ=documents.get(code, (None, None))[1],
        )
        session.add(org)
        await session.flush()
        by_code[code] = org
    existing = set((await session.execute(select(User.username))).scalars())
    missing = [row for row in user_rows() if row[0] not in existing]
    password_hash = await passwords.hash_password(password) if missing else ""
    session.add_all(
        User(username=username, full_name=name, password_hash=password_hash, role=role, org_id=by_code[code].id)
        for username, name, role, code in missing
    )
    await session.flush()
    return by_code


async def _user(session: AsyncSession, username: str) -> User:
    """The account with its organisation, read once per load (the session keeps them)."""
    known: dict[str, User] = session.info.setdefault("luolong_users", {})
    if username not in known:
        known[username] = (
            await session.execute(select(User).options(selectinload(User.org)).where(User.username == username))
        ).scalar_one()
    return known[username]


async def load_luolong(session: AsyncSession, password: str) -> bool:
    """Add the Luolong demo unless its programme is there; return whether it was added."""
    session.info.pop("luolong_users", None)  # accounts read by an earlier load may have expired since
    orgs = await _orgs_and_users(session, password)
    district = orgs[DISTRICT_CODE]
    exists = await session.scalar(
        select(TargetProgramme.id).where(
            TargetProgramme.name == PROGRAMME_NAME, TargetProgramme.host_org_id == district.id
        )
    )
    if exists is not None:
        return False
    clerk = await _user(session, COMMERCE_CLERK)
    read = await service.create_programme(
        session,
        programme_in=ProgrammeCreate(
            name=PROGRAMME_NAME,
            host_org_id=district.id,
            office_org_id=orgs[COMMERCE_CODE].id,
            period_start=PERIOD[0],
            period_end=PERIOD[1],
        ),
        actor=clerk,
    )
    programme = await service.get_programme(session, read.id)
    for position, (key, name, unit, weight, stage, basis) in enumerate(MEASURES):
        await service.create_measure(
            session,
            programme=programme,
            measure_in=MeasureCreate(
                key=key, name=name, unit=unit, weight=Decimal(weight), stage=stage, basis=basis, position=position
            ),
            actor=clerk,
        )
    await service.put_targets(
        session,
        programme=programme,
        targets_in=TargetsPut(
            targets=[
                TargetIn(org_id=orgs[code].id, measure_key=m[0], value=Decimal(value))
                for code, values in TARGETS.items()
                for m, value in zip(MEASURES, values, strict=True)
                if value is not None
            ]
        ),
        actor=clerk,
    )
    teams: list[int] = []
    for i, (name, title, industries, members) in enumerate(TEAMS):
        team = await service.create_team(
            session,
            programme=programme,
            team_in=TeamCreate(
                name=name,
                leader_name=f"{title}{c.person_name(330 + i)}",
                industries=industries,
                member_org_ids=[orgs[DISTRICT_CODE + m].id for m in members],
            ),
            actor=clerk,
        )
        teams.append(team.id)
    await service.update_programme(
        session, programme=programme, programme_in=ProgrammeUpdate(status=ProgrammeStatus.active), actor=clerk
    )
    await session.execute(
        update(TargetProgramme)
        .where(TargetProgramme.id == programme.id)
        .values(created_at=t.at(MOBILISED, 15), updated_at=t.at(MOBILISED, 16))
    )
    await _pipeline(session, programme, orgs, teams)
    cycle = await _year_end_cycle(session, district, orgs)
    await _supervision(session, programme, orgs)
    await _monthly_reports(session, programme, orgs)
    await _bulletins(session, programme)
    await _appraise(session, cycle, orgs)
    return True


async def _supervision(session: AsyncSession, programme: TargetProgramme, orgs: dict[str, Organization]) -> None:
    """The people's congress's round (recorded by a district leader) and the supervision office's (by its
    clerk); each finding's ledger item worked by the unit's secretary and verified by the office, on its days."""
    office = await _user(session, OFFICE_CLERK)
    recorders = [await _user(session, leader_name(1)), office]
    for (body, title, start, end, summary), findings, actor in zip(ROUNDS, FINDINGS, recorders, strict=True):
        made = await supervision.create_round(
            session,
            programme=programme,
            round_in=supervision.RoundCreate(
                body=body, title=title, started_on=day(start), ended_on=day(end), summary=summary
            ),
            actor=actor,
        )
        row, _programme = await supervision.get_round(session, made.id)
        await session.execute(
            update(TargetSupervisionRound)
            .where(TargetSupervisionRound.id == row.id)
            .values(created_at=t.at(day(end), 17), updated_at=t.at(day(end), 17))
        )
        for unit, visited, text, deadline, steps in findings:
            code = DISTRICT_CODE + unit
            read = await supervision.create_finding(
                session,
                row=row,
                programme=programme,
                finding_in=supervision.FindingCreate(
                    org_id=orgs[code].id, visited_on=day(visited), finding=text, deadline=day(deadline)
                ),
                actor=actor,
            )
            recorded = t.at(day(visited), 17)
            await session.execute(update(TargetFinding).where(TargetFinding.id == read.id).values(created_at=recorded))
            assert read.item is not None
            item = await session.get(LedgerItem, read.item.id)
            assert item is not None
            await session.execute(update(LedgerEvent).where(LedgerEvent.item_id == item.id).values(at=recorded))
            item.created_at = item.updated_at = recorded
            _work_item(session, item, await _user(session, f"s{code}"), office, steps)
    await session.flush()


def _work_item(
    session: AsyncSession, item: LedgerItem, owner: User, office: User, steps: list[tuple[Action, str, str]]
) -> None:
    """The item's moves as they happened: started and completed by the unit, verified by the office."""
    status = item.status
    for action, mmdd, note in steps:
        on = day(mmdd)
        to = {Action.start: ItemStatus.in_progress, Action.complete: ItemStatus.done}.get(action, ItemStatus.verified)
        who = office if action == Action.verify else owner
        at = t.at(on, 16)
        session.add(
            LedgerEvent(
                item_id=item.id,
                at=at,
                kind=EventKind.status,
                action=action,
                from_status=status,
                to_status=to,
                actor_id=who.id,
                actor_name=who.full_name,
                note=note,
            )
        )
        if action == Action.start:
            session.add(
                LedgerNote(
                    item_id=item.id,
                    note_date=on,
                    text=note,
                    author_id=owner.id,
                    author_name=owner.full_name,
                    created_at=at,
                )
            )
            item.measures = note
        if action == Action.complete:
            item.done_date = on
        if action == Action.verify:
            item.verified_date = on
        status = item.status = to
        item.updated_at = at


async def _bulletins(session: AsyncSession, programme: TargetProgramme) -> None:
    """The commerce bureau's four bulletins, each published a few days after the month's reports."""
    clerk = await _user(session, COMMERCE_CLERK)
    for month in MONTHS:
        made = await bulletins.create_bulletin(
            session,
            programme=programme,
            bulletin_in=BulletinCreate(month=date.fromisoformat(f"{month}-01")),
            actor=clerk,
        )
        bulletin = await session.get(TargetBulletin, made.id)
        assert bulletin is not None
        await bulletins.publish(session, bulletin=bulletin, programme=programme, actor=clerk)
        drafted, published = t.at(PUBLISHED[month] - timedelta(days=1), 15), t.at(PUBLISHED[month], 10)
        await session.execute(
            update(TargetBulletin)
            .where(TargetBulletin.id == made.id)
            .values(created_at=drafted, published_at=published, updated_at=published)
        )


def _rubric() -> RubricIn:
    return RubricIn(
        name=RUBRIC_NAME,
        items=[
            RubricItemIn(
                key="work",
                title="招商引资工作成效",
                category="领导评价",
                source=ItemSource.ballot,
                kind=ItemKind.score,
                max_points=Decimal(20),
                description="区级领导评价：大员上阵、信息收集、项目洽谈推进",
            ),
            RubricItemIn(
                key="service",
                title="项目服务保障",
                category="领导评价",
                source=ItemSource.ballot,
                kind=ItemKind.score,
                max_points=Decimal(20),
                description="区级领导评价：简化程序、特事特办，保证项目顺利落户",
            ),
            RubricItemIn(
                key="target",
                title="目标责任完成率",
                category="目标完成",
                source=ItemSource.indicator,
                formula=target_assessment.FORMULA,
                max_points=Decimal(60),
                description="2013年招商引资目标责任加权完成率 × 60 分",
            ),
        ],
        vetoes=[RubricVetoIn(key="landing", title="项目落地一票否决", fact=target_assessment.VETO_FACT)],
    )


async def _year_end_cycle(session: AsyncSession, district: Organization, orgs: dict[str, Organization]) -> Cycle:
    """The district's 2013年度 cycle, set up with the programme: its units report at the year's end, and the
    supervision's findings go into its ledger meanwhile."""
    rubric = await rubrics_service.add_rubric(session, _rubric())
    cycle = Cycle(
        name=CYCLE_NAME,
        period_start=date(2013, 1, 1),
        period_end=date(2013, 12, 31),
        report_due_date=SUMMARIES_SUBMITTED,
        host_org_id=district.id,
        rubric_id=rubric.id,
        stage=CycleStage.preparation,
        groups=[
            cycles_groups.build_group(
                GroupIn(key="leaders", name="区级领导", weight=Decimal(1), expected=LEADERS, quorum=1), 0
            )
        ],
        opinion_categories=cycles_service.build_categories(None),
        created_at=t.at(CYCLE_SET_UP, 17),
    )
    cycles_service.apply_grading(cycle, GradingIn(consequence_count=1))
    session.add(cycle)
    await session.flush()
    for i, code in enumerate(TARGETS, start=1):
        org = orgs[code]
        session.add(
            Report(
                cycle_id=cycle.id,
                org_id=org.id,
                position=i,
                title=f"{org.name}2013年度招商引资工作总结",
                body=f"# {org.name}2013年度招商引资工作总结\n\n" + "\n\n".join(month_note(code, m) for m in MONTHS),
                status=ReportStatus.draft,
            )
        )
    leaders = [await _user(session, leader_name(n)) for n in range(1, LEADERS + 1)]
    group = cycle.groups[0]
    session.add_all(EvaluatorGroupMember(cycle_id=cycle.id, group_id=group.id, user_id=u.id) for u in leaders)
    await session.flush()
    return cycle


async def _appraise(session: AsyncSession, cycle: Cycle, orgs: dict[str, Organization]) -> None:
    """January 2014: the summaries reviewed, the leaders' appraisal meeting, assessment (the target figures
    frozen), the results computed and published."""
    admin = (await session.execute(select(User).where(User.username == "admin"))).scalar_one()
    cycle = await cycles_service.get_cycle(session, cycle.id)
    assert cycle.rubric is not None
    reports = list(
        (await session.execute(select(Report).where(Report.cycle_id == cycle.id).order_by(Report.position))).scalars()
    )
    code_of = {o.id: code for code, o in orgs.items()}
    for report in reports:
        report.status = ReportStatus.accepted
        report.submitted_at = t.at(SUMMARIES_SUBMITTED, 10)
        report.reviewed_at = t.at(SUMMARIES_REVIEWED, 10)
        report.reviewed_by_id = admin.id
        report.created_at = t.at(SUMMARIES_SUBMITTED, 9)
        report.updated_at = t.at(SUMMARIES_REVIEWED, 10)
    cycle.stage = CycleStage.evaluation
    held = t.at(APPRAISAL_DAY, 9)
    meeting = Meeting(
        cycle_id=cycle.id,
        title="2013年度招商引资目标责任考评会",
        direction=Direction.upward,
        starts_at=held,
        status=MeetingStatus.ended,
        revealed=True,
        screen_key=secrets.token_urlsafe(24),
        started_at=held,
        ended_at=held + timedelta(hours=3),
        agenda=[AgendaItem(report_id=r.id, position=i, voting=Voting.closed) for i, r in enumerate(reports, 1)],
    )
    session.add(meeting)
    await session.flush()
    rubric = scoring_rubric(cycle.rubric)
    group = cycle.groups[0]
    members = list(
        (
            await session.execute(
                select(EvaluatorGroupMember.user_id)
                .where(EvaluatorGroupMember.cycle_id == cycle.id)
                .order_by(EvaluatorGroupMember.user_id)
            )
        ).scalars()
    )
    rng = random.Random(2014)  # noqa: S311  (demo scores, not secrets)
    for report in reports:
        quality = APPRAISAL[code_of[report.org_id].removeprefix(DISTRICT_CODE)]
        for user_id in members:
            items = {
                key: Decimal(round(20 * min(1.0, max(0.5, rng.gauss(quality, 0.05))) * 2)) / 2
                for key in ("work", "service")
            }
            scored = score_ballot(rubric, group.key, items)
            session.add(
                Ballot(
                    id=codes.new_ballot_id(),
                    meeting_id=meeting.id,
                    report_id=report.id,
                    group_id=group.id,
                    source=BallotSource.named,
                    evaluator_id=user_id,
                    receipt=codes.new_receipt(),
                    items={k: format(v, "f") for k, v in items.items()},
                    **scored.stored(),
                )
            )
    await session.flush()
    # Entering assessment freezes the target figures (the stage hook's work), as of that day.
    cycle.stage = CycleStage.assessment
    await session.flush()
    await target_assessment.freeze(session, cycle)
    await session.execute(
        update(TargetCycleFreeze)
        .where(TargetCycleFreeze.cycle_id == cycle.id)
        .values(as_of=ASSESSED, frozen_at=t.at(ASSESSED, 9))
    )
    await results_service.compute(session, cycle=cycle, actor=admin)
    result_set = await results_service.get_result_set(session, cycle.id)
    assert result_set is not None
    result_set.computed_at = t.at(COMPUTED, 10)
    await results_publishing.publish(session, cycle=cycle, override=None, actor=admin)
    result_set.published_at = cycle.frozen_at = t.at(RESULTS_PUBLISHED, 16)
    cycle.stage = CycleStage.rectification
    await session.flush()


async def _monthly_reports(session: AsyncSession, programme: TargetProgramme, orgs: dict[str, Organization]) -> None:
    """Each unit's four monthly reports, submitted by its secretary early the next month."""
    for code in TARGETS:
        actor = await _user(session, f"s{code}")
        for month in MONTHS:
            read = await monthly.submit(
                session,
                programme=programme,
                report_in=monthly.MonthlyReportIn(org_id=orgs[code].id, month=month, note=month_note(code, month)),
                actor=actor,
            )
            when = t.at(REPORTED[month], 10)
            await session.execute(
                update(TargetMonthlyReport)
                .where(TargetMonthlyReport.id == read.id)
                .values(submitted_at=when, updated_at=when)
            )


async def _pipeline(
    session: AsyncSession, programme: TargetProgramme, orgs: dict[str, Organization], teams: list[int]
) -> None:
    """Each lead registered and moved by its unit's secretary, in the order the days came."""
    secretaries = {code: await _user(session, f"s{code}") for code in TARGETS}
    made: dict[int, int] = {}  # lead index → project id
    steps = sorted((on, i, n) for i, lead in enumerate(LEADS) for n, (_s, on, _r) in enumerate(lead.steps()))
    for on, i, n in steps:
        lead = LEADS[i]
        code = DISTRICT_CODE + lead.unit
        actor = secretaries[code]
        stage, _on, reason = lead.steps()[n]
        if n == 0:
            read = await projects.create_project(
                session,
                programme=programme,
                project_in=ProjectCreate(
                    org_id=orgs[code].id,
                    team_id=teams[lead.team] if lead.team is not None else None,
                    company=lead.company,
                    industry=lead.industry,
                    origin_region=lead.region,
                    ranking=lead.ranking,
                    contract_amount=Decimal(lead.contract),
                    funds_in_place=Decimal(lead.funds),
                    negotiating_date=on,
                    evidence="洽谈纪要",
                ),
                actor=actor,
            )
            made[i] = read.id
            continue
        project = await projects.get_project(session, made[i], user=actor)
        await projects.move_stage(
            session, project=project, move_in=StageMoveIn(to=stage, on_date=on, reason=reason), actor=actor
        )
    # Recorded as it happened: each move in the afternoon of its day, each project made the day talks began.
    for i, lead in enumerate(LEADS):
        first, last = lead.steps()[0][1], lead.steps()[-1][1]
        await session.execute(
            update(TargetProject)
            .where(TargetProject.id == made[i])
            .values(created_at=t.at(first, 16), updated_at=t.at(last, 17))
        )
    for history in (
        await session.execute(
            select(TargetProjectStage)
            .join(TargetProject, TargetProject.id == TargetProjectStage.project_id)
            .where(TargetProject.programme_id == programme.id)
        )
    ).scalars():
        history.recorded_at = t.at(history.on_date, 17)
    await session.flush()
