"""People's livelihoods: work, schools and health, farming, welfare, safety, policy."""

from __future__ import annotations

from wenmin.cases.demo.topics.base import (
    COMPLAINT,
    CONSULT,
    DUTY,
    HELP,
    HOTLINE,
    LEGAL,
    OTHER,
    PRAISE,
    REPORT,
    SUGGESTION,
    UNREASONABLE,
    Group,
    Topic,
    field_spec,
)

GROUPS: tuple[Group, ...] = (
    Group(
        "labour",
        "劳动社保",
        (
            Topic(
                "labour.wages",
                "拖欠工资",
                "人力资源和社会保障局",
                {CONSULT: 2, HELP: 8, COMPLAINT: 10, REPORT: 5, PRAISE: 10},
                peak_months=(12, 1, 2),
                rejections=(LEGAL,),
                keywords="欠薪 工资 农民工",
                extra_fields=(
                    field_spec("employer", "用人单位或工地名称", "string", required=True),
                    field_spec("amount", "拖欠金额（元）", "number", order=2),
                    field_spec("workers", "涉及人数", "number", order=3),
                ),
            ),
            Topic(
                "labour.social_insurance",
                "社保医保",
                "人力资源和社会保障局",
                {CONSULT: 15, OTHER: 10},
                confused_with=("医疗保障局",),
                rejections=(
                    UNREASONABLE,
                    LEGAL,
                ),
                keywords="社保 医保 养老保险 缴费 转移",
            ),
        ),
    ),
    Group(
        "education_health",
        "教育卫生",
        (
            Topic(
                "edu.enrolment",
                "入学就学",
                "教育体育局",
                {CONSULT: 8, HELP: 2, SUGGESTION: 8},
                peak_months=(6, 7, 8),
                rejections=(UNREASONABLE,),
                keywords="入学 学位 转学 学区",
                extra_fields=(
                    field_spec(
                        "stage",
                        "学段",
                        "singlevaluelist",
                        values=(
                            ("kindergarten", "幼儿园"),
                            ("primary", "小学"),
                            ("junior", "初中"),
                        ),
                    ),
                ),
            ),
            Topic(
                "health.medical",
                "医疗服务",
                "卫生健康委员会",
                {CONSULT: 5, HELP: 2, COMPLAINT: 8, SUGGESTION: 5, PRAISE: 10},
                confused_with=("医疗保障局",),
                rejections=(LEGAL,),
                keywords="医院 看病 服务态度 卫生院",
            ),
        ),
    ),
    Group(
        "agriculture",
        "农业农村",
        (
            Topic(
                "agri.irrigation",
                "农田水利",
                "水利局",
                {HELP: 6, SUGGESTION: 10},
                local=True,
                peak_months=(4, 5, 6, 7),
                keywords="灌溉 水渠 山塘 水库",
            ),
            Topic(
                "agri.subsidy",
                "惠农补贴",
                "农业农村局",
                {CONSULT: 7, OTHER: 10},
                peak_months=(3, 4, 10),
                confused_with=("财政局",),
                rejections=(UNREASONABLE,),
                keywords="补贴 耕地地力 种粮 一卡通",
            ),
        ),
    ),
    Group(
        "civil_affairs",
        "民政救助",
        (
            Topic(
                "civil.subsistence",
                "低保救助",
                "民政局",
                {CONSULT: 8, HELP: 5, REPORT: 5, PRAISE: 5, OTHER: 10},
                local=True,
                rejections=(UNREASONABLE,),
                keywords="低保 临时救助 特困",
            ),
            Topic(
                "civil.elderly_care",
                "养老服务",
                "民政局",
                {CONSULT: 4, HELP: 4, SUGGESTION: 10, PRAISE: 10},
                keywords="养老 高龄津贴 敬老院",
            ),
        ),
    ),
    Group(
        "public_security",
        "公安交通",
        (
            Topic(
                "police.traffic",
                "交通秩序",
                "公安局",
                {CONSULT: 4, COMPLAINT: 6, SUGGESTION: 15},
                confused_with=("交通运输局",),
                keywords="违停 红绿灯 交通 驾驶证",
            ),
            Topic(
                "police.public_order",
                "治安问题",
                "公安局",
                {HELP: 2, REPORT: 15, PRAISE: 5, OTHER: 10},
                urgent=0.1,
                rejections=(DUTY,),
                keywords="治安 打架 赌博 盗窃",
            ),
        ),
    ),
    Group(
        "policy",
        "政策咨询",
        (
            Topic(
                "policy.consult",
                "政策咨询",
                HOTLINE,
                {CONSULT: 30, SUGGESTION: 5, PRAISE: 5, OTHER: 30},
                rejections=(DUTY,),
                keywords="政策 办事指南 材料 流程",
            ),
        ),
    ),
)
