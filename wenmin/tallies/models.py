"""The ledger of what each record of a source counts, and the daily counts summed from it.

A source (projects, branch meetings, volunteering, deeds…) says what one of its records counts
(`registry.Source.facts`); `services.record_changed` keeps these two tables in step with the
record in the same transaction as the source's own write, and `rebuild` recounts them from the
records. The scoreboard reads the daily counts for its indicators and the ledger for the records
behind a number.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    """One thing one record counts: for a subject, on a day, an amount of a counter."""

    source = models.CharField(max_length=24)
    record = models.BigIntegerField()
    subject_type = models.CharField(max_length=8)
    subject_id = models.BigIntegerField()
    day = models.DateField()
    counter = models.CharField(max_length=32)
    amount = models.FloatField()
    # The unit an accepted appeal can take this entry away from (and the people acting for it).
    for_unit = models.BigIntegerField(null=True, blank=True)
    excluded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("counted record")
        verbose_name_plural = _("counted records")
        indexes = [
            models.Index(fields=["source", "record"], name="tally_entry_record"),
            models.Index(
                fields=["source", "subject_type", "counter", "subject_id", "day"],
                name="tally_entry_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.record} {self.counter} {self.amount:g}"


class Tally(models.Model):
    """The sum of one counter for one subject on one day (entries excluded by appeals left out)."""

    source = models.CharField(max_length=24)
    counter = models.CharField(max_length=32)
    subject_type = models.CharField(max_length=8)
    subject_id = models.BigIntegerField()
    day = models.DateField()
    amount = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "counter", "subject_type", "subject_id", "day"],
                name="tally_unique",
            )
        ]
        indexes = [
            models.Index(fields=["source", "subject_type", "day", "subject_id"], name="tally_day")
        ]

    def __str__(self) -> str:
        return f"{self.source}.{self.counter} {self.subject_type}:{self.subject_id} {self.day}"


class Exclusion(models.Model):
    """A record that no longer counts for a unit (and those acting for it): an accepted appeal."""

    source = models.CharField(max_length=24)
    record = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("excluded record")
        verbose_name_plural = _("excluded records")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "record", "unit_id"], name="tally_exclusion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.record} × {self.unit_id}"


class RecountOwed(models.Model):
    """(Not "Recount": its table would be rebuild.py's temporary `tallies_recount`.) A recount owed: the organisation changed (a member moved branch, a unit moved township),
    so records counted before may now count elsewhere. One row per kind of change, however many
    changes; the worker's recount (`recount.recount_run`) clears the rows it has caught up with."""

    reason = models.CharField(max_length=24, unique=True)
    since = models.DateTimeField()  # the first change not yet recounted
    changed_at = models.DateTimeField()  # the latest
    changes = models.PositiveIntegerField(default=1)  # how many, and the row's version

    class Meta:
        verbose_name = _("recount owed")
        verbose_name_plural = _("recounts owed")

    def __str__(self) -> str:
        return f"{self.reason} × {self.changes} since {self.since:%Y-%m-%d %H:%M}"
