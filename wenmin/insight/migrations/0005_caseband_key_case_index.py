"""The duplicate index's key index becomes one on (key, case): a lookup's two searches then read
the index alone. At a million cases indexed (80 million rows) the lookup took 46.7 ms on SQLite
with the index on key alone, each of its some 7,000 rows fetched from the table, and 9.9 ms with
this one (bench/insight_duplicates.py part 4). The new index is made before the old one goes,
so lookups keep an index throughout."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_alter_case_channel"),
        ("insight", "0004_caseband_once"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="caseband",
            index=models.Index(fields=["key", "case"], name="insight_caseband_key_case"),
        ),
        migrations.RemoveIndex(
            model_name="caseband",
            name="insight_cas_key_fe76da_idx",
        ),
    ]
