"""The county's default care categories (关爱对象); the administrator edits the list."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULTS = [
    # code, name, must be visited, order
    ("dibao", "低保户", True, 10),
    ("wubao", "五保户", True, 20),
    ("left_behind_elderly", "留守老人", True, 30),
    ("left_behind_children", "留守儿童", True, 40),
    ("disabled", "残疾人", True, 50),
    ("hardship", "困难户", True, 60),
    ("elderly_alone", "独居老人", True, 70),
]


def seed(apps: Any, schema_editor: Any) -> None:
    CareCategory = apps.get_model("households", "CareCategory")
    for code, name, must_visit, order in DEFAULTS:
        CareCategory.objects.get_or_create(
            code=code, defaults={"name": name, "must_visit": must_visit, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0002_household_register")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
