"""The duplicate index's method changed (similarity.py: 240 permutations in 80 bands of 3 rows,
was 96 in 48 bands of 2): every band stored before is stale (another key for the same text), so
they are all removed, and the worker's catch-up (schedule.insight_periodic, INDEX_PER_TICK cases
a tick) or `wenmin insight train` indexes the cases again, oldest first. Until a case is
indexed again it is found only if it is among the newest cases after the newest indexed one,
which duplicates.similar_to compares directly. The table is emptied before its indexes change
(0004): a rebuilt table is an empty one."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def bands_remove(apps: Any, schema_editor: Any) -> None:
    CaseBand = apps.get_model("insight", "CaseBand")
    CaseBand.objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("insight", "0002_kind_rules")]

    operations = [migrations.RunPython(bands_remove, migrations.RunPython.noop, elidable=True)]
