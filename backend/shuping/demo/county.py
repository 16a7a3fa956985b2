"""The demo county's names: 汝阳县, its townships, villages and departments.

Place names follow the county; village names beyond the few the newspaper report names
are made up, and every person is fictional.
"""

from __future__ import annotations

COUNTY_CODE = "410326"
COUNTY_NAME = "汝阳县委"
# The county's rectification notices: numbered 汝组整改〔2013〕1号 and signed by its organisation department.
COUNTY_DOC_PREFIX = "汝组整改"
COUNTY_ISSUING_ORGAN = "中共汝阳县委组织部"
ORG_DEPT_CODE = "410326-D04"

# (code suffix, name, villages); the working committee is its own kind.
TOWNSHIPS: list[tuple[str, str, int]] = [
    ("101", "城关镇", 16),
    ("102", "上店镇", 16),
    ("103", "付店镇", 16),
    ("104", "小店镇", 20),
    ("105", "三屯镇", 16),
    ("106", "刘店镇", 16),
    ("107", "内埠镇", 16),
    ("201", "新村乡", 16),
    ("202", "柏树乡", 15),
    ("203", "十八盘乡", 15),
    ("204", "靳村乡", 15),
    ("205", "王坪乡", 15),
    ("206", "蔡店乡", 16),
]
WORKING_COMMITTEE = ("301", "工业区委工委", 8)

# Villages the newspaper report names, placed first in their township.
KNOWN_VILLAGES = {"三屯镇": ["耿沟村"], "新村乡": ["椿树村", "双泉村"]}

_FIRST = "东西南北前后上下大小新老高柳杨槐枣杏桃李王张刘陈赵孙马黄石白红青龙凤"
_SECOND = "庄沟岭坡店营寨屯河湾坪园寺庙桥岗洼峪集坊"

DEPARTMENTS = [
    "县纪委监委",
    "县委办公室",
    "县政府办公室",
    "县委组织部",
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县发展和改革委员会",
    "县教育局",
    "县公安局",
    "县民政局",
    "县司法局",
    "县财政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县商务局",
    "县文化广电和旅游局",
    "县卫生健康委员会",
    "县退役军人事务局",
    "县应急管理局",
    "县审计局",
    "县市场监督管理局",
    "县统计局",
    "县医疗保障局",
    "县信访局",
    "县城市管理局",
    "县林业局",
    "县生态环境分局",
    "县乡村振兴局",
    "县工业和信息化局",
    "县科学技术局",
    "县总工会",
    "共青团汝阳县委",
    "县妇女联合会",
    "县供销合作社",
    "县税务局",
]

_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程魏苏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = "建国志强海涛红梅秀英文明伟东晓燕玉兰春华明亮国庆丽娟永军桂芳卫平振华淑珍学军"


def village_names(township: str, count: int) -> list[str]:
    """Return `count` distinct village names for a township, the known ones first."""
    names = list(KNOWN_VILLAGES.get(township, []))
    seed = sum(ord(c) for c in township)
    i = 0
    while len(names) < count:
        a = _FIRST[(seed + i * 7) % len(_FIRST)]
        b = _SECOND[(seed // 3 + i * 5) % len(_SECOND)]
        name = f"{a}{b}村"
        if name not in names:
            names.append(name)
        i += 1
    return names


def person_name(n: int) -> str:
    """A fictional two- or three-character name, distinct for small n."""
    surname = _SURNAMES[(n * 37) % len(_SURNAMES)]
    g1 = _GIVEN[(n * 13) % len(_GIVEN)]
    g2 = _GIVEN[(n * 29 + 5) % len(_GIVEN)]
    return surname + g1 + (g2 if n % 3 else "")
