"""The county's starting list of need types (the administrator keeps it in the admin)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

NEED_KINDS = [
    ("care", "生活照料", 1),
    ("medical", "看病就医", 2),
    ("repair", "房屋修缮", 3),
    ("employment", "就业帮扶", 4),
    ("education", "子女教育", 5),
    ("policy", "政策咨询", 6),
    ("other", "其他", 9),
]


def add_need_kinds(apps: Any, schema_editor: Any) -> None:
    NeedKind = apps.get_model("surveys", "NeedKind")
    for code, name, order in NEED_KINDS:
        NeedKind.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(add_need_kinds, migrations.RunPython.noop)]
