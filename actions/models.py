"""The plan's actions, who answers for them, their milestones and the progress reported on them."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from partners.models import Side
from plancore.models import RemembersLoaded


class Status(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("action status", "Not started")
    ON_TRACK = "on_track", pgettext_lazy("action status", "On track")
    AT_RISK = "at_risk", pgettext_lazy("action status", "At risk")
    DELAYED = "delayed", pgettext_lazy("action status", "Delayed")
    COMPLETED = "completed", pgettext_lazy("action status", "Completed")
    ONGOING = "ongoing", pgettext_lazy("action status", "Ongoing")
    DISCONTINUED = "discontinued", pgettext_lazy("action status", "Discontinued")


PROGRESS_RANGE = Q(progress__gte=0, progress__lte=100)


class WrittenLanguage(models.TextChoices):
    """The languages people write in on the portal: those the plan's content is kept in."""

    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


def written_language_field():
    return models.CharField(
        _("written in"),
        max_length=2,
        choices=WrittenLanguage.choices,
        default=WrittenLanguage.ENGLISH,
        help_text=_("The language its author wrote it in; the other language is a translation."),
    )


def translated_by_field():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("translated by"),
    )


class ActionQuerySet(models.QuerySet):
    def for_list(self):
        """Everything a list of actions shows, in a fixed number of queries."""
        return self.select_related("chapter__plan").prefetch_related(
            Prefetch("responsibilities", queryset=Responsibility.objects.for_actions()),
            "sdgs",
        )

    def in_plan(self, plan):
        return self.filter(chapter__plan=plan)


class Action(RemembersLoaded, models.Model):
    """One bullet of a chapter's list of actions, numbered "chapter.position" as in "6.6"."""

    chapter = models.ForeignKey(
        "plancore.Chapter",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("chapter"),
    )
    position = models.PositiveSmallIntegerField(_("position in chapter"))
    number = models.CharField(_("number"), max_length=10)
    short_title = models.CharField(_("short title"), max_length=120)
    text = models.TextField(
        _("text"), help_text=_("The action's full text, as the plan states it.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    sdgs = models.ManyToManyField(
        "plancore.SustainableDevelopmentGoal",
        related_name="actions",
        blank=True,
        verbose_name=_("Sustainable Development Goals"),
    )
    agreements = models.ManyToManyField(
        "partners.Agreement", related_name="actions", blank=True, verbose_name=_("agreements")
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; guards against lost edits.")
    )
    # The short title and text as PostgreSQL searches them (actions/search.py); empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    # Where the action stands among every plan's actions (by plan, chapter number and
    # position, as one integer: Chapter.order_base + position), so that a list in plan order
    # reads an index instead of sorting a chapter's actions. Set by save(), and by
    # Chapter.save() for a chapter that is renumbered or moves.
    plan_order = models.BigIntegerField(default=0, editable=False)
    history = HistoricalRecords(excluded_fields=["search_vector", "plan_order"])

    objects = ActionQuerySet.as_manager()
    remembered = ("chapter_id", "position")  # its plan order follows them

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["plan_order"]
        indexes = [
            GinIndex(fields=["search_vector"], name="action_search_vector"),
            models.Index(fields=["plan_order"], name="action_plan_order"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="action_number_unique"),
            models.UniqueConstraint(fields=["chapter", "position"], name="action_position_unique"),
            models.CheckConstraint(condition=PROGRESS_RANGE, name="action_progress_0_to_100"),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]+\.[0-9]+\Z"), name="action_number_format"
            ),
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(target_date__gte=F("start_date")),
                name="action_target_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETED) | Q(progress=100),
                name="action_completed_means_100_percent",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="action_version_positive"),
        ]

    def __str__(self):
        return f"{self.number} {self.short_title}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self._state.adding or self.moved_since_loaded():
            self.plan_order = self.chapter.order_base + self.position
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "plan_order"}
        elif update_fields is None and not kwargs.get("force_insert"):
            # Unmoved: leave the stored plan order alone, which a chapter renumbered since this
            # action was read has moved (Chapter.save).
            kwargs["update_fields"] = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.attname != "plan_order"
            ]
        super().save(*args, **kwargs)
        self.remember_loaded()

    def lead_on(self, side):
        """The lead institution on one side, read from prefetched responsibilities."""
        for responsibility in self.responsibilities.all():
            if responsibility.side == side and responsibility.role == Responsibility.Role.LEAD:
                return responsibility.institution
        return None


class ResponsibilityQuerySet(models.QuerySet):
    def for_actions(self):
        """With each institution and its country, as the action pages show them; ordered
        within each action only (the default order would join every action of the plan)."""
        return self.select_related("institution__country").order_by(
            "action_id", "side", "role", "institution__name"
        )


class ReviewQuerySet(models.QuerySet):
    def for_updates(self):
        """Each update's decisions in the order taken (without joining the updates to sort)."""
        return self.order_by("update_id", "decided_at")


class Responsibility(models.Model):
    """An institution's part in an action, on its country's side: lead or partner."""

    class Role(models.TextChoices):
        LEAD = "lead", pgettext_lazy("responsibility role", "Lead")
        PARTNER = "partner", pgettext_lazy("responsibility role", "Partner")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("action")
    )
    institution = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        related_name="responsibilities",
        verbose_name=_("institution"),
    )
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    history = HistoricalRecords()

    objects = ResponsibilityQuerySet.as_manager()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["action", "side", "role", "institution__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "institution"], name="responsibility_unique_institution"
            ),
            models.UniqueConstraint(
                fields=["action", "side"],
                condition=Q(role="lead"),
                name="responsibility_one_lead_per_side",
            ),
            models.CheckConstraint(
                condition=~Q(side=Side.MULTILATERAL, role="lead"),
                name="responsibility_multilateral_not_lead",
            ),
        ]

    def __str__(self):
        return f"{self.action.number}: {self.institution.short_name} ({self.side}, {self.role})"

    def clean(self):
        if self.institution_id and self.side and self.institution.side != self.side:
            message = _("%(institution)s is not on this side of the plan.")
            raise ValidationError({"side": message % {"institution": self.institution.short_name}})


class Milestone(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action")
    )
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    responsible = models.ForeignKey(
        "partners.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("responsible institution"),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Raised by every change; guards against lost edits.")
    )
    language = written_language_field()
    translated_by = translated_by_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["action", "due_date", "pk"]
        # Open milestones by due date: the dashboard's overdue and due-soon lists and counts.
        indexes = [
            models.Index(
                fields=["due_date", "id"],
                condition=Q(done_on__isnull=True),
                name="milestone_open_by_due_date",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start_date")), name="milestone_due_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("start_date")),
                name="milestone_not_done_before_start",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="milestone_version_positive"),
        ]

    def __str__(self):
        return f"{self.action.number}: {self.title}"

    def is_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.done_on is None and self.due_date < today


class ProgressUpdate(models.Model):
    """A progress report on an action, confirmed only when both sides have approved it."""

    class ReviewState(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("update state", "Waiting for review")
        APPROVED = "approved", pgettext_lazy("update state", "Jointly approved")
        RETURNED = "returned", pgettext_lazy("update state", "Returned")
        # A newer update on the same action was jointly approved before this one was decided.
        SUPERSEDED = "superseded", pgettext_lazy("update state", "Superseded")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="updates", verbose_name=_("action")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="progress_updates",
        verbose_name=_("author"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status reported"), max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(_("progress reported (%)"))
    narrative = models.TextField(_("narrative"))
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    review_state = models.CharField(
        _("review state"),
        max_length=10,
        choices=ReviewState.choices,
        default=ReviewState.SUBMITTED,
    )
    revision = models.PositiveSmallIntegerField(
        _("revision"),
        default=1,
        help_text=_("Raised each time the author revises a returned update and submits it again."),
    )
    language = written_language_field()
    narrative_translation = models.TextField(
        _("narrative, translated"),
        blank=True,
        help_text=_("The narrative in the other language, added by someone who may edit it."),
    )
    translated_by = translated_by_field()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["action", "-submitted_at"])]
        constraints = [
            models.CheckConstraint(condition=PROGRESS_RANGE, name="update_progress_0_to_100"),
            models.CheckConstraint(condition=~Q(narrative=""), name="update_narrative_required"),
        ]

    def __str__(self):
        return f"{self.action.number}: update of {self.submitted_at:%Y-%m-%d}"


def number_key(number):
    """An action number's place in the plan: "6.10" after "6.9"."""
    return tuple(int(part) for part in number.split("."))


def read_narrative(update, language):
    """(text, its language) of an update's narrative (or of its history row) for a reader of
    `language`: the translation into that language if someone added one, else as written."""
    if update.language != language and update.narrative_translation:
        return update.narrative_translation, language
    return update.narrative, update.language


class Review(models.Model):
    """One side's decision on a progress update: approved, or returned with a comment."""

    class Decision(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("review decision", "Approved")
        RETURNED = "returned", pgettext_lazy("review decision", "Returned")

    update = models.ForeignKey(
        ProgressUpdate,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("progress update"),
    )
    side = models.CharField(
        _("side"), max_length=12, choices=[(Side.DK, Side.DK.label), (Side.MX, Side.MX.label)]
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("reviewer"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    language = written_language_field()
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["update", "decided_at"]
        constraints = [
            models.UniqueConstraint(fields=["update", "side"], name="review_one_per_side"),
            models.CheckConstraint(
                condition=Q(side__in=[Side.DK, Side.MX]), name="review_side_is_a_country"
            ),
            models.CheckConstraint(
                condition=~Q(decision="returned", comment=""),
                name="review_returned_needs_comment",
            ),
        ]

    def __str__(self):
        return f"{self.update}: {self.get_side_display()} {self.get_decision_display()}"
