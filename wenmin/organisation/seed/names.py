"""Synthetic Chinese names of people, places and organisations: common parts, random combinations."""

from __future__ import annotations

import random
from itertools import accumulate

# Common surnames, most frequent first (the order gives the weights).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱严戴孔汤祝饶占艾兰舒游柯童涂甘詹"
)
_SURNAME_WEIGHTS = tuple(accumulate(1 / (rank + 6) for rank in range(len(SURNAMES))))

GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国文东海志永峰亮成春晨光天达安岩中新彬锋宏博诚毅振兴福祥德贵荣根发有生金水山松柏仁义忠良善"
GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞秀英玲桂兰燕萍红梅琳莉雪婷慧颖倩琴云洁美珍凤玉菊翠莲娥春花彩月婉欣怡佳悦晓"
)

# Syllables of place names.
PLACE_FIRST = (
    "青白石清云东西南北上下大小新黄红金银龙凤桃李杏竹松柏梅兰荷樟桂茶梓杨柳槐桑丰安宁和平兴"
    "盛富康乐泰永长高深远双三五马牛鹤鹭雁鹿虎象泉"
)
PLACE_SECOND = "田岭坑源溪塘坪湾港口岗山峰洲桥亭坊园圩垄畈冲坝墩埠湖沙陂林家庄铺店寨坞岩谷"
COUNTY_SECOND = "岭阳江源川山溪宁安丰城陵都昌"
URBAN_WORDS = (
    "朝阳",
    "光明",
    "幸福",
    "和平",
    "新华",
    "建设",
    "文化",
    "迎宾",
    "滨江",
    "城东",
    "城西",
    "城南",
    "城北",
    "解放",
    "人民",
    "紫荆",
    "桂花",
    "锦绣",
    "体育",
    "学府",
    "站前",
    "商贸",
    "翠苑",
    "东湖",
    "西湖",
    "南门",
    "北门",
    "凤凰",
    "龙腾",
    "金桥",
    "花园",
    "和谐",
    "振兴",
    "信江",
    "新村",
    "兴业",
)

# Parts of the names of companies and social organisations (两新组织).
TRADE_WORDS = (
    "金源",
    "丰泰",
    "恒达",
    "顺发",
    "兴旺",
    "宏远",
    "鑫达",
    "华泰",
    "富民",
    "康源",
    "绿源",
    "天成",
    "嘉禾",
    "永盛",
    "瑞丰",
    "众鑫",
    "合力",
    "诚信",
    "汇丰",
    "润田",
    "宏盛",
    "盛世",
    "长青",
    "益农",
    "聚福",
    "华康",
    "新源",
    "博远",
    "佳和",
    "腾达",
    "信达",
    "荣昌",
)
INDUSTRIES = (
    "农业",
    "食品",
    "竹木",
    "建材",
    "物流",
    "电子",
    "纺织",
    "茶业",
    "果业",
    "生态养殖",
    "旅游",
    "商贸",
    "机械",
    "新能源",
    "医药",
    "电子商务",
    "米业",
    "油茶",
    "光伏",
    "服装",
)
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "股份有限公司", "专业合作社")
FARMING = ("农业", "茶业", "果业", "生态养殖", "米业", "油茶", "蔬菜", "中药材")
SOCIAL_ORGANISATIONS = (
    "商会",
    "个体劳动者协会",
    "老年人协会",
    "电子商务协会",
    "志愿者协会",
    "物业服务中心",
    "农民专业合作社联合会",
    "民办幼儿园",
    "社会工作服务站",
    "红白理事会联合会",
)


def person_name(rng: random.Random, gender: str) -> str:
    """A surname and one or two given-name characters."""
    surname = rng.choices(SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
    chars = GIVEN_MALE if gender == "male" else GIVEN_FEMALE
    if rng.random() < 0.25:
        return surname + rng.choice(chars)
    return surname + rng.choice(chars) + rng.choice(chars)


class PlaceNames:
    """Two-syllable place names, none used twice within one county."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def fresh(self, first: str = PLACE_FIRST, second: str = PLACE_SECOND) -> str:
        """A name not used yet in this county."""
        for _attempt in range(1000):
            name = self.rng.choice(first) + self.rng.choice(second)
            if name[0] != name[1] and name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of place names")

    def urban(self, count: int) -> list[str]:
        """Names of urban communities."""
        free = [word for word in URBAN_WORDS if word not in self.used]
        chosen = (
            self.rng.sample(free, count)
            if count <= len(free)
            else [self.fresh() for _ in range(count)]
        )
        self.used.update(chosen)
        return chosen

    def organisation(self, township: str) -> str:
        """A company or social organisation of a township (两新组织), not used yet."""
        for _attempt in range(1000):
            if self.rng.random() < 0.15:
                name = township + self.rng.choice(SOCIAL_ORGANISATIONS)
            else:
                form = self.rng.choice(COMPANY_FORMS)
                if form == "专业合作社":
                    name = township + self.rng.choice(TRADE_WORDS) + self.rng.choice(FARMING) + form
                else:
                    name = self.rng.choice(TRADE_WORDS) + self.rng.choice(INDUSTRIES) + form
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of organisation names")


def county_name(rng: random.Random, index: int, used: set[str]) -> str:
    """The first county is 枫岭县; the others get fresh fictional names."""
    if index == 0:
        used.add("枫岭县")
        return "枫岭县"
    for _attempt in range(1000):
        name = rng.choice(PLACE_FIRST) + rng.choice(COUNTY_SECOND) + "县"
        if name[0] != name[1] and name not in used:
            used.add(name)
            return name
    for number in range(2, 10_000):  # more counties than syllables: number them
        name = f"枫岭{number}县"
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of county names")
