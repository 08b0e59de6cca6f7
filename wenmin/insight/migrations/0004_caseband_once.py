"""One row per case and band: two runs of the catch-up (the worker's and `wenmin insight train`)
may index a case at once, and the second one's rows are ignored (services/index.py). The unique (case, key)
index also serves what the case's own index did (its first column), so that one goes. In its own
migration, after 0003 emptied the table: PostgreSQL refuses to alter a table in the transaction
that has just deleted from it while constraints are deferred."""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_alter_case_channel"), ("insight", "0003_bands_of_three_rows")]

    operations = [
        migrations.AlterField(
            model_name="caseband",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="cases.case",
                verbose_name="case",
            ),
        ),
        migrations.AddConstraint(
            model_name="caseband",
            constraint=models.UniqueConstraint(
                fields=("case", "key"), name="insight_caseband_once"
            ),
        ),
    ]
