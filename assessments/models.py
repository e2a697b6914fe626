"""Each side's assessment of the plan's actions per reporting period, and the joint one.

For a quarter or a year, Denmark and Mexico may each assess an action on OGP's completion scale
with its timeliness; the joint assessment is proposed by a plan administrator of one side and
holds only once a plan administrator of the other side has agreed to it as well.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actions.models import written_language_field
from partners.models import COUNTRY_SIDE_CHOICES, Side
from reporting.periods import Period


class Completion(models.TextChoices):
    """OGP's scale of how far a commitment has been implemented."""

    NOT_STARTED = "not_started", pgettext_lazy("completion", "Not started")
    LIMITED = "limited", pgettext_lazy("completion", "Limited")
    SUBSTANTIAL = "substantial", pgettext_lazy("completion", "Substantial")
    COMPLETE = "complete", pgettext_lazy("completion", "Complete")


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", pgettext_lazy("timeliness", "On time")
    BEHIND = "behind", pgettext_lazy("timeliness", "Behind schedule")


def period_fields():
    """The reporting period an assessment is for: a quarter, or the whole year (no quarter)."""
    return (
        models.PositiveSmallIntegerField(_("year")),
        models.PositiveSmallIntegerField(
            _("quarter"), null=True, blank=True, help_text=_("Empty for the whole year.")
        ),
    )


def period_constraints(prefix, fields):
    """One row per `fields` and period; the quarter, if any, between 1 and 4."""
    return [
        models.UniqueConstraint(
            fields=[*fields, "year", "quarter"],
            condition=Q(quarter__isnull=False),
            name=f"{prefix}_one_per_quarter",
        ),
        models.UniqueConstraint(
            fields=[*fields, "year"],
            condition=Q(quarter__isnull=True),
            name=f"{prefix}_one_per_year",
        ),
        models.CheckConstraint(
            condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
            name=f"{prefix}_quarter_1_to_4",
        ),
    ]


class AssessmentQuerySet(models.QuerySet):
    def for_period(self, period):
        return self.filter(year=period.year, quarter=period.quarter)


class Assessment(models.Model):
    """One side's assessment of one action for one reporting period."""

    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("action"),
    )
    side = models.CharField(_("side"), max_length=12, choices=COUNTRY_SIDE_CHOICES)
    year, quarter = period_fields()
    completion = models.CharField(_("completion"), max_length=12, choices=Completion.choices)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices)
    comment = models.TextField(_("comment"), blank=True)
    language = written_language_field()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("assessed by"),
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["action", "year", "quarter", "side"]
        constraints = [
            *period_constraints("assessment", ["action", "side"]),
            models.CheckConstraint(
                condition=Q(side__in=[Side.DK, Side.MX]), name="assessment_side_is_a_country"
            ),
        ]

    def __str__(self):
        return f"{self.action.number} {self.period.label}: {self.side} {self.completion}"

    @property
    def period(self):
        return Period(self.year, self.quarter)

    def differs_from(self, other):
        """Whether two assessments disagree on completion or timeliness (comments aside)."""
        return (self.completion, self.timeliness) != (other.completion, other.timeliness)


class JointAssessment(models.Model):
    """The assessment both sides agree for an action and a period.

    Proposing (or changing) it counts as the agreement of the proposer's side only and clears
    the other's; it holds once a plan administrator of each side has agreed (`agreed_at`).
    """

    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.CASCADE,
        related_name="joint_assessments",
        verbose_name=_("action"),
    )
    year, quarter = period_fields()
    completion = models.CharField(_("completion"), max_length=12, choices=Completion.choices)
    timeliness = models.CharField(_("timeliness"), max_length=8, choices=Timeliness.choices)
    comment = models.TextField(_("comment"), blank=True)
    language = written_language_field()
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_side = models.CharField(_("proposed for"), max_length=12, choices=COUNTRY_SIDE_CHOICES)
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    agreed_dk_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for Denmark by"),
    )
    agreed_dk_at = models.DateTimeField(_("agreed for Denmark at"), null=True, blank=True)
    agreed_mx_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreed for Mexico by"),
    )
    agreed_mx_at = models.DateTimeField(_("agreed for Mexico at"), null=True, blank=True)
    agreed_at = models.DateTimeField(
        _("agreed by both sides at"),
        null=True,
        blank=True,
        help_text=_("Set when the second side agrees; cleared by any change."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; guards against lost edits.")
    )
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint assessment")
        verbose_name_plural = _("joint assessments")
        ordering = ["action", "year", "quarter"]
        constraints = [
            *period_constraints("joint_assessment", ["action"]),
            models.CheckConstraint(
                condition=Q(proposed_side__in=[Side.DK, Side.MX]),
                name="joint_assessment_proposed_by_a_country",
            ),
            models.CheckConstraint(
                condition=Q(agreed_dk_at__isnull=True, agreed_dk_by__isnull=True)
                | Q(agreed_dk_at__isnull=False, agreed_dk_by__isnull=False),
                name="joint_assessment_dk_agreement_whole",
            ),
            models.CheckConstraint(
                condition=Q(agreed_mx_at__isnull=True, agreed_mx_by__isnull=True)
                | Q(agreed_mx_at__isnull=False, agreed_mx_by__isnull=False),
                name="joint_assessment_mx_agreement_whole",
            ),
            models.CheckConstraint(
                condition=Q(agreed_at__isnull=True)
                | Q(agreed_dk_at__isnull=False, agreed_mx_at__isnull=False),
                name="joint_assessment_agreed_by_both",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="joint_assessment_version"),
        ]

    def __str__(self):
        return f"{self.action.number} {self.period.label}: joint {self.completion}"

    @property
    def period(self):
        return Period(self.year, self.quarter)

    @property
    def is_agreed(self):
        return self.agreed_at is not None

    def agreed_on(self, side):
        """When `side` agreed to the joint value as it stands (None if it has not)."""
        return {Side.DK: self.agreed_dk_at, Side.MX: self.agreed_mx_at}.get(side)
