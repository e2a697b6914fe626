"""Amendments to a plan agreed by both governments: proposed by one side, in force once a plan
administrator of each side has approved them, and applied to the plan at that moment."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from actions.models import Responsibility
from partners.models import COUNTRY_SIDE_CHOICES, Side


class AmendmentQuerySet(models.QuerySet):
    def for_list(self):
        """Each amendment with what it names and its decisions, in a fixed number of queries."""
        return self.select_related(
            "plan", "action", "chapter", "milestone__action", "proposed_by"
        ).prefetch_related("decisions__decided_by", "responsibilities__institution__country")

    def in_force(self):
        return self.filter(state=Amendment.State.IN_FORCE)

    def waiting(self):
        return self.filter(state=Amendment.State.PROPOSED)


class Amendment(models.Model):
    """A change to the plan as signed, numbered in its plan from 1 ("amendment 4")."""

    class Kind(models.TextChoices):
        NEW_ACTION = "new_action", pgettext_lazy("amendment kind", "New action")
        TITLE = "title", pgettext_lazy("amendment kind", "Change of an action's title")
        TEXT = "text", pgettext_lazy("amendment kind", "Change of an action's text")
        RESPONSIBILITIES = (
            "responsibilities",
            pgettext_lazy("amendment kind", "Change of the responsible institutions"),
        )
        TARGET_DATE = (
            "target_date",
            pgettext_lazy("amendment kind", "Change of an action's target date"),
        )
        MILESTONE = (
            "milestone",
            pgettext_lazy(
                "amendment kind", "Milestone rescheduled beyond the action's target date"
            ),
        )
        RETIREMENT = "retirement", pgettext_lazy("amendment kind", "Action retired")

    class State(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("amendment state", "Waiting for a decision")
        IN_FORCE = "in_force", pgettext_lazy("amendment state", "In force")
        REJECTED = "rejected", pgettext_lazy("amendment state", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("amendment state", "Withdrawn")

    plan = models.ForeignKey(
        "plancore.Plan", on_delete=models.PROTECT, related_name="amendments", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("action"),
        help_text=_("The action it changes; for a new action, the action it created."),
    )
    chapter = models.ForeignKey(
        "plancore.Chapter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("chapter"),
        help_text=_("The chapter of a new action; for a new chapter, the chapter it created."),
    )
    milestone = models.ForeignKey(
        "actions.Milestone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("milestone"),
    )
    side = models.CharField(_("proposed by side"), max_length=12, choices=COUNTRY_SIDE_CHOICES)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="amendments_proposed",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    reason = models.TextField(_("reason"))
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=120, blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_es = models.TextField(_("text (Spanish)"), blank=True)
    chapter_title_en = models.CharField(_("new chapter (English)"), max_length=200, blank=True)
    chapter_title_es = models.CharField(_("new chapter (Spanish)"), max_length=200, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    due_date = models.DateField(_("new due date"), null=True, blank=True)
    previous = models.JSONField(
        _("as it stood before"),
        default=dict,
        blank=True,
        help_text=_("What the amendment replaced, recorded when it took effect."),
    )
    decided_at = models.DateTimeField(
        _("decided at"),
        null=True,
        blank=True,
        help_text=_("When it took effect, was rejected or was withdrawn."),
    )
    history = HistoricalRecords()

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="amendment_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="amendment_number_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="amendment_reason_required"),
            models.CheckConstraint(
                condition=Q(side__in=[Side.DK, Side.MX]), name="amendment_side_is_a_country"
            ),
            models.CheckConstraint(
                condition=Q(kind="new_action") | Q(action__isnull=False),
                name="amendment_change_names_its_action",
            ),
            models.CheckConstraint(
                condition=~Q(kind="milestone") | Q(milestone__isnull=False),
                name="amendment_reschedule_names_its_milestone",
            ),
            models.CheckConstraint(
                condition=Q(state="proposed") | Q(decided_at__isnull=False),
                name="amendment_decided_has_a_moment",
            ),
        ]

    def __str__(self):
        return _("Amendment %(number)s") % {"number": self.number}

    @property
    def is_waiting(self):
        return self.state == self.State.PROPOSED

    @property
    def in_force(self):
        return self.state == self.State.IN_FORCE


class ProposedResponsibility(models.Model):
    """An institution's part in an action as an amendment proposes it (the whole new list)."""

    amendment = models.ForeignKey(
        Amendment,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("amendment"),
    )
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        related_name="proposed_responsibilities",
        verbose_name=_("institution"),
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    role = models.CharField(_("role"), max_length=10, choices=Responsibility.Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("proposed responsibility")
        verbose_name_plural = _("proposed responsibilities")
        ordering = ["amendment", "side", "role", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "institution"], name="proposed_responsibility_unique"
            ),
        ]

    def __str__(self):
        return f"{self.institution.short_name} ({self.side}, {self.role})"


class AmendmentDecision(models.Model):
    """One side's decision on an amendment: approved, or rejected with a comment."""

    class Decision(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("amendment decision", "Approved")
        REJECTED = "rejected", pgettext_lazy("amendment decision", "Rejected")

    amendment = models.ForeignKey(
        Amendment, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("amendment")
    )
    side = models.CharField(_("side"), max_length=12, choices=COUNTRY_SIDE_CHOICES)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="amendment_decisions",
        verbose_name=_("decided by"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision on an amendment")
        verbose_name_plural = _("decisions on amendments")
        ordering = ["amendment", "decided_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["amendment", "side"], name="amendment_decision_one_per_side"
            ),
            models.CheckConstraint(
                condition=Q(side__in=[Side.DK, Side.MX]),
                name="amendment_decision_side_is_a_country",
            ),
            models.CheckConstraint(
                condition=~Q(decision="rejected", comment=""),
                name="amendment_rejection_needs_comment",
            ),
        ]

    def __str__(self):
        return f"{self.amendment}: {self.get_side_display()} {self.get_decision_display()}"
