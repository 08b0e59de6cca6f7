"""What a county is made of: its leadership bodies, departments, institutions and cadre rosters."""

from __future__ import annotations

from wenmin.organisation.models import CadreRank

# The four leadership bodies (四套班子): key, name ({county}: the county's name), short name
# after the county's, organ branch name after the county's.
LEADERSHIP_BODIES: tuple[tuple[str, str, str, str], ...] = (
    ("PC", "中共{county}委员会", "委", "委机关党支部"),
    ("PCC", "{county}人大常委会", "人大", "人大机关党支部"),
    ("GOV", "{county}人民政府", "政府", "政府办公室党支部"),
    ("CPPCC", "政协{county}委员会", "政协", "政协机关党支部"),
)

# Government departments covering the 12345 case categories: key, name, short name, parent
# department (state-owned companies sit under the department that oversees them).
DEPARTMENTS: tuple[tuple[str, str, str, str], ...] = (
    ("ZJ", "住房和城乡建设局", "住建局", ""),
    ("JT", "交通运输局", "交通局", ""),
    ("SL", "水利局", "水利局", ""),
    ("ZR", "自然资源局", "自然资源局", ""),
    ("ST", "生态环境局", "生态环境局", ""),
    ("SJ", "市场监督管理局", "市场监管局", ""),
    ("RS", "人力资源和社会保障局", "人社局", ""),
    ("YB", "医疗保障局", "医保局", ""),
    ("WJ", "卫生健康委员会", "卫健委", ""),
    ("JY", "教育体育局", "教体局", ""),
    ("MZ", "民政局", "民政局", ""),
    ("NY", "农业农村局", "农业农村局", ""),
    ("GA", "公安局", "公安局", ""),
    ("CG", "城市管理局", "城管局", ""),
    ("YJ", "应急管理局", "应急局", ""),
    ("XF", "信访局", "信访局", ""),
    ("FG", "发展和改革委员会", "发改委", ""),
    ("CZ", "财政局", "财政局", ""),
    ("GX", "工业和信息化局", "工信局", ""),
    ("SW", "商务局", "商务局", ""),
    ("WL", "文化广电新闻出版旅游局", "文广旅局", ""),
    ("SF", "司法局", "司法局", ""),
    ("TR", "退役军人事务局", "退役军人局", ""),
    ("LY", "林业局", "林业局", ""),
    ("XZ", "行政审批局", "行政审批局", ""),
    ("TJ", "统计局", "统计局", ""),
    ("XC", "乡村振兴局", "乡村振兴局", ""),
    ("WS", "自来水有限公司", "自来水公司", "ZJ"),
    ("GD", "供电公司", "供电公司", "FG"),
)
DEMO_DEPARTMENT = "ZJ"

# County institutions whose branches sit under the county organs' working committee.
INSTITUTIONS = (
    "第一中学",
    "第二中学",
    "实验小学",
    "职业中等专业学校",
    "实验幼儿园",
    "人民医院",
    "中医院",
    "妇幼保健院",
    "疾病预防控制中心",
    "融媒体中心",
    "图书馆",
    "城市建设投资集团",
    "粮食收储有限公司",
    "农村信用合作联社",
)
# Branches every township keeps besides its villages': key, name after the township's name.
TOWNSHIP_BRANCHES = (
    ("organ", "机关党支部"),
    ("retired", "离退休干部党支部"),
    ("school", "中心小学党支部"),
    ("clinic", "卫生院党支部"),
    ("stations", "站所联合党支部"),
)

VOLUNTEER_THEMES = (
    "政策宣讲",
    "环境整治",
    "邻里帮扶",
    "应急救援",
    "关爱留守儿童",
    "文明劝导",
    "助农电商",
    "法律服务",
    "平安巡防",
    "敬老助残",
)
COUNTY_TEAMS = ("县直机关", "卫健系统", "教体系统", "青年", "巾帼")
VOLUNTEER_POSTS = (
    "政策宣讲员",
    "矛盾调解员",
    "环境监督员",
    "民情信息员",
    "帮办代办员",
    "文明劝导员",
    "安全巡查员",
    "助老服务员",
)
WORK_GROUP_THEMES = (
    "村干部工作群",
    "党员干部群",
    "12345办件群",
    "防汛抗旱工作群",
    "乡村振兴工作群",
    "网格员工作群",
    "综治维稳工作群",
    "秀美乡村建设群",
    "环境整治工作群",
    "便民服务工作群",
    "项目建设工作群",
    "森林防火工作群",
)
TOWNSHIP_ACCOUNTS = ("发布", "党建", "便民服务", "微乡村")

# Cadre rosters: (position, rank, tag, how many: fixed or a (low, high) range). Tags mark
# who is a county leader, a department head, a party secretary, a dispatcher, a case handler.
Roster = tuple[tuple[str, str, str, int | tuple[int, int]], ...]
_DIV, _DDIV = CadreRank.DIVISION, CadreRank.DEPUTY_DIVISION
_SEC, _DSEC, _CLERK = CadreRank.SECTION, CadreRank.DEPUTY_SECTION, CadreRank.CLERK
ROSTERS: dict[str, Roster] = {
    "PC": (
        ("县委书记", _DIV, "leader", 1),
        ("县委副书记", _DDIV, "leader", 1),
        ("县委常委", _DDIV, "leader", 5),
        ("县委办公室主任", _SEC, "", 1),
        ("科员", _CLERK, "", (5, 7)),
    ),
    "PCC": (
        ("县人大常委会主任", _DIV, "leader", 1),
        ("县人大常委会副主任", _DDIV, "leader", 3),
        ("人大办公室主任", _SEC, "", 1),
        ("科员", _CLERK, "", (3, 5)),
    ),
    "GOV": (
        ("县长", _DIV, "leader", 1),
        ("常务副县长", _DDIV, "leader", 1),
        ("副县长", _DDIV, "leader", 4),
        ("县政府办公室主任", _SEC, "", 1),
        ("科员", _CLERK, "", (5, 7)),
    ),
    "CPPCC": (
        ("县政协主席", _DIV, "leader", 1),
        ("县政协副主席", _DDIV, "leader", 3),
        ("政协秘书长", _SEC, "", 1),
        ("科员", _CLERK, "", (2, 4)),
    ),
    "department": (
        ("{head}", _SEC, "head", 1),
        ("副{head}", _DSEC, "", (2, 3)),
        ("股长", _CLERK, "handler", 1),
        ("股长", _CLERK, "", (0, 2)),
        ("科员", _CLERK, "handler", 1),
        ("科员", _CLERK, "", (3, 6)),
    ),
    "company": (
        ("总经理", _SEC, "head", 1),
        ("副总经理", _DSEC, "", 2),
        ("客户服务部经理", _CLERK, "handler", 1),
        ("职员", _CLERK, "handler", 1),
        ("职员", _CLERK, "", (3, 6)),
    ),
    "centre": (
        ("主任", _SEC, "", 1),
        ("副主任", _DSEC, "", 2),
        ("12345热线调度员", _CLERK, "dispatcher", 4),
        ("窗口工作人员", _CLERK, "", 3),
        ("信息系统管理员", _CLERK, "admin", 1),
    ),
    "committee": (
        ("{party}书记", _SEC, "party_secretary", 1),
        ("{party}副书记", _DSEC, "", 1),
        ("纪委书记", _DSEC, "", 1),
        ("组织委员", _DSEC, "", 1),
        ("宣传委员", _DSEC, "", 1),
    ),
    "government": (
        ("{head}", _SEC, "", 1),
        ("副{head}", _DSEC, "", (2, 3)),
        ("党政办主任", _CLERK, "", 1),
        ("便民服务中心主任", _CLERK, "handler", 1),
        ("综治办主任", _CLERK, "", 1),
        ("社会事务办干事", _CLERK, "handler", (1, 2)),
        ("经济发展办干事", _CLERK, "", (1, 2)),
        ("村镇建设办干事", _CLERK, "handler", 1),
        ("科员", _CLERK, "", (5, 8)),
    ),
}
# The township head's title by the township's kind.
TOWNSHIP_HEADS: dict[str, str] = {
    "town": "镇长",
    "township": "乡长",
    "farm": "场长",
    "subdistrict": "主任",
    "office": "主任",
}
# Birth-age ranges (low, high, mode) by rank.
AGES_BY_RANK: dict[str, tuple[int, int, int]] = {
    _DIV: (46, 58, 52),
    _DDIV: (40, 57, 49),
    _SEC: (35, 56, 46),
    _DSEC: (30, 54, 41),
    _CLERK: (23, 58, 34),
}
