"""The meeting types of the branch work regulations, with their usual rules."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def add_meeting_types(apps: Any, schema_editor: Any) -> None:
    from wenmin.branchlife.rules import DEFAULT_TYPES

    meeting_type = apps.get_model("branchlife", "MeetingType")
    for code, name, frequency, due, counts_as_others, order in DEFAULT_TYPES:
        meeting_type.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "frequency": frequency,
                "due_working_day": due,
                "counts_as_others": counts_as_others,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("branchlife", "0001_initial")]
    operations = [migrations.RunPython(add_meeting_types, migrations.RunPython.noop)]
