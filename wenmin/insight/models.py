"""Insight's records: trained suggestion models, the editable keyword rules, each case's
suggestion with the dispatcher's verdict, and the near-duplicate index (MinHash bands)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wenmin.cases.deadlines import Kind


class SuggestionModel(models.Model):
    """One trained model (text classifiers for kind, category and unit), kept in the database so
    that every server and worker uses the same; the newest is the one in use."""

    trained_at = models.DateTimeField(_("trained"), default=timezone.now)
    trained_on = models.PositiveIntegerField(_("closed cases learnt from"))
    blob = models.BinaryField(_("model"))
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"v{self.pk} ({self.trained_at:%Y-%m-%d})"


class KeywordRule(models.Model):
    """A word that points to a kind or a category while the county has too little history to
    learn from (the categories' own keywords count too)."""

    word = models.CharField(_("word"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, blank=True)
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)

    class Meta:
        verbose_name = _("keyword rule")
        verbose_name_plural = _("keyword rules")
        ordering = ["word", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="") | models.Q(category__isnull=False),
                name="insight_rule_points_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.word


class Suggestion(models.Model):
    """What was suggested for a case, computed once (after intake, lazily), and whether the
    dispatcher's choice agreed: each verdict is filled when the dispatcher classifies or
    dispatches, by the one-click accept or by their own choice."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="+"
    )
    model = models.ForeignKey(
        SuggestionModel,
        verbose_name=_("model"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=8)  # "model" or "rules"
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=16, blank=True)
    category_code = models.CharField(_("category"), max_length=32, blank=True)
    unit_code = models.CharField(_("unit"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict)  # the full answer, alternatives too
    kind_right = models.BooleanField(_("kind right"), null=True)
    category_right = models.BooleanField(_("category right"), null=True)
    unit_right = models.BooleanField(_("unit right"), null=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} / {self.category_code} / {self.unit_code}"


class CaseBand(models.Model):
    """One band of a case's MinHash signature: cases sharing a band are candidate duplicates,
    so finding them reads a few index entries instead of every case."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (case, key) index serves the case's lookups
    )
    key = models.BigIntegerField(_("band"))

    class Meta:
        verbose_name = _("duplicate index entry")
        verbose_name_plural = _("duplicate index entries")
        # (key, case): a lookup's two searches read the index alone, never the table's rows (at
        # a million cases indexed, 46.7 ms on SQLite with the index on key alone, 9.9 with this).
        indexes = [models.Index(fields=["key", "case"], name="insight_caseband_key_case")]
        constraints = [
            # The intake's after-commit hook and the worker's catch-up may both index a case:
            # the second one's rows are ignored, never doubled.
            models.UniqueConstraint(fields=["case", "key"], name="insight_caseband_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key}"


class BandSnapshot(models.Model):
    """A copy of the duplicate index in files that every process on the machine maps into memory
    (insight/snapshot.py): the index's rows up to `max_row_id`, sorted by band key. The newest is
    the one used; a process reads the rows added after it from the table. The token names the
    files' folder, so that a database made afresh never uses another database's files."""

    token = models.CharField(_("token"), max_length=32, unique=True)
    built_at = models.DateTimeField(_("built"), default=timezone.now)
    max_row_id = models.BigIntegerField(_("last index entry"))
    rows = models.BigIntegerField(_("index entries"))
    seconds = models.FloatField(_("seconds to build"))

    class Meta:
        verbose_name = _("duplicate index snapshot")
        verbose_name_plural = _("duplicate index snapshots")

    def __str__(self) -> str:
        return f"{self.token} ({self.rows} rows)"
