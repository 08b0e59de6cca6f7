"""The county's starting list of kinds of work with their normal durations (editable later)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SOURCE = "县重点项目工期参考（可修改）"
WORK_KINDS = [
    # code, name, normal days, unit, source
    ("design", "设计与审批", 60, "", SOURCE),
    ("tender", "招标", 30, "", SOURCE),
    ("demolition", "房屋征收拆除", 90, "buildings", SOURCE),
    ("resettlement", "征迁安置", 120, "households", SOURCE),
    ("mountain_road", "山区道路修建（约7公里）", 90, "km", "县交通运输部门：7公里山路正常需3个月"),
    ("road_resurface", "城区道路路面改造", 60, "km", SOURCE),
    ("water_main", "供水管网敷设", 120, "km", SOURCE),
    ("foundation", "基础工程", 45, "", SOURCE),
    ("main_structure", "主体结构", 150, "m2", SOURCE),
    ("school_building", "学校建设（36个班）", 540, "classrooms", SOURCE),
    ("fit_out", "装修与安装", 60, "", SOURCE),
    ("landscape", "园林景观", 90, "m2", SOURCE),
    ("renovation", "旧楼改造", 120, "m2", SOURCE),
    ("acceptance", "竣工验收", 20, "", SOURCE),
]


def add_work_kinds(apps: Any, schema_editor: Any) -> None:
    WorkKind = apps.get_model("projects", "WorkKind")
    for code, name, days, unit, source in WORK_KINDS:
        WorkKind.objects.get_or_create(
            code=code, defaults={"name": name, "normal_days": days, "unit": unit, "source": source}
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(add_work_kinds, migrations.RunPython.noop)]
